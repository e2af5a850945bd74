"""Reading a Rasa tracker into a ``Turn`` (knowledge.turn): the latest message as the NLU read it,
the conversation's language, its slots, the family's earlier messages and the form that is asking."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from knowledge.config import load_settings
from knowledge.language_detection import LanguageDecision, decide_language
from knowledge.languages import INPUT_LANGUAGES
from knowledge.turn import Turn

HISTORY_MESSAGES = 5


def is_payload(text: str) -> bool:
    """Button payloads such as '/apply{"service": "bpa"}' are not language evidence."""
    return text.lstrip().startswith("/")


def user_texts(tracker: Tracker) -> list[str]:
    return [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]


def explicit_language(tracker: Tracker) -> str | None:
    """A choice from the widget's picker (message metadata) or an earlier "answer in …" request."""
    metadata = tracker.latest_message.get("metadata") or {}
    chosen = metadata.get("language") if isinstance(metadata, dict) else None
    if isinstance(chosen, str) and chosen.lower() in INPUT_LANGUAGES:
        return chosen.lower()
    return tracker.get_slot("language_choice")


def conversation_language(tracker: Tracker) -> LanguageDecision:
    text = tracker.latest_message.get("text") or ""
    history = [t for t in user_texts(tracker)[:-1] if not is_payload(t)][-HISTORY_MESSAGES:]
    return decide_language(
        "" if is_payload(text) else text,
        explicit=explicit_language(tracker),
        previous=tracker.get_slot("language"),
        history=history,
        default=load_settings().default_language,
    )


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Distinct values of an entity in the latest message, in the order they appear."""
    values: list[str] = []
    for item in tracker.latest_message.get("entities") or []:
        value = str(item.get("value"))
        if item.get("entity") == entity and value not in values:
            values.append(value)
    return values


def latest_intent(tracker: Tracker) -> str:
    intent: dict[str, Any] = tracker.latest_message.get("intent") or {}
    return intent.get("name") or "nlu_fallback"


def confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


def turn_of(tracker: Tracker) -> Turn:
    """The latest message with all the assistant needs to answer it (knowledge.turn)."""
    latest = tracker.latest_message
    return Turn(
        text=latest.get("text") or "",
        intent=latest_intent(tracker),
        confidence=confidence(tracker),
        entities=tuple(latest.get("entities") or ()),
        ranking=tuple(latest.get("intent_ranking") or [latest.get("intent") or {}]),
        service_reading=latest.get("service_reading") or {},
        slots=tracker.current_slot_values(),
        history=tuple(t for t in user_texts(tracker)[:-1] if not is_payload(t)),
        conversation_id=tracker.sender_id,
        form=(tracker.active_loop or {}).get("name"),
        language=conversation_language(tracker),
        chosen_language=explicit_language(tracker),
    )
