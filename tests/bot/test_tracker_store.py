"""The encrypted tracker store: a conversation survives a new process, moves between replicas and
goes on from memory while the database is down."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUtteranceReverted, UserUttered
from sqlalchemy import create_engine

from knowledge.config import load_settings
from veiviser_nlu import tracker_store as module
from veiviser_nlu.tracker_store import ConversationStoreUnavailable, EncryptedTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
slots:
  applicant_name: {type: text, influence_conversation: false, mappings: [{type: custom}]}
""")


def store(url: str | None = None) -> EncryptedTrackerStore:
    return EncryptedTrackerStore(domain=DOMAIN, database_url=url)


async def turn(tracker_store: EncryptedTrackerStore, sender: str, text: str, name: str | None = None):
    tracker = await tracker_store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text))
    if name:
        tracker.update(SlotSet("applicant_name", name))
    tracker.update(ActionExecuted("action_listen"))
    await tracker_store.save(tracker)
    return tracker


async def test_a_new_process_continues_the_conversation():
    await turn(store(), "tracker-restart-1", "Jeg vil søke", name="Kari Nordmann")
    tracker = await store().retrieve("tracker-restart-1")  # another process: nothing in memory
    assert tracker.get_slot("applicant_name") == "Kari Nordmann"
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["Jeg vil søke"]


async def test_what_another_replica_saved_is_read_on():
    first, second = store(), store()
    await turn(first, "tracker-replica-1", "one")
    await turn(second, "tracker-replica-1", "two", name="Ola")  # the first replica was down
    tracker = await turn(first, "tracker-replica-1", "three")  # and is back
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["one", "two", "three"]
    assert tracker.get_slot("applicant_name") == "Ola"
    assert [e.text for e in (await store().retrieve("tracker-replica-1")).events if isinstance(e, UserUttered)] == ["one", "two", "three"]


async def test_a_case_worker_taking_and_ending_a_chat_pauses_and_resumes_the_assistant_on_the_replica_that_serves_it():
    """knowledge.handoff.live_chat adds Rasa's pause and resume events to the conversation store;
    a replica that remembers the conversation reads them at its next turn."""
    from knowledge import conversation_store
    from knowledge.db import new_session

    replica = store()
    await turn(replica, "tracker-live-1", "Jeg vil snakke med en person")
    for event in ("pause", "resume"):
        with new_session() as session:
            conversation_store.append(session, "tracker-live-1", [{"event": event, "timestamp": 1.0}])
            session.commit()
        tracker = await replica.retrieve("tracker-live-1")
        assert tracker.is_paused() == (event == "pause")


async def test_only_the_latest_session_is_worked_on_and_all_is_kept():
    tracker_store = store()
    await turn(tracker_store, "tracker-session-1", "old session")
    tracker = await tracker_store.retrieve("tracker-session-1")
    tracker.update(SessionStarted())
    tracker.update(UserUttered("new session"))
    await tracker_store.save(tracker)
    latest = await store().retrieve("tracker-session-1")
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["new session"]
    full = await store().retrieve_full_tracker("tracker-session-1")
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == ["old session", "new session"]


async def test_while_the_database_is_down_the_conversation_goes_on_from_memory(monkeypatch):
    tracker_store = store()
    await turn(tracker_store, "tracker-down-1", "one", name="Kari")
    working = tracker_store._engine
    monkeypatch.setattr(tracker_store, "_engine", create_engine("sqlite:////nonexistent/folder/down.db", future=True))
    await turn(tracker_store, "tracker-down-1", "two")  # saved in memory only
    tracker = await tracker_store.retrieve("tracker-down-1")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["one", "two"]
    with pytest.raises(ConversationStoreUnavailable) as raised:  # one it never saw: Rasa starts afresh
        await tracker_store.retrieve("tracker-down-unknown")
    assert "tracker-down-unknown" not in str(raised.value)
    monkeypatch.setattr(tracker_store, "_engine", working)  # the database is back
    await turn(tracker_store, "tracker-down-1", "three")
    kept = await store().retrieve("tracker-down-1")
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["one", "two", "three"]
    assert kept.get_slot("applicant_name") == "Kari"


async def test_a_conversation_deleted_by_retention_is_forgotten_by_the_replica_too(session):
    from knowledge import conversation_store

    tracker_store = store()
    await turn(tracker_store, "tracker-purged-1", "one", name="Kari")
    conversation_store.purge_idle(session, 1, now=datetime.now(timezone.utc) + timedelta(hours=2))
    session.commit()
    assert await tracker_store.retrieve("tracker-purged-1") is None


def test_replicas_remember_a_bounded_number_of_conversations(monkeypatch):
    monkeypatch.setattr(module, "REMEMBERED_CONVERSATIONS", 3)
    tracker_store = store()

    async def many():
        for number in range(5):
            await turn(tracker_store, f"tracker-bound-{number}", "hei")
    asyncio.run(many())
    assert list(tracker_store._memory) == ["tracker-bound-2", "tracker-bound-3", "tracker-bound-4"]


