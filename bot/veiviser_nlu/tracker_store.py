"""Rasa's tracker store on the project's database: conversations survive a restart of any process
and can move between replicas, encrypted at rest (``knowledge.conversation_store``).

Configured in bot/endpoints.yml (``tracker_store: type: veiviser_nlu.tracker_store.EncryptedTrackerStore``).

Each replica also remembers the conversations it served lately, so a turn reads only the rows
saved since (none, unless another replica took the conversation over) instead of decrypting the
whole conversation again. When the database is down, a conversation this replica remembers goes on
from memory and what it adds is written when the database is back: a family whose application
could not be sent is told so and can try again without losing an answer.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, Event, Restarted, SessionStarted, SlotSet, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError

from knowledge import conversation_store
from knowledge.config import load_settings
from knowledge.db import make_engine

logger = logging.getLogger(__name__)

#: How many conversations one replica keeps in memory (the least recently used go first).
REMEMBERED_CONVERSATIONS = 2000
#: Rasa is given a conversation's latest events only, after events that set what the earlier ones
#: set (slots, the form): its rule policy and the call to the action server read every event they
#: are given, so without a window turn 200 took twice as long as turn 10, and parsing a long tracker
#: was the action server's largest cost. The action server reads the last five typed messages; a
#: turn adds about eight events, so 80 hold about ten turns.
WINDOW_EVENTS = 80
#: A locked SQLite file is waited for only this long: the turn goes on from memory, and the
#: family's reply is not held up behind the action server's own wait for the same lock.
SQLITE_BUSY_SECONDS = 0.3


class ConversationStoreUnavailable(RuntimeError):
    """The database cannot be reached and this replica does not remember the conversation.
    (Rasa logs this error's text: it names no conversation and quotes no SQL.)"""


@dataclass
class Remembered:
    """A conversation as this replica last saw it. The events are kept as Rasa's objects: turning
    dictionaries back into events costs Rasa a search of every event class per event, which made
    each turn slower the longer the conversation was (turn 200 took 2.3 times turn 10)."""
    events: list[Event] = field(default_factory=list)
    last_row_id: int | None = None
    unsaved: list[dict[str, Any]] = field(default_factory=list)  # added while the database was down
    used_at: float = field(default_factory=monotonic)


def since_last_session_start(events: list[Event]) -> list[Event]:
    """Rasa works on the conversation's latest session (as its SQL tracker store does)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            return events[index:]
    return events


def new_events(tracker_events: list[Event], remembered: list[Event]) -> list[Event]:
    """The events a turn added: those after the last event this store gave Rasa (the tracker holds
    the same objects, in a window of the latest ones); a tracker that does not hold it (a new one,
    or the whole conversation) is counted as Rasa's SQL store does, from the last session start."""
    if remembered:
        last = remembered[-1]
        for index in range(len(tracker_events) - 1, -1, -1):
            if tracker_events[index] is last:
                return tracker_events[index + 1:]
    return tracker_events[len(since_last_session_start(remembered)):]


class EncryptedTrackerStore(TrackerStore, SerializedTrackerAsText):
    def __init__(self, domain: Domain | None = None, host: str | None = None, event_broker: Any = None,
                 database_url: str | None = None, **_kwargs: Any) -> None:
        super().__init__(domain, event_broker)
        settings = load_settings()
        self._engine = make_engine(database_url or settings.database_url, busy_seconds=SQLITE_BUSY_SECONDS)
        self._idle_seconds = settings.conversation_retention_hours * 3600
        self._memory: OrderedDict[str, Remembered] = OrderedDict()

    # -- what Rasa calls ---------------------------------------------------------------------
    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._retrieve(sender_id, full=False)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._retrieve(conversation_id, full=True)

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        remembered = self._memory.get(sender) or Remembered()
        added = new_events(list(tracker.events), remembered.events)
        if not added:
            return
        restarts = [index for index, event in enumerate(added) if isinstance(event, Restarted)]
        if restarts:  # "Start again": the widget says the conversation is forgotten, so it is
            await self._forget(sender)
            remembered, added = Remembered(), added[restarts[-1] + 1:]
            if not added:
                return
        remembered.events.extend(added)
        remembered.unsaved.extend(event.as_dict() for event in added)
        self._remember(sender, remembered)
        try:
            await asyncio.to_thread(self._write_unsaved, sender, remembered)
        except SQLAlchemyError as error:
            logger.warning("conversation store unavailable (%s): %d events kept in memory until it is back",
                           type(error).__name__, len(remembered.unsaved))

    async def _forget(self, sender: str) -> None:
        self._memory.pop(sender, None)

        def delete() -> None:
            with self._engine.begin() as connection:
                conversation_store.forget(connection, sender)
        try:
            await asyncio.to_thread(delete)
        except SQLAlchemyError as error:  # the retention job deletes it within its hours
            logger.warning("conversation store unavailable (%s): a restarted conversation is deleted by retention",
                           type(error).__name__)

    async def keys(self) -> Iterable[str]:
        def ids() -> list[str]:
            with self._engine.connect() as connection:
                return conversation_store.conversation_ids(connection)
        return await asyncio.to_thread(ids)

    # -- the work ----------------------------------------------------------------------------
    async def _retrieve(self, sender: str, full: bool) -> DialogueStateTracker | None:
        remembered = self._memory.get(sender)
        try:
            remembered = await asyncio.to_thread(self._catch_up, sender, remembered)
        except SQLAlchemyError as error:
            if remembered is None:
                raise ConversationStoreUnavailable(f"conversation store unavailable ({type(error).__name__})") from None
            logger.warning("conversation store unavailable (%s): going on from memory", type(error).__name__)
        if remembered is None or not remembered.events:
            self._memory.pop(sender, None)
            return None
        self._remember(sender, remembered)
        events = remembered.events if full else since_last_session_start(remembered.events)
        if full:
            return DialogueStateTracker.from_events(sender, events, self.domain.slots)
        return DialogueStateTracker.from_events(sender, self._window(sender, events), self.domain.slots)

    def _window(self, sender: str, events: list[Event]) -> list[Event]:
        """The latest events, after what the earlier ones set: each slot's value and the form that
        is asking, as events at the start. (Rasa replays the events it holds when a message is
        reverted, so state set before the window must be among them.)"""
        if len(events) <= WINDOW_EVENTS:
            return events
        earlier, latest = events[:-WINDOW_EVENTS], events[-WINDOW_EVENTS:]
        before = DialogueStateTracker.from_events(sender, earlier, self.domain.slots)
        state: list[Event] = [SlotSet(name, value) for name, value in before.current_slot_values().items() if value is not None]
        if before.active_loop_name:
            state.append(ActiveLoop(before.active_loop_name))
        return state + latest

    def _catch_up(self, sender: str, remembered: Remembered | None) -> Remembered | None:
        """Write what waited for the database, then read what other replicas saved since."""
        if remembered is not None and remembered.unsaved:
            self._write_unsaved(sender, remembered)
        with self._engine.connect() as connection:
            if remembered is not None and remembered.last_row_id is not None:
                newer = conversation_store.read(connection, sender, after_row=remembered.last_row_id)
                if newer is not None:
                    remembered.events.extend(deserialise_events(newer.events))
                    remembered.last_row_id = newer.last_row_id
                    return remembered
            elif remembered is not None:
                return remembered  # never saved (only in memory): nothing newer can exist
            saved = conversation_store.read(connection, sender)  # first time here, or deleted meanwhile
        return Remembered(deserialise_events(saved.events), saved.last_row_id) if saved and saved.events else None

    def _write_unsaved(self, sender: str, remembered: Remembered) -> None:
        with self._engine.begin() as connection:  # plain connections: the ORM's session is not needed here
            row_id = conversation_store.append(connection, sender, remembered.unsaved)
        remembered.last_row_id, remembered.unsaved = row_id, []

    def _remember(self, sender: str, remembered: Remembered) -> None:
        remembered.used_at = monotonic()
        self._memory[sender] = remembered
        self._memory.move_to_end(sender)
        while len(self._memory) > REMEMBERED_CONVERSATIONS:
            self._memory.popitem(last=False)
        oldest = next(iter(self._memory.values()))
        if monotonic() - oldest.used_at > self._idle_seconds and not oldest.unsaved:
            self._memory.popitem(last=False)  # as long as the database keeps it, and no longer
