"""The eligibility check's state in a Rasa tracker: which check is running, the facts known so far,
and how a check starts, pauses and ends. The logic itself is in ``knowledge.eligibility``.

Slots: ``check`` holds the scope (a service key, or "all" for the walk-through); one slot per
fact (named as in DESIGN.md) holds an answer, "dont_know", or nothing when not asked. Facts stay
for the conversation, so a second check does not ask again what the family already said.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet

from actions.conversation import is_payload, user_texts
from knowledge.eligibility import engine
from knowledge.eligibility.dialogue import (
    WALKTHROUGH,
    WALKTHROUGH_FACTS,
    facts_from_slots,
    facts_in_messages,
    next_fact,
    to_slot,
)
from knowledge.eligibility.facts import FACTS
from knowledge.eligibility.rules import RULES
from knowledge.eligibility.wording import overview_replies, paused_note, restart_button, result_replies
from knowledge.i18n import Translator
from knowledge.offline import MAIN_CONTACT
from knowledge.queries import deciding_office, deciding_offices, get_contact, get_service, list_services
from knowledge.replies import Reply, add_note

FORM = "eligibility_form"
CHECK_SLOT = "check"
LAST_CHECK_SLOT = "last_check"
REQUESTED_SLOT = "requested_slot"


def active_check(tracker: Tracker) -> str | None:
    """The scope of the check whose form is running, if any."""
    loop = tracker.active_loop or {}
    return tracker.get_slot(CHECK_SLOT) if loop.get("name") == FORM else None


def slot_facts(tracker: Tracker) -> dict[str, Any]:
    return facts_from_slots({name: tracker.get_slot(name) for name in FACTS})


def stated_facts(tracker: Tracker) -> dict[str, Any]:
    """Facts said in passing in this conversation and not yet in a slot."""
    known = slot_facts(tracker)
    said = facts_in_messages(text for text in user_texts(tracker) if not is_payload(text))
    return {name: value for name, value in said.items() if name not in known}


def facts_of(scope: str) -> set[str]:
    """The facts a check may ask about."""
    if scope == WALKTHROUGH:
        return set(WALKTHROUGH_FACTS)
    return {name for rule in RULES if rule.service == scope for name in rule.facts}


def begin_check(tr: Translator, tracker: Tracker, session, scope: str, day: date | None = None,
                fresh: bool = False) -> tuple[list[Reply], list[dict]]:
    """Start a check: the form asks what is missing, or, when nothing is, the result comes at once.

    ``fresh`` starts over: the check's earlier answers are forgotten, and only what the latest
    message says ("he is actually 7") is kept.
    """
    day = day or date.today()
    events: list[dict] = []
    known = slot_facts(tracker)
    if fresh:
        forgotten = facts_of(scope) & set(known)
        events += [SlotSet(name, None) for name in sorted(forgotten)]
        known = {name: value for name, value in known.items() if name not in forgotten}
        latest = tracker.latest_message.get("text") or ""
        stated = {} if is_payload(latest) else facts_in_messages([latest])
    else:
        stated = {name: value for name, value in stated_facts(tracker).items() if name not in known}
    events += [SlotSet(name, to_slot(value)) for name, value in stated.items()]
    facts = {**known, **stated}
    if next_fact(scope, facts, day):
        return [], events + [SlotSet(CHECK_SLOT, scope), SlotSet(REQUESTED_SLOT, None), FollowupAction(FORM)]
    return result_messages(tr, session, scope, facts, day), events + [SlotSet(CHECK_SLOT, None), SlotSet(LAST_CHECK_SLOT, scope)]


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


def pause_events() -> list[dict]:
    """End the running form so the new topic is answered and the form does not ask again."""
    return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet(CHECK_SLOT, None)]


def add_resume(tr: Translator, messages: list[Reply], scope: str) -> None:
    """After another topic, offer to go back to the check (the answers so far are kept)."""
    for message in messages:
        if message.custom is None and message.text:
            add_note(messages, paused_note(tr))
            message.buttons = [restart_button(tr, scope), *message.buttons]
            return
