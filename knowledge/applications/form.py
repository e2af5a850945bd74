"""The application as a form (knowledge.forms): consent first, then the services and the family's
details one question at a time, a review the family confirms, and a menu to change an answer.

Its state is in slots named ``app_…``; they hold personal data only while the family is filling
in and are cleared when the application is sent or cancelled. Sending happens after the form
ends (the confirmed review), outside this module.
"""
from __future__ import annotations

import logging
from datetime import date
from functools import cached_property
from typing import Any

from knowledge.applications.fields import (
    BY_NAME,
    CHANGE_STEP,
    CONSENT_STEP,
    DONT_KNOW_ANSWER,
    FIELD_NAMES,
    FREE_TEXT_KINDS,
    REVIEW_STEP,
    SERVICES_STEP,
    SHAPED_KINDS,
    attempts_an_answer,
    could_mean_stop,
    is_a_question,
    next_field,
    read_field,
    step_of,
)
from knowledge.applications.store import record_consent
from knowledge.applications.wording import (
    CONSENT_VERSION,
    REVIEW_FIELDS,
    cancelled_reply,
    change_menu_reply,
    consent_reply,
    personal_data_removed,
    question_reply,
    refused_reply,
    review_problem_reply,
    review_reply,
    start_text,
)
from knowledge.config import load_settings
from knowledge.forms import BUTTON_ANSWERS, REQUESTED, Form, FormState, Outcome, Reading, Step, Turn
from knowledge.offline import MAIN_CONTACT
from knowledge.queries import get_contact, list_services
from knowledge.replies import Reply, add_note, button

logger = logging.getLogger(__name__)

CONSENT_ID, EDITING = "app_consent_id", "app_editing"
FIELD_SLOTS = tuple(step_of(name) for name in FIELD_NAMES)
ALL_SLOTS = (CONSENT_STEP, CONSENT_ID, SERVICES_STEP, REVIEW_STEP, CHANGE_STEP, EDITING, *FIELD_SLOTS)


def filled_fields(slots) -> dict[str, Any]:
    """The answers so far by field name (``services`` a list of service keys)."""
    values = {name: slots.get(step_of(name)) for name in FIELD_NAMES}
    values["services"] = slots.get(SERVICES_STEP) or []
    return values


def cleared() -> dict[str, Any]:
    """Personal data leaves the conversation once the application is sent or cancelled."""
    return dict.fromkeys(ALL_SLOTS)