def test_the_store_uses_the_configured_database():
    assert str(store()._engine.url) == load_settings().database_url


async def test_start_again_deletes_the_conversation_from_the_database(session):
    from rasa.shared.core.events import Restarted
    from sqlalchemy import func, select

    from knowledge.conversation_store import ConversationEvents

    tracker_store = store()
    await turn(tracker_store, "tracker-restart-2", "Kari Nordmann", name="Kari Nordmann")
    tracker = await tracker_store.retrieve("tracker-restart-2")
    tracker.update(UserUttered("/restart"))
    tracker.update(Restarted())
    tracker.update(ActionExecuted("action_listen"))
    await tracker_store.save(tracker)
    rows = session.scalar(select(func.count()).select_from(ConversationEvents).where(ConversationEvents.conversation_id == "tracker-restart-2"))
    assert rows == 1  # only what came after the restart
    again = await store().retrieve("tracker-restart-2")
    assert [e for e in again.events if isinstance(e, UserUttered)] == [] and again.get_slot("applicant_name") is None
    await turn(tracker_store, "tracker-restart-2", "Hei")  # and the conversation goes on afresh
    assert [e.text for e in (await store().retrieve("tracker-restart-2")).events if isinstance(e, UserUttered)] == ["Hei"]


async def test_a_long_conversation_is_given_to_rasa_as_a_window_with_everything_it_set():
    tracker_store = store()
    await turn(tracker_store, "tracker-window-1", "Jeg heter Kari", name="Kari Nordmann")  # set at the start
    for number in range(60):
        await turn(tracker_store, "tracker-window-1", f"spørsmål {number}")
    tracker = await tracker_store.retrieve("tracker-window-1")
    assert len(tracker.events) == module.WINDOW_EVENTS + 1  # the window, after the slot it set earlier
    assert tracker.get_slot("applicant_name") == "Kari Nordmann"  # replayed, though its event is outside the window
    tracker.update(UserUtteranceReverted())  # Rasa replays the events it holds: the slot is still there
    assert tracker.get_slot("applicant_name") == "Kari Nordmann"
    tracker.update(UserUttered("siste"))
    await tracker_store.save(tracker)
    full = await store().retrieve_full_tracker("tracker-window-1")  # nothing lost, nothing twice
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == ["Jeg heter Kari", *(f"spørsmål {n}" for n in range(60)), "siste"]


VALID_ACTION_RESULTS = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "ar", "timestamp": None}]},
    {"events": [{"event": "bot", "text": "Hei", "data": {"buttons": [{"title": "Ja", "payload": "/affirm"}]}, "metadata": {}},
                {"event": "active_loop", "name": "application_form"}, {"event": "followup", "name": "action_listen"},
                {"event": "reset_slots"}, {"event": "action", "name": "action_answer", "policy": None, "confidence": 1.0},
                {"event": "user", "text": "ja", "parse_data": {"intent": {"name": "affirm", "confidence": 1.0}}},
                {"event": "restart"}, {"event": "pause"}, {"event": "resume"}, {"event": "session_started"}],
     "responses": [{"text": "Hei", "buttons": [], "custom": {"kind": "answer"}}]},
]


def _mutants(result: dict) -> list:
    """Invalid and valid variations of an answer: missing, renamed and wrongly typed parts."""
    found = [{"events": "not a list"}, {"events": [1]}, {"events": [{}]}, {"responses": [1]}, [], "x", None,
             {"events": [{"event": "no_such_event"}]}, {"events": [{"event": 3}]}]
    for index, event in enumerate(result.get("events", [])):
        for key in event:
            for value in (None, 1, "s", [], {}):
                changed = [dict(e) for e in result["events"]]
                changed[index][key] = value
                found.append({**result, "events": changed})
            without = [dict(e) for e in result["events"]]
            del without[index][key]
            found.append({**result, "events": without})
    return found


def test_action_results_get_the_same_verdict_as_from_rasas_whole_schema():
    """The quicker check (each event against the one kind its name says) agrees with jsonschema
    on valid answers and on every variation of them, and Rasa still refuses an invalid one."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    from veiviser_nlu.server import action_result_check, validate_action_results_quickly

    schema = RemoteAction.action_response_format_spec()
    whole, quick = validator_for(schema)(schema), action_result_check()
    cases = [*VALID_ACTION_RESULTS, *(mutant for result in VALID_ACTION_RESULTS for mutant in _mutants(result))]
    verdicts = [(whole.is_valid(case), quick(case)) for case in cases]
    assert all(whole_says == quick_says for whole_says, quick_says in verdicts)
    assert {whole_says for whole_says, _ in verdicts} == {True, False} and len(cases) > 100

    validate_action_results_quickly()
    action = RemoteAction.__new__(RemoteAction)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "x", "value": 1}], "responses": []})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})
