"""Reading a Rasa tracker: the conversation's language, the services the user named, and, while a
form is asking, whether the latest message is a request to stop or a new topic (shared by the
eligibility check and the application form)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from knowledge.aspects import SERVICE_INTENTS
from knowledge.config import load_settings
from knowledge.eligibility.answers import is_stop
from knowledge.eligibility.dialogue import BUTTON_ANSWERS
from knowledge.language_detection import LanguageDecision, decide_language
from knowledge.languages import INPUT_LANGUAGES

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


#: Intents that, when an answer cannot be read, mean the family has moved on to something else.
NEW_TOPIC_INTENTS = frozenset({
    *SERVICE_INTENTS, "ask_contact", "ask_services_overview", "ask_what_we_can_get", "start_over", "human_handoff",
    "change_language", "goodbye",
})
NEW_TOPIC_MIN_CONFIDENCE = 0.5
STOP_MIN_CONFIDENCE = 0.6


def confidence(tracker: Tracker) -> float:
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


def wants_to_stop(tracker: Tracker) -> bool:
    text = tracker.latest_message.get("text") or ""
    if is_payload(text):
        return latest_intent(tracker) == "stop"
    return is_stop(text) or (latest_intent(tracker) == "stop" and confidence(tracker) >= STOP_MIN_CONFIDENCE)


def is_new_topic(tracker: Tracker) -> bool:
    """An unreadable answer that is really another question: let the rules answer it instead."""
    text = tracker.latest_message.get("text") or ""
    intent = latest_intent(tracker)
    if is_payload(text):
        return intent not in BUTTON_ANSWERS
    if intent in NEW_TOPIC_INTENTS and confidence(tracker) >= NEW_TOPIC_MIN_CONFIDENCE:
        return True
    return bool(entity_values(tracker, "service"))
