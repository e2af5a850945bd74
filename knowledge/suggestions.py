"""Asking "is it one of these?" in the chat: the likeliest services as buttons, for a message the
assistant is not sure about (rules in ``knowledge.clarify``), recorded for the editors."""
from __future__ import annotations

from knowledge import clarify, replies, unanswered
from knowledge.i18n import Translator
from knowledge.offline import MAIN_CONTACT
from knowledge.queries import get_contact, get_service, service_keys
from knowledge.turn import Turn


def described_guess(turn: Turn) -> tuple[str, float] | None:
    """The service and confidence when the only service in the message was guessed from a description."""
    services = [e for e in turn.entities if e.get("entity") == "service"]
    if len(services) == 1 and (services[0].get("additional_info") or {}).get("method") == "classifier":
        return str(services[0].get("value")), float(services[0].get("confidence_entity") or 0.0)
    return None


def suggestions_for_a_need(tr: Translator, turn: Turn, session) -> list[replies.Reply]:
    """The likeliest services, when a message taken for another kind of question clearly
    describes a need (``clarify.candidates_for_a_described_need``); [] otherwise."""
    if _in_a_form_or_a_tap(turn):
        return []
    reading = clarify.Reading.of(turn)
    return _offered_and_recorded(tr, turn, session,
                                 clarify.candidates_for_a_described_need(reading, turn.text))


def _offered_and_recorded(tr: Translator, turn: Turn, session, keys: list[str]) -> list[replies.Reply]:
    """"Is it one of these?" with ``keys``; a message answered so goes to the editors' list."""
    suggested = suggestions(tr, session, keys)
    if suggested:
        _record_clarified(turn, session, tr.language)
    return suggested


def _in_a_form_or_a_tap(turn: Turn) -> bool:
    """Answers inside a form and button taps are never second-guessed."""
    return turn.tapped or turn.form is not None


def instead_of_an_answer(tr: Translator, turn: Turn, session, aspect: str, chosen: list[str],
                         named: list[str]) -> list[replies.Reply]:
    """Suggestions to give instead of a service answer, or [] to answer: no service found but the
    message is about a need, or a service only guessed from a description next to a close rival."""
    if _in_a_form_or_a_tap(turn):
        return []
    reading = clarify.Reading.of(turn)
    text = turn.text
    guessed = described_guess(turn)
    if not chosen and not named:
        keys = (clarify.candidates_instead_of_refusal(text, reading, None, 0.0) if aspect == "about"
                else clarify.candidates_for_a_described_need(reading, text))
    elif chosen and aspect == "about" and guessed:
        keys = clarify.candidates_instead_of_guess(reading, *guessed)
    else:
        keys = []
    return _offered_and_recorded(tr, turn, session, keys)


def beside_a_signpost(tr: Translator, turn: Turn, session, signpost: str) -> list[replies.Reply]:
    """Suggestions when a signpost is named but the story describes one of our services; [] otherwise."""
    if _in_a_form_or_a_tap(turn):
        return []
    reading = clarify.Reading.of(turn)
    return _offered_and_recorded(tr, turn, session, clarify.candidates_beside_a_signpost(reading, signpost))


def instead_of_a_refusal(tr: Translator, turn: Turn, session, intent: str | None, confidence: float) -> list[replies.Reply]:
    """Suggestions to give instead of "I did not understand" / "I can only help with …", or []."""
    if turn.tapped:
        return []
    keys = clarify.candidates_instead_of_refusal(turn.text,
                                                 clarify.Reading.of(turn), intent, confidence)
    return suggestions(tr, session, keys)


def suggestions(tr: Translator, session, keys: list[str]) -> list[replies.Reply]:
    """"Is it one of these?" with the services in ``keys`` that the knowledge base has; [] if none."""
    known = set(service_keys(session))
    services = [get_service(session, key, tr.language) for key in keys if key in known]
    if not services:
        return []
    return replies.suggestions_answer(tr, services, get_contact(session, MAIN_CONTACT, tr.language))


def _record_clarified(turn: Turn, session, language: str) -> None:
    """Messages answered with "is it one of these?" go to the editors' list (redacted, no sender
    id); callers have ruled out answers inside a form."""
    unanswered.record(session, turn.text, language, turn.intent, turn.confidence, "clarified", turn.traffic)
    session.commit()
