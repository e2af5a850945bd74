"""The eligibility check in the chat: how it starts, its questions as a form (knowledge.forms), and
its result. One question at a time, only what the engine still needs for the service (or the
walk-through's short set); the result comes when the form ends.

Slots: ``check`` holds the scope (a service key, or "all" for the walk-through); one slot per fact
(named as in DESIGN.md) holds an answer, "dont_know", or nothing when not asked. Facts stay for the
conversation, so a second check does not ask again what the family already said.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from knowledge import replies, suggestions
from knowledge.eligibility import engine
from knowledge.eligibility.dialogue import (
    WALKTHROUGH,
    WALKTHROUGH_FACTS,
    facts_from_slots,
    facts_in_messages,
    next_fact,
    questions_at_most,
    read_answer,
    to_slot,
)
from knowledge.eligibility.engine import eligibility_services
from knowledge.eligibility.facts import FACTS
from knowledge.eligibility.rules import RULES
from knowledge.eligibility.wording import (
    check_step,
    intro_text,
    overview_replies,
    paused_note,
    question_reply,
    reask_reply,
    restart_button,
    result_replies,
    stopped_reply,
)
from knowledge.forms import REQUESTED, Form, FormState, Reading, Step, Turn
from knowledge.handoff.offer import offer_a_person
from knowledge.i18n import Translator
from knowledge.offline import MAIN_CONTACT
from knowledge.queries import (
    UnknownService,
    deciding_office,
    deciding_offices,
    get_contact,
    get_service,
    list_services,
)
from knowledge.replies import Reply
from knowledge.text import ascii_digits
from knowledge.turn import Outcome

logger = logging.getLogger(__name__)

CHECK_SLOT = "check"  # the scope: a service key, or "all" for the walk-through
LAST_CHECK_SLOT = "last_check"  # the scope of the check that ended last ("start over" goes back to it)
#: A "don't know" the phrase lists do not have, when the classifier is this sure of it.
DONT_KNOW_MIN_CONFIDENCE = 0.6


class CheckForm(Form):
    name = "eligibility_form"
    slots = (CHECK_SLOT, LAST_CHECK_SLOT, *FACTS)

    def active(self, state: FormState) -> bool:
        scope = state.get(CHECK_SLOT)
        return scope == WALKTHROUGH or scope in eligibility_services()

    def next_step(self, state: FormState) -> str | None:
        return next_fact(state.get(CHECK_SLOT), facts_from_slots(state.slots), self.today)

    def intro(self, state: FormState) -> str | None:
        scope = state.get(CHECK_SLOT)
        return intro_text(self.tr, scope, self._title(scope), questions_at_most(scope, facts_from_slots(state.slots)))

    def step(self, state: FormState, name: str) -> Step:
        def read(turn: Turn) -> Reading:
            answer = read_answer(name, turn.text, turn.intent if turn.tapped else None)
            if answer.problem == "unreadable" and turn.intent == "dont_know" and turn.confidence >= DONT_KNOW_MIN_CONFIDENCE:
                return Reading(None)  # a way of saying "don't know" the phrase list does not have
            return answer

        # A short answer with figures tries to give a number ("12,5 år"); a longer one may be another question.
        attempted = (lambda text: bool(re.search(r"\d", ascii_digits(text))) and len(text.split()) <= 3) \
            if FACTS[name].kind != "bool" else (lambda text: False)
        return Step(check_step(name), read, attempted=attempted)

    def ask(self, state: FormState, name: str, problem: str | None = None, intro: str | None = None) -> list[Reply]:
        if problem:
            return [reask_reply(self.tr, name, problem, self.today)]
        return [question_reply(self.tr, name, self.today, intro)]

    def store(self, state: FormState, name: str, value: Any, turn: Turn) -> dict[str, Any]:
        """The answer, and any other fact the same message states ("nei, hun er 5 år")."""
        changes = {name: to_slot(value)}
        if not turn.tapped:
            known = facts_from_slots(state.slots)
            changes.update({other: to_slot(found) for other, found in facts_in_messages([turn.text]).items()
                            if other != name and other not in known})
        return changes

    def cancel(self, state: FormState) -> Outcome:
        scope = state.get(CHECK_SLOT)
        return Outcome([stopped_reply(self.tr, scope)], {CHECK_SLOT: None, LAST_CHECK_SLOT: scope, REQUESTED: None})

    def pause(self, state: FormState) -> dict[str, Any]:
        return {**super().pause(state), CHECK_SLOT: None}

    def resume_button(self, state: FormState) -> dict[str, str]:
        return restart_button(self.tr, state.get(CHECK_SLOT))

    def paused_note(self) -> str:
        return paused_note(self.tr)

    def _title(self, scope: str) -> str | None:
        if scope == WALKTHROUGH or self.session is None:
            return None
        try:
            return get_service(self.session, scope, self.tr.language).title
        except (SQLAlchemyError, UnknownService):
            return None  # the intro is still clear without the name


# --- starting, ending and starting over ------------------------------------------------------------

def active_check(turn: Turn) -> str | None:
    """The scope of the check whose form is asking, if any."""
    return turn.slot(CHECK_SLOT) if turn.form == CheckForm.name else None


def known_facts(turn: Turn) -> dict[str, Any]:
    return facts_from_slots(turn.slots)


def stated_facts(turn: Turn) -> dict[str, Any]:
    """Facts said in passing in this conversation and not yet in a slot."""
    known = known_facts(turn)
    said = facts_in_messages([*turn.history, *([] if turn.tapped else [turn.text])])
    return {name: value for name, value in said.items() if name not in known}


def facts_of(scope: str) -> set[str]:
    """The facts a check may ask about."""
    if scope == WALKTHROUGH:
        return set(WALKTHROUGH_FACTS)
    return {name for rule in RULES if rule.service == scope for name in rule.facts}


def begin_check(tr: Translator, turn: Turn, session, scope: str, day: date | None = None, fresh: bool = False) -> Outcome:
    """Start a check: the form asks what is missing, or, when nothing is, the result comes at once.

    ``fresh`` starts over: the check's earlier answers are forgotten, and only what the latest
    message says ("he is actually 7") is kept.
    """
    day = day or date.today()
    changes: dict[str, Any] = {}
    known = known_facts(turn)
    if fresh:
        forgotten = facts_of(scope) & set(known)
        changes.update(dict.fromkeys(sorted(forgotten)))
        known = {name: value for name, value in known.items() if name not in forgotten}
        stated = {} if turn.tapped else facts_in_messages([turn.text])
    else:
        stated = stated_facts(turn)
    changes.update({name: to_slot(value) for name, value in stated.items()})
    facts = {**known, **stated}
    if next_fact(scope, facts, day):
        return Outcome([], {**changes, CHECK_SLOT: scope, REQUESTED: None}, followup=CheckForm.name)
    return Outcome(result_messages(tr, session, scope, facts, day), {**changes, CHECK_SLOT: None, LAST_CHECK_SLOT: scope})


def result_messages(tr: Translator, session, scope: str, facts: dict[str, Any], day: date) -> list[Reply]:
    contact = get_contact(session, MAIN_CONTACT, tr.language)
    if scope == WALKTHROUGH:
        results = engine.overview(facts, tr.language, day, deciding_offices(session, tr.language))
        services = {service.key: service for service in list_services(session, tr.language)}
        return overview_replies(tr, results, services, contact, facts, day)
    service = get_service(session, scope, tr.language)
    own = get_contact(session, service.contact_key, tr.language)
    result = engine.evaluate(scope, facts, tr.language, day, deciding_office(session, service.decided_by_key, tr.language))
    return result_replies(tr, result, service, own, facts, day, helpline=own if own.phone else contact)


def what_we_can_get(tr: Translator, turn: Turn, session) -> Outcome:
    """"What can we get?": a short set of questions, then every service with its outcome."""
    suggested = suggestions.suggestions_for_a_need(tr, turn, session)  # "what can we get for her swimming?"
    if suggested:
        return Outcome(suggested)
    return begin_check(tr, turn, session, WALKTHROUGH)


#: A result that leaves the family with a "no" or with the case worker's judgement offers a person.
OFFERS_A_PERSON = ("likely_not_eligible", "needs_assessment")


def check_result(tr: Translator, turn: Turn, session) -> Outcome:
    """When the form has all it needs: the outcome with reasons, sources and the next step."""
    scope = turn.slot(CHECK_SLOT)
    if not scope:  # the family stopped the check; that was already answered
        return Outcome()
    facts = known_facts(turn)
    if scope != WALKTHROUGH and next_fact(scope, facts) is not None:
        logger.warning("check=%s ended with facts missing", scope)
    messages = result_messages(tr, session, scope, facts, date.today())
    if any(((m.custom or {}).get("eligibility") or {}).get("outcome") in OFFERS_A_PERSON for m in messages):
        offer_a_person(tr, session, messages)
    return Outcome(messages, {CHECK_SLOT: None, LAST_CHECK_SLOT: scope})


def start_over(tr: Translator, turn: Turn, session) -> Outcome:
    """"I answered wrong" / "start again": forget the check's answers and ask them again."""
    named = [key for key in turn.entity_values("service") if key in eligibility_services()]
    scope = (named[0] if named else None) or active_check(turn) or turn.slot(LAST_CHECK_SLOT)
    if not scope:
        return Outcome(replies.choose_service_answer(tr, list_services(session, tr.language), "eligibility"))
    return begin_check(tr, turn, session, scope, fresh=True)
