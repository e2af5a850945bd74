"""Live chat's data: availability as a heartbeat, opening hours, a queue with places and expected
waits, one case worker per chat, encrypted messages, and retention."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, text

from knowledge.handoff import live_chat
from knowledge.handoff.live_chat import CaseWorkerPresence, LiveChat, LiveChatError, LiveChatMessage
from knowledge.staff.accounts import create_user
from knowledge.text import MAX_MESSAGE_CHARS

OSLO = ZoneInfo("Europe/Oslo")
#: A Tuesday at 10:00 in Oslo: the coordinating unit's phone is open (09:30–11:00).
OPEN = datetime(2026, 12, 1, 10, 0, tzinfo=OSLO).astimezone(timezone.utc)
EVENING = datetime(2026, 12, 1, 22, 0, tzinfo=OSLO).astimezone(timezone.utc)
CHRISTMAS = datetime(2026, 12, 25, 10, 0, tzinfo=OSLO).astimezone(timezone.utc)


@pytest.fixture
def chats(session):
    """An empty queue, and no one available (no other test uses these tables)."""
    for table in (LiveChatMessage, LiveChat, CaseWorkerPresence):
        session.execute(delete(table))
    session.commit()
    yield session
    session.rollback()
    for table in (LiveChatMessage, LiveChat, CaseWorkerPresence):
        session.execute(delete(table))
    session.commit()


def case_worker(session) -> int:
    return create_user(session, f"cw-{secrets.token_hex(4)}", secrets.token_urlsafe(16), "case_worker").id


def test_a_case_worker_is_available_while_the_page_says_so_and_not_after(chats):
    worker = case_worker(chats)
    live_chat.set_available(chats, worker, True, now=OPEN)
    assert live_chat.available_case_workers(chats, OPEN + timedelta(minutes=1)) == 1
    assert live_chat.available_case_workers(chats, OPEN + timedelta(minutes=live_chat.PRESENCE_MINUTES + 1)) == 0
    live_chat.set_available(chats, worker, True, now=OPEN + timedelta(minutes=1))  # the heartbeat
    live_chat.set_available(chats, worker, False, now=OPEN + timedelta(minutes=2))  # "not available"
    assert live_chat.available_case_workers(chats, OPEN + timedelta(minutes=2, seconds=1)) == 0


def test_a_live_chat_is_offered_only_in_opening_hours_with_someone_available(chats):
    assert not live_chat.can_chat_now(chats, OPEN)  # open, but no one available
    worker = case_worker(chats)
    for moment in (OPEN, EVENING, CHRISTMAS):
        live_chat.set_available(chats, worker, True, now=moment)
    assert live_chat.can_chat_now(chats, OPEN)
    assert not live_chat.can_chat_now(chats, EVENING)
    assert not live_chat.can_chat_now(chats, CHRISTMAS)  # a public holiday


def test_families_get_their_place_and_an_expected_wait_and_asking_again_keeps_it(chats):
    live_chat.set_available(chats, case_worker(chats), True, now=OPEN)
    places = [live_chat.ask(chats, f"family-{n}", "ti", "relief_care", now=OPEN) for n in range(3)]
    assert [p.position for p in places] == [1, 2, 3] and all(p.status == "waiting" for p in places)
    assert [p.expected_minutes for p in places] == [8, 16, 24]  # TYPICAL_CHAT_MINUTES each, one case worker
    assert live_chat.ask(chats, "family-1", "ti", now=OPEN) == places[1]
    live_chat.set_available(chats, case_worker(chats), True, now=OPEN)
    assert live_chat.place(chats, chats.get(LiveChat, places[2].chat_id), OPEN).expected_minutes == 12  # two share the queue


def test_one_case_worker_takes_a_chat_and_the_others_move_up(chats):
    first, second = case_worker(chats), case_worker(chats)
    places = [live_chat.ask(chats, f"family-take-{n}", "ar", now=OPEN) for n in range(2)]
    chat = live_chat.take(chats, places[0].chat_id, first, now=OPEN)
    assert chat.status == "active" and chat.case_worker_id == first
    with pytest.raises(LiveChatError):
        live_chat.take(chats, places[0].chat_id, second, now=OPEN)
    assert live_chat.place(chats, chats.get(LiveChat, places[1].chat_id), OPEN).position == 1
    assert [c.id for c in live_chat.waiting(chats)] == [places[1].chat_id]


def test_messages_go_both_ways_encrypted_and_not_after_the_end(chats):
    chat_id = live_chat.ask(chats, "family-messages", "en", now=OPEN).chat_id
    live_chat.take(chats, chat_id, case_worker(chats), now=OPEN)
    first = live_chat.post(chats, chat_id, "family", "  My daughter Amira, 15031951264, needs night care  ", now=OPEN)
    live_chat.post(chats, chat_id, "case_worker", "I can help you with that.", now=OPEN)
    assert [(m.author, m.text) for m in live_chat.messages_after(chats, chat_id)] == [
        ("family", "My daughter Amira, 15031951264, needs night care"), ("case_worker", "I can help you with that.")]
    assert [m.author for m in live_chat.messages_after(chats, chat_id, first.id)] == ["case_worker"]
    stored = " ".join(row[0] for row in chats.execute(text("select text from live_chat_messages")))
    assert "Amira" not in stored and "15031951264" not in stored
    for wrong in ("", "   ", "\x00\x07", "x" * (MAX_MESSAGE_CHARS + 1)):
        with pytest.raises(LiveChatError):
            live_chat.post(chats, chat_id, "family", wrong, now=OPEN)
    live_chat.end(chats, chat_id, "case_worker", now=OPEN)
    assert live_chat.end(chats, chat_id, "family", now=OPEN).ended_by == "case_worker"  # ending twice changes nothing
    with pytest.raises(LiveChatError):
        live_chat.post(chats, chat_id, "family", "hello?", now=OPEN)
    assert live_chat.current_chat(chats, "family-messages") is None
    assert live_chat.ask(chats, "family-messages", "en", now=OPEN).chat_id != chat_id  # asking again: a new chat


def test_the_expected_wait_follows_how_long_chats_took(chats):
    worker = case_worker(chats)
    live_chat.set_available(chats, worker, True, now=OPEN)
    for n in range(5):
        chat_id = live_chat.ask(chats, f"family-length-{n}", "nb", now=OPEN).chat_id
        live_chat.take(chats, chat_id, worker, now=OPEN)
        live_chat.end(chats, chat_id, "case_worker", now=OPEN + timedelta(minutes=4 + n))  # 4–8 min: median 6
    assert live_chat.typical_minutes(chats, OPEN) == 6
    assert live_chat.ask(chats, "family-length-next", "nb", now=OPEN).expected_minutes == 6


def test_retention_deletes_old_chats_with_their_messages(chats):
    old = live_chat.ask(chats, "family-old", "nb", now=OPEN - timedelta(days=200)).chat_id
    live_chat.post(chats, old, "family", "hei", now=OPEN - timedelta(days=200))
    live_chat.end(chats, old, "family", now=OPEN - timedelta(days=200))
    recent = live_chat.ask(chats, "family-recent", "nb", now=OPEN).chat_id
    assert live_chat.purge_ended(chats, 180, now=OPEN) == 1
    assert chats.get(LiveChat, recent) is not None
    assert chats.execute(text("select count(*) from live_chat_messages")).scalar() == 0


def test_taking_a_chat_pauses_the_assistant_in_that_conversation_and_ending_it_resumes_it(chats):
    from knowledge import conversation_store

    sender = f"family-pause-{secrets.token_hex(4)}"
    chat_id = live_chat.ask(chats, sender, "nb", now=OPEN).chat_id
    stored = chats.execute(text("select sender from live_chats where id = :id"), {"id": chat_id}).scalar_one()
    assert stored != sender and sender not in stored  # the database holds it encrypted
    assert conversation_store.read(chats, sender).events == []  # waiting: the assistant still answers
    live_chat.take(chats, chat_id, case_worker(chats), now=OPEN)
    live_chat.end(chats, chat_id, "case_worker", now=OPEN + timedelta(minutes=5))
    assert [e["event"] for e in conversation_store.read(chats, sender).events] == ["pause", "resume"]
    waited = live_chat.ask(chats, sender, "nb", now=OPEN).chat_id
    live_chat.end(chats, waited, "family", now=OPEN)  # never taken: nothing to resume
    assert len(conversation_store.read(chats, sender).events) == 2


def test_a_conversation_has_one_open_chat_even_when_asked_twice_at_once(chats):
    from sqlalchemy.exc import IntegrityError

    from knowledge.applications.store import conversation_key

    first = live_chat.ask(chats, "family-twice", "nb", now=OPEN)
    with pytest.raises(IntegrityError):  # what a second request at the same moment would insert
        with chats.begin_nested():
            chats.add(LiveChat(conversation=conversation_key("family-twice"), sender="x", language="nb",
                               status="waiting", queued_at=OPEN))
    assert live_chat.ask(chats, "family-twice", "nb", now=OPEN) == first
    live_chat.end(chats, first.chat_id, "family", now=OPEN)
    assert live_chat.ask(chats, "family-twice", "nb", now=OPEN).chat_id != first.chat_id  # after the end: a new one


def test_chats_no_one_will_take_or_answer_end_and_say_why(chats):
    worker = case_worker(chats)
    live_chat.set_available(chats, worker, True, now=OPEN)
    waiting_at_close = live_chat.ask(chats, "sender-close-1", "ti", now=OPEN).chat_id
    taken = live_chat.ask(chats, "sender-close-2", "en", now=OPEN).chat_id
    live_chat.take(chats, taken, worker, now=OPEN)
    assert live_chat.close_unattended(chats, OPEN + timedelta(minutes=1)) == 0  # open, someone there: nothing ends
    live_chat.set_available(chats, worker, True, now=EVENING)  # still at the desk after closing time
    assert live_chat.close_unattended(chats, EVENING) == 1  # the office closed: the waiting chat ends, the taken one goes on
    assert chats.get(LiveChat, waiting_at_close).ended_by == "office_closed"
    assert chats.get(LiveChat, taken).status == "active"
    assert live_chat.close_unattended(chats, EVENING + timedelta(minutes=live_chat.PRESENCE_MINUTES + 1)) == 1  # the page closed
    assert chats.get(LiveChat, taken).ended_by == "no_case_worker"


def test_a_case_worker_who_stops_taking_new_chats_finishes_theirs_and_the_queue_is_told(chats):
    worker = case_worker(chats)
    live_chat.set_available(chats, worker, True, now=OPEN)
    theirs = live_chat.ask(chats, "sender-theirs", "en", now=OPEN).chat_id
    live_chat.take(chats, theirs, worker, now=OPEN)
    chat_id = live_chat.ask(chats, "sender-gone", "ar", now=OPEN).chat_id
    live_chat.set_available(chats, worker, False, now=OPEN + timedelta(minutes=1))  # "not available" for new chats
    assert live_chat.close_unattended(chats, OPEN + timedelta(minutes=1, seconds=1)) == 1
    assert chats.get(LiveChat, chat_id).ended_by == "no_case_worker"
    assert not live_chat.still_here(chats, worker, OPEN + timedelta(minutes=2))  # the chat page's heartbeat: here, not available
    assert live_chat.close_unattended(chats, OPEN + timedelta(minutes=3)) == 0 and chats.get(LiveChat, theirs).status == "active"


def test_a_chat_just_taken_is_not_ended_for_want_of_its_case_worker(chats):
    available, taker = case_worker(chats), case_worker(chats)  # the taker never said "available" on this page
    live_chat.set_available(chats, available, True, now=OPEN)
    chat_id = live_chat.ask(chats, "sender-just-taken", "en", now=OPEN).chat_id
    live_chat.take(chats, chat_id, taker, now=OPEN)
    assert live_chat.close_unattended(chats, OPEN + timedelta(seconds=5)) == 0
    assert chats.get(LiveChat, chat_id).status == "active"


def test_the_sweep_ends_a_chat_only_in_the_state_it_chose_it_in(chats):
    worker = case_worker(chats)
    chat_id = live_chat.ask(chats, "sender-race", "ar", now=OPEN).chat_id
    live_chat.take(chats, chat_id, worker, now=OPEN)  # taken between the sweep's choice and its end
    assert live_chat.end(chats, chat_id, "office_closed", EVENING, only_if=("waiting",)).status == "active"
