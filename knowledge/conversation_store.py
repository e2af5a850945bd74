"""Conversations as the assistant remembers them: in the project's database, encrypted, and kept
only while they are in use.

A conversation is the list of Rasa events (what the family wrote, the replies, a form's answers).
Each save appends one row holding the events that save added, as one Fernet token made with the
applications' keys, so the database never holds a message, a name or an identity number in clear.
A conversation idle longer than ``VEIVISER_CONVERSATION_RETENTION_HOURS`` is deleted whole by the
retention job. Nothing here knows Rasa: ``veiviser_nlu.tracker_store`` adapts it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Integer, String, Text, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from knowledge.crypto import cipher
from knowledge.models import Base

Event = dict[str, Any]


class ConversationEvents(Base):
    """One save of one conversation: the events it added, encrypted together."""
    __tablename__ = "conversation_events"
    id = Column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    conversation_id = Column(String(64), nullable=False, index=True)
    saved_at = Column(DateTime(timezone=True), nullable=False, index=True)
    event_count = Column(Integer, nullable=False)
    events = Column(Text, nullable=False)  # a Fernet token of the JSON list of events


@dataclass(frozen=True)
class Saved:
    """Rows read back: their events in order, and the id of the last row (where to read on from)."""
    events: list[Event]
    last_row_id: int | None


def append(session: Session | Connection, conversation_id: str, events: list[Event], now: datetime | None = None) -> int:
    """Store the events one save added; returns the new row's id (the caller commits). One INSERT,
    without the ORM's unit of work: it runs on every turn, in Rasa's process."""
    token = cipher().encrypt(json.dumps(events, ensure_ascii=False, separators=(",", ":")).encode()).decode()
    inserted = session.execute(insert(ConversationEvents.__table__).values(
        conversation_id=conversation_id, saved_at=now or datetime.now(timezone.utc), event_count=len(events), events=token))
    return inserted.inserted_primary_key[0]


def read(session: Session | Connection, conversation_id: str, after_row: int | None = None) -> Saved | None:
    """The conversation's events (only those saved after ``after_row``, when given).

    Returns None when ``after_row`` is no longer stored: the conversation was deleted (retention)
    and what the caller remembers of it must be forgotten too.
    """
    query = select(ConversationEvents.id, ConversationEvents.events).where(ConversationEvents.conversation_id == conversation_id)
    if after_row is not None:
        query = query.where(ConversationEvents.id >= after_row)
    rows = session.execute(query.order_by(ConversationEvents.id)).all()
    if after_row is not None:
        if not rows or rows[0].id != after_row:
            return None
        rows = rows[1:]
    decrypt = cipher().decrypt
    events = [event for row in rows for event in json.loads(decrypt(row.events.encode()))]
    return Saved(events, rows[-1].id if rows else after_row)


def forget(session: Session | Connection, conversation_id: str) -> int:
    """Delete a conversation now (the family pressed "Start again"); the caller commits."""
    return session.execute(delete(ConversationEvents).where(ConversationEvents.conversation_id == conversation_id)
                           .execution_options(synchronize_session=False)).rowcount


def conversation_ids(session: Session | Connection) -> list[str]:
    return list(session.execute(select(ConversationEvents.conversation_id).distinct()).scalars())


def purge_idle(session: Session, retention_hours: int, now: datetime | None = None) -> int:
    """Delete every conversation whose last save is older than the retention period; returns how
    many rows went (the caller commits)."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(hours=retention_hours)
    idle = (select(ConversationEvents.conversation_id).group_by(ConversationEvents.conversation_id)
            .having(func.max(ConversationEvents.saved_at) < cutoff))
    # One statement: a conversation that becomes active while the job runs is left whole.
    return session.execute(delete(ConversationEvents).where(ConversationEvents.conversation_id.in_(idle))
                           .execution_options(synchronize_session=False)).rowcount