class ApplicationForm(Form):
    name = "application_form"
    slots = ALL_SLOTS
    consent_step, review_step, change_step, editing_slot = CONSENT_STEP, REVIEW_STEP, CHANGE_STEP, EDITING
    keeps_language = True

    @cached_property
    def services(self) -> dict[str, str]:
        """Only services applied for through the coordinating unit (routing); the others are not offered."""
        return {s.key: s.title for s in list_services(self.session, self.tr.language) if s.applied_for_through_veiviser}

    @cached_property
    def office(self):
        return get_contact(self.session, MAIN_CONTACT, self.tr.language)

    # --- the questions -----------------------------------------------------------------------------

    def next_step(self, state: FormState) -> str | None:
        filled = filled_fields(state.slots)
        if not filled["services"]:
            return SERVICES_STEP
        upcoming = next_field(filled)
        return step_of(upcoming) if upcoming else None

    def changeable(self, state: FormState) -> tuple[str, ...]:
        return tuple(SERVICES_STEP if name == "services" else step_of(name) for name in REVIEW_FIELDS)

    def step(self, state: FormState, name: str) -> Step:
        if name == SERVICES_STEP:
            return Step(name, self._read_services)
        field = name.removeprefix("app_")
        spec = BY_NAME[field]
        filled = filled_fields(state.slots)

        def read(turn: Turn) -> Reading:
            if turn.tapped and spec.kind == "yes_no":  # a tapped Yes / No / Don't know
                allowed = turn.intent in ("affirm", "deny") or (turn.intent == "dont_know" and spec.optional)
                return Reading(BUTTON_ANSWERS[turn.intent]) if allowed else Reading(problem="yes_no")
            return read_field(field, turn.text, filled, self.today)

        return Step(name, read, attempted=lambda text: spec.kind in SHAPED_KINDS and attempts_an_answer(field, text),
                    free_text=spec.kind in FREE_TEXT_KINDS, could_mean_stop=could_mean_stop, is_question=is_a_question)

    def _read_services(self, turn: Turn) -> Reading:
        """Tapped or typed titles, or services the message names."""
        chosen = [str(e.get("value")) for e in turn.entities if e.get("entity") == "service" and e.get("value") in self.services]
        typed = turn.text.strip().casefold()
        chosen += [key for key, title in self.services.items() if typed in (key, title.casefold())]
        return Reading(list(dict.fromkeys(chosen))) if chosen else Reading(problem="services")

    def ask(self, state: FormState, name: str, problem: str | None = None, intro: str | None = None) -> list[Reply]:
        tr = self.tr
        if name == CONSENT_STEP:
            return [consent_reply(tr, self.office, load_settings().retention_days)]
        if name == REVIEW_STEP:
            if problem:
                return [review_problem_reply(tr)]
            review = review_reply(tr, filled_fields(state.slots), self.services, self.office)
            if intro:
                add_note(review, intro, at_start=True)
            return review
        if name == CHANGE_STEP:
            return [change_menu_reply(tr)]
        field = "services" if name == SERVICES_STEP else name.removeprefix("app_")
        born = state.get(step_of("child_birth_date"))
        values = {"date": date.fromisoformat(born).strftime("%d.%m.%Y")} if born else {}
        return [question_reply(tr, field, intro=intro, problem=problem, service_choices=list(self.services.items()), values=values)]

    def store(self, state: FormState, name: str, value: Any, turn: Turn) -> dict[str, Any]:
        if name == SERVICES_STEP:  # added to those already chosen
            return {name: list(dict.fromkeys([*(state.get(SERVICES_STEP) or []), *value]))}
        return {name: DONT_KNOW_ANSWER if value is None else value}

    def again(self, state: FormState, problem: str | None, turn: Turn) -> Outcome:
        if state.step == step_of("child_identity_number"):
            corrected = read_field("child_birth_date", turn.text, filled_fields(state.slots), self.today)
            if corrected.problem is None:  # they corrected the date of birth instead, as the help suggests
                changes = {step_of("child_birth_date"): corrected.value}
                return Outcome(self.ask(state.with_changes(changes), state.step), {**changes, REQUESTED: state.step})
        return super().again(state, problem, turn)

    # --- consent, cancel, pause -----------------------------------------------------------------

    def consented(self, state: FormState) -> tuple[dict[str, Any], str | None]:
        consent = record_consent(self.session, self.conversation_id, True, self.tr.language, CONSENT_VERSION, load_settings())
        self.session.commit()
        logger.info("application: consent given")
        return {CONSENT_STEP: True, CONSENT_ID: consent.id}, start_text(self.tr)

    def cancel(self, state: FormState) -> Outcome:
        if state.step == CONSENT_STEP:
            record_consent(self.session, self.conversation_id, False, self.tr.language, CONSENT_VERSION, load_settings())
            self.session.commit()
            logger.info("application: consent refused")
            replies = [refused_reply(self.tr, self.office)]
        else:
            logger.info("application: cancelled at %s", state.step)
            replies = [cancelled_reply(self.tr), personal_data_removed(self.tr)]
        return Outcome(replies, {**cleared(), REQUESTED: None})

    def resume_button(self, state: FormState) -> dict[str, str]:
        return button(self.tr.gettext("Continue the application"), "apply")

    def paused_note(self) -> str:
        return self.tr.gettext("(I have paused the application. Your answers are kept until you leave the chat.)")


def begin_application(turn: Turn, services: list[str]) -> Outcome:
    """Start (or continue) the form; services named now are added to those already chosen."""
    chosen = list(dict.fromkeys([*(turn.slot(SERVICES_STEP) or []), *services]))
    return Outcome([], {SERVICES_STEP: chosen, REQUESTED: None}, followup=ApplicationForm.name)
