"""The eligibility check in the chat: the form's question-and-answer step, the walk-through's start
and the result. Rasa's form keeps the loop going; what to ask and how to read answers is decided
in ``knowledge.eligibility``.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import clarifying
from actions.actions import VeiviserAction, send
from actions.checking import (
    CHECK_SLOT,
    LAST_CHECK_SLOT,
    REQUESTED_SLOT,
    active_check,
    begin_check,
    result_messages,
    slot_facts,
)
from actions.conversation import (
    conversation_language,
    entity_values,
    is_payload,
    turn_of,
)
from knowledge import replies
from knowledge.db import new_session
from knowledge.eligibility.dialogue import (
    WALKTHROUGH,
    facts_in_messages,
    next_fact,
    questions_at_most,
    read_answer,
    to_slot,
)
from knowledge.eligibility.engine import eligibility_services
from knowledge.eligibility.facts import FACTS
from knowledge.eligibility.wording import check_step, intro_text, question_reply, reask_reply, stopped_reply
from knowledge.forms import AGAIN, ELSEWHERE, STALE, STOP, Reading, Step, Turn, decide
from knowledge.i18n import Translator, translator
from knowledge.queries import UnknownService, get_service, list_services
from knowledge.text import ascii_digits

logger = logging.getLogger(__name__)

DONT_KNOW_MIN_CONFIDENCE = 0.6


class ValidateEligibilityForm(Action):
    """Each turn of the check: read the answer (or re-ask, explaining), then ask the next missing fact.

    Returning no events rejects the form for this turn, so Rasa's rules answer the new topic; the
    action that answers it then pauses the check (see VeiviserAction).
    """

    def name(self) -> str:
        return "validate_eligibility_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        tr = translator(conversation_language(tracker).language)
        scope = tracker.get_slot(CHECK_SLOT)
        requested = tracker.get_slot(REQUESTED_SLOT)
        day = date.today()
        if scope != WALKTHROUGH and scope not in eligibility_services():
            return [SlotSet(REQUESTED_SLOT, None)]
        facts = slot_facts(tracker)
        events: list[dict[str, Any]] = [SlotSet("language", tr.language)]
        intro = None
        if requested is None:  # the form has just started
            intro = intro_text(tr, scope, self._title(tr, scope), questions_at_most(scope, facts))
        else:
            turn = turn_of(tracker)
            text = turn.text
            decision = decide(turn, self._step(requested))  # the one way every form decides (knowledge.forms)
            if decision.kind == STALE:  # a button of an earlier question
                logger.info("check=%s fact=%s step=stale_button", scope, requested)
                note = tr.gettext("That button belonged to an earlier question. This is where we are now:")
                send(dispatcher, [replies.Reply(text=note), question_reply(tr, requested, day)])
                return events + [SlotSet(REQUESTED_SLOT, requested)]
            if decision.kind == STOP:
                logger.info("check=%s fact=%s step=stopped", scope, requested)
                send(dispatcher, [stopped_reply(tr, scope)])
                return events + [SlotSet(CHECK_SLOT, None), SlotSet(LAST_CHECK_SLOT, scope), SlotSet(REQUESTED_SLOT, None)]
            if decision.kind == ELSEWHERE:
                logger.info("check=%s fact=%s step=new_topic intent=%s", scope, requested, turn.intent)
                return []
            if decision.kind == AGAIN:
                logger.info("check=%s fact=%s step=reask problem=%s", scope, requested, decision.problem)
                send(dispatcher, [reask_reply(tr, requested, decision.problem, day)])
                return events + [SlotSet(requested, None), SlotSet(REQUESTED_SLOT, requested)]
            logger.info("check=%s fact=%s step=answered", scope, requested)
            facts[requested] = decision.value
            events.append(SlotSet(requested, to_slot(decision.value)))
            if not is_payload(text):
                for name, value in facts_in_messages([text]).items():
                    if name not in facts:
                        facts[name] = value
                        events.append(SlotSet(name, value))
        upcoming = next_fact(scope, facts, day)
        if upcoming:
            send(dispatcher, [question_reply(tr, upcoming, day, intro)])
        return events + [SlotSet(REQUESTED_SLOT, upcoming)]

    @staticmethod
    def _step(fact: str) -> Step:
        """A question of the check as ``knowledge.forms.decide`` reads it."""

        def read(turn: Turn) -> Reading:
            answer = read_answer(fact, turn.text, turn.intent if turn.tapped else None)
            if answer.problem == "unreadable" and turn.intent == "dont_know" and turn.confidence >= DONT_KNOW_MIN_CONFIDENCE:
                return Reading(None)  # a way of saying "don't know" the phrase list does not have
            return Reading(answer.value, answer.problem)

        # A short answer with figures tries to give a number ("12,5 år"); a longer one may be another question.
        attempted = (lambda text: bool(re.search(r"\d", ascii_digits(text))) and len(text.split()) <= 3) if FACTS[fact].kind != "bool" \
            else (lambda text: False)
        return Step(check_step(fact), read, attempted=attempted)

    @staticmethod
    def _title(tr: Translator, scope: str) -> str | None:
        if scope == WALKTHROUGH:
            return None
        try:
            with new_session() as session:
                return get_service(session, scope, tr.language).title
        except (SQLAlchemyError, UnknownService):
            return None  # the intro is still clear without the name


class ActionWhatWeCanGet(VeiviserAction):
    """"What can we get?": a short set of questions, then every service with its outcome."""

    def name(self) -> str:
        return "action_what_we_can_get"

    def respond(self, tr, tracker, session):
        suggested = clarifying.suggestions_for_a_need(tr, tracker, session)  # "what can we get for her swimming?"
        if suggested:
            return suggested, []
        return begin_check(tr, tracker, session, WALKTHROUGH)


class ActionEligibilityResult(VeiviserAction):
    """When the form has all it needs: the outcome with reasons, sources and the next step."""

    def name(self) -> str:
        return "action_eligibility_result"

    def respond(self, tr, tracker, session):
        scope = tracker.get_slot(CHECK_SLOT)
        if not scope:  # the family stopped the check; that was already answered
            return [], []
        facts = slot_facts(tracker)
        if scope != WALKTHROUGH and next_fact(scope, facts) is not None:
            logger.warning("check=%s ended with facts missing", scope)
        return result_messages(tr, session, scope, facts, date.today()), [SlotSet(CHECK_SLOT, None), SlotSet(LAST_CHECK_SLOT, scope)]


class ActionStartOver(VeiviserAction):
    """"I answered wrong" / "start again": forget the check's answers and ask them again."""

    def name(self) -> str:
        return "action_start_over"

    def respond(self, tr, tracker, session):
        named = [key for key in entity_values(tracker, "service") if key in eligibility_services()]
        scope = (named[0] if named else None) or active_check(tracker) or tracker.get_slot(LAST_CHECK_SLOT)
        if not scope:
            return replies.choose_service_answer(tr, list_services(session, tr.language), "eligibility"), []
        return begin_check(tr, tracker, session, scope, fresh=True)
