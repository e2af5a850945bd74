"""A request to be called back (outside opening hours, or when no case worker is free to chat),
as a form on the one form protocol (``knowledge.forms``): consent, name, phone, a good time, an
interpreter in the conversation's language, the topic in the family's own words, a review.

The request is stored as an application of kind ``callback``: encrypted, delivered to the
coordinating unit through the outbox, in the staff queue (new, taken, done) and deleted with the
applications' retention. Its slots (``cb_…``) hold personal data only while the family fills in.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from knowledge.applications.fields import could_mean_stop, is_a_question, read_long_text, read_name, read_phone
from knowledge.applications.models import Consent
from knowledge.applications.store import record_consent, submit_application
from knowledge.applications.wording import personal_data_removed
from knowledge.config import load_settings
from knowledge.forms import REQUESTED, Form, FormState, Outcome, Reading, Step, Turn
from knowledge.forms.protocol import read_yes_no_step
from knowledge.handoff import callback_wording as wording
from knowledge.handoff.callback_wording import (
    CHANGE_STEP,
    CONSENT_STEP,
    CONSENT_VERSION,
    INTERPRETER_STEP,
    NAME_STEP,
    PHONE_STEP,
    QUESTION_STEPS,
    REVIEW_STEP,
    TIME_STEP,
    TIMES,
    TIMES_NB,
    TOPIC_STEP,
)
from knowledge.i18n import Translator
from knowledge.language_detection import decide_language
from knowledge.offline import MAIN_CONTACT, offline_contact
from knowledge.queries import get_contact, list_services
from knowledge.replies import Reply, add_note, button
from knowledge.text import ascii_digits

logger = logging.getLogger(__name__)

KIND = "callback"
CONSENT_ID, EDITING, LANGUAGE = "cb_consent_id", "cb_editing", "cb_language"
ALL_SLOTS = (CONSENT_STEP, CONSENT_ID, LANGUAGE, REVIEW_STEP, CHANGE_STEP, EDITING, *QUESTION_STEPS)
#: Conversations in these languages need no interpreter question (Norwegian is the office's language).
NO_INTERPRETER_LANGUAGES = ("nb", "nn")
TIME_MAX = 100


def cleared() -> dict[str, Any]:
    """Personal data leaves the conversation once the request is sent or cancelled."""
    return dict.fromkeys(ALL_SLOTS)


def asked_steps(language: str | None) -> tuple[str, ...]:
    return tuple(step for step in QUESTION_STEPS if step != INTERPRETER_STEP or language not in NO_INTERPRETER_LANGUAGES)


class CallbackForm(Form):
    name = "callback_form"
    slots = ALL_SLOTS
    consent_step, review_step, change_step, editing_slot = CONSENT_STEP, REVIEW_STEP, CHANGE_STEP, EDITING
    keeps_language = True

    @cached_property
    def office(self):
        return get_contact(self.session, MAIN_CONTACT, self.tr.language)

    def _language(self, state: FormState) -> str:
        return state.get(LANGUAGE) or self.tr.language

    def next_step(self, state: FormState) -> str | None:
        return next((step for step in asked_steps(self._language(state)) if state.get(step) is None), None)

    def changeable(self, state: FormState) -> tuple[str, ...]:
        return asked_steps(self._language(state))

    def step(self, state: FormState, name: str) -> Step:
        if name == INTERPRETER_STEP:
            return Step(name, read_yes_no_step)
        readers = {NAME_STEP: lambda turn: read_name(turn.text), PHONE_STEP: lambda turn: read_phone(turn.text),
                   TIME_STEP: self._read_time, TOPIC_STEP: lambda turn: read_long_text(turn.text)}
        return Step(name, readers[name], attempted=_has_digits if name == PHONE_STEP else (lambda text: False),
                    free_text=name in (TIME_STEP, TOPIC_STEP), could_mean_stop=could_mean_stop, is_question=is_a_question)

    def _read_time(self, turn: Turn) -> Reading:
        """A tapped time of day (its title in the family's language), or when it suits them, as written."""
        typed = " ".join(turn.text.split())
        for key, title in TIMES.items():
            if typed.casefold() in (key, self.tr.gettext(title).casefold()):
                return Reading(key)
        return Reading(typed) if 2 <= len(typed) <= TIME_MAX else Reading(problem="time")

    def ask(self, state: FormState, name: str, problem: str | None = None, intro: str | None = None) -> list[Reply]:
        tr = self.tr
        if name == CONSENT_STEP:
            return [wording.consent_reply(tr, self.office, load_settings().retention_days)]
        if name == REVIEW_STEP:
            if problem:
                return [wording.review_problem_reply(tr)]
            review = wording.review_reply(tr, dict(state.slots), asked_steps(self._language(state)), self._language(state), self.office)
            if intro:
                add_note(review, intro, at_start=True)
            return review
        if name == CHANGE_STEP:
            return [wording.change_menu_reply(tr, self.changeable(state))]
        return [wording.question_reply(tr, name, self.office, self._language(state), problem, intro)]

    def store(self, state: FormState, name: str, value: Any, turn: Turn) -> dict[str, Any]:
        return {name: value}

    def consented(self, state: FormState) -> tuple[dict[str, Any], str | None]:
        consent = record_consent(self.session, self.conversation_id, True, self.tr.language, CONSENT_VERSION, load_settings())
        self.session.commit()
        logger.info("callback: consent given")
        changes: dict[str, Any] = {CONSENT_STEP: True, CONSENT_ID: consent.id, LANGUAGE: self.tr.language}
        if self.tr.language in NO_INTERPRETER_LANGUAGES:
            changes[INTERPRETER_STEP] = False
        return changes, wording.start_text(self.tr)

    def cancel(self, state: FormState) -> Outcome:
        if state.step == CONSENT_STEP:
            record_consent(self.session, self.conversation_id, False, self.tr.language, CONSENT_VERSION, load_settings())
            self.session.commit()
            logger.info("callback: consent refused")
            replies = [wording.refused_reply(self.tr, self.office)]
        else:
            logger.info("callback: cancelled at %s", state.step)
            replies = [wording.cancelled_reply(self.tr), personal_data_removed(self.tr)]
        return Outcome(replies, {**cleared(), REQUESTED: None})

    def resume_button(self, state: FormState) -> dict[str, str]:
        return button(self.tr.gettext("Continue the call-back request"), "human_handoff")

    def paused_note(self) -> str:
        return self.tr.gettext("(I have paused the call-back request. Your answers are kept until you leave the chat.)")


def _has_digits(text: str) -> bool:
    """A text with four digits or more tries to be a phone number (asked again, never another topic)."""
    return sum(ch.isdigit() for ch in ascii_digits(text)) >= 4


def begin_callback(turn: Turn, before: list[Reply] | None = None) -> Outcome:
    """Start (or go back to) the callback form; ``before``: why a call back instead of a chat."""
    return Outcome(list(before or []), {REQUESTED: None}, followup=CallbackForm.name)


# --- sending -------------------------------------------------------------------------------------

def submit_callback(tr: Translator, turn: Turn, session) -> Outcome:
    """After the family confirmed the review: store (encrypted), and give the receipt with the
    phone and the interpreter's language. When the database cannot take it, say plainly it was not sent."""
    if turn.slot(REVIEW_STEP) != "confirmed" or turn.slot(CONSENT_STEP) is not True:
        return Outcome()  # cancelled or refused: already answered
    settings = load_settings()
    slots = turn.slots
    language = slots.get(LANGUAGE) or tr.language
    interpreter = language if slots.get(INTERPRETER_STEP) is True else None
    try:
        consent = session.get(Consent, slots.get(CONSENT_ID))
        office = get_contact(session, MAIN_CONTACT, tr.language)
        payload = callback_payload(session, slots, language, interpreter, consent)
        services = [turn.slot("service")] if turn.slot("service") else []
        stored = submit_application(session, consent, payload, services, tr.language, settings,
                                    sender_id=turn.conversation_id, kind=KIND)
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        logger.error("callback: not stored (%s); the family is asked to try again", type(error).__name__)
        return Outcome([wording.not_sent_reply(tr, offline_contact(tr.language))], {REVIEW_STEP: None})
    logger.info("callback: stored reference=%s interpreter=%s", stored.reference, bool(interpreter))
    return Outcome([wording.receipt_reply(tr, stored.reference, slots.get(PHONE_STEP) or "", interpreter, office),
                    personal_data_removed(tr)], cleared())


def callback_payload(session, slots, language: str, interpreter: str | None, consent: Consent) -> dict[str, Any]:
    """What the coordinating unit gets, labels in Norwegian, the family's words as written."""
    topic = slots.get(TOPIC_STEP) or ""
    service = slots.get("service")
    titles_nb = {s.key: s.title for s in list_services(session, "nb")} if service else {}
    best = slots.get(TIME_STEP)
    decided = consent.decided_at if consent.decided_at.tzinfo else consent.decided_at.replace(tzinfo=timezone.utc)
    return {
        "kind": KIND,
        "guardian": {"name": slots.get(NAME_STEP), "phone": slots.get(PHONE_STEP)},
        "best_time": best, "best_time_nb": TIMES_NB.get(best, best),
        "language": language,
        "interpreter_needed": interpreter is not None,
        "interpreter_language": interpreter,
        "topic": topic,
        "topic_language": decide_language(topic, explicit=None, previous=language, history=[], default=language).language,
        "service": {"key": service, "title_nb": titles_nb.get(service, service)} if service else None,
        "office_nb": get_contact(session, MAIN_CONTACT, "nb").name,
        "consent": {"decided_at": decided.isoformat(), "text_version": consent.text_version},
        "submitted_from": "veiviser-chat",
        "prepared_at": datetime.now(timezone.utc).isoformat(),
    }
