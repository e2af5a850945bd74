"""Conversations in the database: encrypted, read on from where a replica left off, deleted when idle."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from knowledge import conversation_store
from knowledge.conversation_store import ConversationEvents

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def events(*texts: str) -> list[dict]:
    return [{"event": "user", "text": text} for text in texts]


def test_events_are_stored_encrypted_and_read_back_in_order(session):
    conversation_store.append(session, "store-order-1", events("Kari Nordmann", "15031951264"), NOW)
    conversation_store.append(session, "store-order-1", events("behov for avlastning"), NOW)
    session.commit()
    saved = conversation_store.read(session, "store-order-1")
    assert [e["text"] for e in saved.events] == ["Kari Nordmann", "15031951264", "behov for avlastning"]
    raw = " ".join(session.scalars(select(ConversationEvents.events).where(ConversationEvents.conversation_id == "store-order-1")))
    assert "Kari" not in raw and "15031951264" not in raw and "avlastning" not in raw


def test_reading_on_returns_only_what_was_saved_after_a_row(session):
    first = conversation_store.append(session, "store-after-1", events("one"), NOW)
    conversation_store.append(session, "store-after-1", events("two", "three"), NOW)
    session.commit()
    newer = conversation_store.read(session, "store-after-1", after_row=first)
    assert [e["text"] for e in newer.events] == ["two", "three"]
    assert conversation_store.read(session, "store-after-1", after_row=newer.last_row_id).events == []


def test_a_row_that_is_gone_means_the_conversation_was_deleted(session):
    row = conversation_store.append(session, "store-gone-1", events("one"), NOW - timedelta(hours=30))
    session.commit()
    conversation_store.purge_idle(session, 24, NOW)
    session.commit()
    assert conversation_store.read(session, "store-gone-1", after_row=row) is None
    assert conversation_store.read(session, "store-gone-1").events == []


def test_only_idle_conversations_are_deleted_and_whole(session):
    conversation_store.append(session, "store-idle-1", events("old"), NOW - timedelta(hours=25))
    conversation_store.append(session, "store-active-1", events("old"), NOW - timedelta(hours=25))
    conversation_store.append(session, "store-active-1", events("new"), NOW - timedelta(hours=1))
    session.commit()
    conversation_store.purge_idle(session, 24, NOW)
    session.commit()
    assert conversation_store.read(session, "store-idle-1").events == []
    assert [e["text"] for e in conversation_store.read(session, "store-active-1").events] == ["old", "new"]
