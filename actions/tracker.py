"""Reading a Rasa tracker into a ``Turn`` (knowledge.turn): the latest message as the NLU read it,
the conversation's slots, the family's earlier typed messages and the form that is asking."""
from __future__ import annotations

from rasa_sdk import Tracker

from knowledge.text import clean_message
from knowledge.turn import Turn


def turn_of(tracker: Tracker) -> Turn:
    """The latest message with all the assistant needs to answer it."""
    latest = tracker.latest_message
    intent = latest.get("intent") or {}
    earlier = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][:-1]
    metadata = latest.get("metadata")
    picked = metadata.get("language") if isinstance(metadata, dict) else None
    return Turn(
        text=clean_message(latest.get("text") or ""),  # the action server's door (Rasa may be called directly)
        intent=intent.get("name") or "nlu_fallback",
        confidence=float(intent.get("confidence") or 0.0),
        entities=tuple(latest.get("entities") or ()),
        ranking=tuple(latest.get("intent_ranking") or [intent]),
        service_reading=latest.get("service_reading") or {},
        slots=tracker.current_slot_values(),
        history=tuple(text for text in earlier if not text.lstrip().startswith("/")),  # typed, not taps
        conversation_id=tracker.sender_id,
        form=(tracker.active_loop or {}).get("name"),
        picked_language=picked if isinstance(picked, str) else None,
        traffic="test" if isinstance(metadata, dict) and metadata.get("traffic") == "test" else "real",
    )
