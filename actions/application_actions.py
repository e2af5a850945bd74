"""Filling in an application in the chat: consent first, one question at a time, a review the
family confirms, then storage (encrypted), delivery through the outbox, and a receipt.

The form's state is in slots named ``app_…``; they hold personal data only while the family is
filling in, and are cleared when the application is sent or cancelled.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.actions import VeiviserAction, send
from actions.applying import (
    CHANGE,
    CONSENT,
    CONSENT_ID,
    EDITING,
    REQUESTED_SLOT,
    REVIEW,
    SERVICES,
    clear_events,
    filled_fields,
)
from actions.checking import slot_facts
from actions.conversation import (
    conversation_language,
    entity_values,
    explicit_language,
    is_new_topic,
    is_payload,
    latest_intent,
    turn_of,
    wants_to_stop,
)
from knowledge.applications.delivery import deliver_due
from knowledge.applications.fields import (
    BY_NAME,
    DONT_KNOW_ANSWER,
    FREE_TEXT_KINDS,
    SHAPED_KINDS,
    attempts_an_answer,
    could_mean_stop,
    is_a_question,
    next_field,
    read_field,
    step_of,
)
from knowledge.applications.models import Consent
from knowledge.applications.receipt import wants_receipt
from knowledge.applications.store import record_consent, submit_application
from knowledge.applications.wording import (
    CONSENT_VERSION,
    REVIEW_FIELDS,
    cancelled_reply,
    change_menu_reply,
    consent_reply,
    personal_data_removed,
    question_reply,
    receipt_reply,
    refused_reply,
    review_problem_reply,
    review_reply,
    start_text,
)
from knowledge.config import load_settings
from knowledge.db import new_session
from knowledge.eligibility.answers import parse_yes_no
from knowledge.eligibility.dialogue import BUTTON_ANSWERS
from knowledge.eligibility.engine import eligibility_services, evaluate
from knowledge.eligibility.wording import facts_lines
from knowledge.forms import AGAIN, ELSEWHERE, STALE, STOP, Reading, Step, Turn, decide
from knowledge.i18n import translator
from knowledge.language_detection import decide_language
from knowledge.offline import MAIN_CONTACT, offline_contact
from knowledge.queries import get_contact, list_services
from knowledge.replies import Reply, add_note, phone_line

logger = logging.getLogger(__name__)
OUTCOME_NB = {"likely_eligible": "trolig rett", "needs_assessment": "må vurderes av saksbehandler",
              "need_more_info": "ikke nok opplysninger", "likely_not_eligible": "trolig ikke rett"}

class ValidateApplicationForm(Action):
    """One turn of the application form: read the answer (or explain and ask again), then the next question."""

    def name(self) -> str:
        return "validate_application_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        # Names, addresses, e-mails and the family's own words are not a request to switch language:
        # while filling in, only an explicit choice (the widget's picker) changes it.
        language = explicit_language(tracker) or (tracker.get_slot("language") if requested else None)
        tr = translator(language or conversation_language(tracker).language)
        settings = load_settings()
        events: list[dict[str, Any]] = [SlotSet("language", tr.language)]
        try:
            with new_session() as session:
                office = get_contact(session, MAIN_CONTACT, tr.language)
                # Only services applied for through the coordinating unit (routing); the others are not offered.
                services = {s.key: s.title for s in list_services(session, tr.language) if s.applied_for_through_veiviser}
                if requested is None:
                    if tracker.get_slot(CONSENT) is True:
                        return events + self._ask_next(dispatcher, tr, filled_fields(tracker), services, office, intro=None)
                    send(dispatcher, [consent_reply(tr, office, settings.retention_days)])
                    return events + [SlotSet(REQUESTED_SLOT, CONSENT)]
                text = tracker.latest_message.get("text") or ""
                field = requested.removeprefix("app_")
                if field in BY_NAME:  # a question of the form: decided the one way every form decides
                    step = self._field(dispatcher, tr, tracker, settings, session, field, services, office)
                    return events + step if step else []  # no events: another topic, which the rules answer
                if self._stale_tap(tracker, requested, text):
                    return events + self._show_again(dispatcher, tr, tracker, settings, requested, services, office)
                if wants_to_stop(tracker) or (requested == CONSENT and latest_intent(tracker) == "deny"):
                    return events + self._stop(dispatcher, tr, tracker, session, settings, office, requested)
                if requested == CONSENT:
                    step = self._consent(dispatcher, tr, tracker, session, settings, office, services)
                elif requested == REVIEW:
                    step = self._review(dispatcher, tr, tracker, services, office)
                elif requested == CHANGE:
                    step = self._change(dispatcher, tr, tracker, services)
                else:
                    step = self._answer(dispatcher, tr, tracker, requested, text, services, office)
                return events + step if step else []  # no events: another topic, which the rules answer
        except SQLAlchemyError as error:
            logger.error("application form: knowledge base unavailable (%s)", type(error).__name__)
            contact = offline_contact(tr.language)
            send(dispatcher, [Reply(text=tr.gettext("I cannot look that up right now.") + " " + phone_line(tr, contact))])
            return events + [SlotSet(REQUESTED_SLOT, None)]

    @staticmethod
    def _stale_tap(tracker: Tracker, requested: str, text: str) -> bool:
        """A tapped button of another step (an old "Yes" further up), or a "Send" without the
        review's step: only the review's own confirm sends the application."""
        if not is_payload(text):
            return False
        step = next(iter(entity_values(tracker, "step")), None)
        if step is not None:
            return step != requested
        return requested == REVIEW and latest_intent(tracker) == "affirm"

    def _show_again(self, dispatcher, tr, tracker, settings, requested, services, office) -> list[dict]:
        """Where the form is, again, after a tap on an old button; nothing changes."""
        logger.info("application: stale button at %s", requested)
        note = tr.gettext("That button belonged to an earlier question. This is where we are now:")
        if requested == CONSENT:
            messages = [consent_reply(tr, office, settings.retention_days)]
        elif requested == REVIEW:
            messages = review_reply(tr, filled_fields(tracker), services, office)
        elif requested == CHANGE:
            messages = [change_menu_reply(tr)]
        else:
            field = requested.removeprefix("app_")
            messages = [question_reply(tr, field, service_choices=self._choices(services))]
        send(dispatcher, [Reply(text=note), *messages])
        return [SlotSet(REQUESTED_SLOT, requested)]

    # --- steps -----------------------------------------------------------------------------------

    def _stop(self, dispatcher, tr, tracker, session, settings, office, requested) -> list[dict]:
        if requested == CONSENT:
            record_consent(session, tracker.sender_id, False, tr.language, CONSENT_VERSION, settings)
            session.commit()
            logger.info("application: consent refused")
            send(dispatcher, [refused_reply(tr, office)])
        else:
            logger.info("application: cancelled at %s", requested)
            send(dispatcher, [cancelled_reply(tr), personal_data_removed(tr)])
        return clear_events() + [SlotSet(REQUESTED_SLOT, None)]

    def _consent(self, dispatcher, tr, tracker, session, settings, office, services) -> list[dict]:
        text = tracker.latest_message.get("text") or ""
        agreed = True if latest_intent(tracker) == "affirm" and is_payload(text) else parse_yes_no(text)
        if agreed is True:
            consent = record_consent(session, tracker.sender_id, True, tr.language, CONSENT_VERSION, settings)
            session.commit()
            logger.info("application: consent given")
            return [SlotSet(CONSENT, True), SlotSet(CONSENT_ID, consent.id)] + self._ask_next(
                dispatcher, tr, filled_fields(tracker), services, office, intro=start_text(tr))
        if agreed is False:
            return self._stop(dispatcher, tr, tracker, session, settings, office, CONSENT)
        if is_new_topic(tracker):
            return []
        send(dispatcher, [consent_reply(tr, office, settings.retention_days)])
        return [SlotSet(REQUESTED_SLOT, CONSENT)]

    @staticmethod
    def _step(field: str, filled: dict[str, Any]) -> Step:
        """A question of the application as ``knowledge.forms.decide`` reads it."""
        spec = BY_NAME[field]

        def read(turn: Turn) -> Reading:
            if turn.tapped and spec.kind == "yes_no":  # a tapped Yes / No / Don't know
                allowed = turn.intent in ("affirm", "deny") or (turn.intent == "dont_know" and spec.optional)
                return Reading(BUTTON_ANSWERS[turn.intent]) if allowed else Reading(problem="yes_no")
            return read_field(field, turn.text, filled)

        return Step(step_of(field), read, attempted=lambda text: spec.kind in SHAPED_KINDS and attempts_an_answer(field, text),
                    free_text=spec.kind in FREE_TEXT_KINDS, could_mean_stop=could_mean_stop, is_question=is_a_question)

    def _field(self, dispatcher, tr, tracker, settings, session, field, services, office) -> list[dict]:
        """One answer to one question: stored, asked again with its help, or handed on."""
        requested, filled = step_of(field), filled_fields(tracker)
        turn = turn_of(tracker)
        decision = decide(turn, self._step(field, filled))
        if decision.kind == STALE:
            return self._show_again(dispatcher, tr, tracker, settings, requested, services, office)
        if decision.kind == STOP:
            return self._stop(dispatcher, tr, tracker, session, settings, office, requested)
        if decision.kind == ELSEWHERE:
            logger.info("application: field=%s step=new_topic", field)
            return []
        if decision.kind == AGAIN:
            if field == "child_identity_number":
                new_date = read_field("child_birth_date", turn.text, filled)
                if new_date.problem is None:  # they corrected the date of birth instead
                    send(dispatcher, [question_reply(tr, "child_identity_number")])
                    return [SlotSet("app_child_birth_date", new_date.value), SlotSet(REQUESTED_SLOT, requested)]
            values = {"date": date.fromisoformat(filled["child_birth_date"]).strftime("%d.%m.%Y")} if filled.get("child_birth_date") else {}
            return self._again(dispatcher, tr, field, decision.problem, services, values)
        return self._store(dispatcher, tr, tracker, field, DONT_KNOW_ANSWER if decision.value is None else decision.value,
                           filled, services, office)

    def _answer(self, dispatcher, tr, tracker, requested, text, services, office) -> list[dict]:
        """Which services: tapped or typed titles, or services the message names."""
        filled = filled_fields(tracker)
        chosen = [key for key in entity_values(tracker, "service") if key in services]
        chosen += [key for key, title in services.items() if text.strip().casefold() in (key, title.casefold())]
        if not chosen:
            return self._again(dispatcher, tr, "services", "services", services)
        return self._store(dispatcher, tr, tracker, "services", list(dict.fromkeys([*(filled.get("services") or []), *chosen])),
                           filled, services, office)

    def _store(self, dispatcher, tr, tracker, field, value, filled, services, office) -> list[dict]:
        requested = SERVICES if field == "services" else step_of(field)
        logger.info("application: field=%s step=answered", field)
        filled[field] = value
        events = [SlotSet(requested, value)]
        if tracker.get_slot(EDITING):
            send(dispatcher, review_reply(tr, filled, services, office))
            return events + [SlotSet(EDITING, None), SlotSet(REQUESTED_SLOT, REVIEW)]
        return events + self._ask_next(dispatcher, tr, filled, services, office, intro=None)

    def _again(self, dispatcher, tr, field, problem, services, values=None) -> list[dict]:
        logger.info("application: field=%s step=reask problem=%s", field, problem)
        send(dispatcher, [question_reply(tr, field, problem=problem, service_choices=self._choices(services), values=values)])
        return [SlotSet(f"app_{field}", None), SlotSet(REQUESTED_SLOT, f"app_{field}")]

    def _ask_next(self, dispatcher, tr, filled, services, office, intro) -> list[dict]:
        if not filled.get("services"):
            send(dispatcher, [question_reply(tr, "services", intro=intro, service_choices=self._choices(services))])
            return [SlotSet(REQUESTED_SLOT, SERVICES)]
        upcoming = next_field(filled)
        if upcoming is None:
            review = review_reply(tr, filled, services, office)
            if intro:
                add_note(review, intro, at_start=True)
            send(dispatcher, review)
            return [SlotSet(REQUESTED_SLOT, REVIEW)]
        send(dispatcher, [question_reply(tr, upcoming, intro=intro)])
        return [SlotSet(REQUESTED_SLOT, f"app_{upcoming}")]

    def _review(self, dispatcher, tr, tracker, services, office) -> list[dict]:
        text = tracker.latest_message.get("text") or ""
        intent = latest_intent(tracker)
        answer = {"affirm": True, "deny": False}.get(intent) if is_payload(text) else parse_yes_no(text)
        if answer is True:
            logger.info("application: confirmed")
            return [SlotSet(REVIEW, "confirmed"), SlotSet(REQUESTED_SLOT, None)]
        if answer is False:
            send(dispatcher, [change_menu_reply(tr)])
            return [SlotSet(REVIEW, None), SlotSet(REQUESTED_SLOT, CHANGE)]
        if is_new_topic(tracker):
            return []
        send(dispatcher, [review_problem_reply(tr)])
        return [SlotSet(REVIEW, None), SlotSet(REQUESTED_SLOT, REVIEW)]

    def _change(self, dispatcher, tr, tracker, services) -> list[dict]:
        text = (tracker.latest_message.get("text") or "").strip()
        number = int(text) if text.isdigit() else 0
        if not 1 <= number <= len(REVIEW_FIELDS):
            if is_new_topic(tracker):
                return []
            send(dispatcher, [change_menu_reply(tr)])
            return [SlotSet(CHANGE, None), SlotSet(REQUESTED_SLOT, CHANGE)]
        field = REVIEW_FIELDS[number - 1]
        send(dispatcher, [question_reply(tr, field, service_choices=self._choices(services))])
        slot = SERVICES if field == "services" else f"app_{field}"
        return [SlotSet(slot, None), SlotSet(EDITING, True), SlotSet(CHANGE, None), SlotSet(REQUESTED_SLOT, slot)]

    @staticmethod
    def _choices(services: dict[str, str]) -> list[tuple[str, str]]:
        return list(services.items())


class ActionSubmitApplication(VeiviserAction):
    """After the family confirmed the review: store (encrypted), deliver, and give the receipt."""

    def name(self) -> str:
        return "action_submit_application"

    def respond(self, tr, tracker, session):
        if tracker.get_slot(REVIEW) != "confirmed" or tracker.get_slot(CONSENT) is not True:
            return [], []  # cancelled or refused: already answered
        settings = load_settings()
        consent = session.get(Consent, tracker.get_slot(CONSENT_ID))
        filled = filled_fields(tracker)
        office = get_contact(session, MAIN_CONTACT, tr.language)
        payload = build_payload(session, filled, slot_facts(tracker), tr.language, consent)
        application = submit_application(session, consent, payload, filled["services"], tr.language, settings)
        session.commit()
        logger.info("application: stored reference=%s services=%d", application.reference, len(filled["services"]))
        deliver_due(session, settings, application_id=application.id)
        session.refresh(application)
        delivered = application.status == "delivered"  # the office has it (the family's e-mail copy is separate)
        return [receipt_reply(tr, application.reference, delivered, office, emailed=wants_receipt(payload)),
                personal_data_removed(tr)], clear_events()


def build_payload(session, filled: dict[str, Any], facts: dict[str, Any], language: str, consent: Consent) -> dict[str, Any]:
    """What the case worker gets: the family's answers, service names and the indicative check in Norwegian."""
    titles_nb = {s.key: s.title for s in list_services(session, "nb")}
    nb = translator("nb")
    checks = [{"key": key, "title_nb": titles_nb.get(key, key), "outcome_nb": OUTCOME_NB[evaluate(key, facts, "nb")["outcome"]]}
              for key in filled["services"] if key in eligibility_services()]
    return {
        "guardian": {"name": filled["guardian_name"], "phone": filled["guardian_phone"], "email": filled["guardian_email"],
                     "address": filled["guardian_address"]},
        "child": {"name": filled["child_name"], "birth_date": filled["child_birth_date"],  # ISO 8601
                  "identity_number": filled["child_identity_number"]},
        "services": [{"key": key, "title_nb": titles_nb.get(key, key)} for key in filled["services"]],
        "office_nb": get_contact(session, MAIN_CONTACT, "nb").name,  # the coordinating unit the form goes to
        "need_description": filled["need_description"],
        "need_language": decide_language(filled["need_description"], explicit=None, previous=language, history=[],
                                         default=language).language,
        "current_services": filled["current_services"],
        "preferred_language": filled["preferred_language"],
        "interpreter_needed": filled["interpreter_needed"],
        "coordinator_wanted": filled["coordinator_wanted"],  # True, False or "dont_know", as the family answered
        "eligibility": checks,
        "facts_nb": facts_lines(nb, facts, date.today()),
        "consent": {"decided_at": (consent.decided_at if consent.decided_at.tzinfo else consent.decided_at.replace(tzinfo=timezone.utc)).isoformat(),
                    "text_version": consent.text_version},
        "submitted_from": "veiviser-chat",
        "prepared_at": datetime.now(timezone.utc).isoformat(),
    }
