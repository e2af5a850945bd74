"""The eligibility check as a conversation, independent of Rasa.

Which question comes next (only what the engine still needs, re-evaluated after every answer, so
an answer that settles the outcome ends the questions), how a typed answer is read, and how facts
are kept between turns. The chat form in ``actions/`` is a thin adapter over this module.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from knowledge.eligibility.answers import UNREADABLE, parse_age, parse_number, parse_yes_no
from knowledge.eligibility.engine import evaluate
from knowledge.eligibility.facts import FACTS
from knowledge.eligibility.rules import RULES
from knowledge.eligibility.stated import facts_in_message
from knowledge.forms.reading import BUTTON_ANSWERS, Reading
from knowledge.story import is_question

#: The scope of the "What can we get?" walk-through (a check of every service at once).
WALKTHROUGH = "all"
#: The walk-through's short question set: the facts most services turn on. Services that need
#: more (BPA's hours, care allowance's NAV application) come out as "need more info" with a
#: button that asks just those.
WALKTHROUGH_FACTS = ("age", "has_disability_or_long_term_illness", "heavy_care_burden", "needs_long_term_coordinated_services")
#: How "don't know" is kept in a slot, where None already means "not asked".
DONT_KNOW = "dont_know"


def to_slot(value: Any) -> Any:
    return DONT_KNOW if value is None else value


def facts_from_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Engine facts from slot values: a value, None for "don't know"; unasked facts are left out."""
    facts: dict[str, Any] = {}
    for name in FACTS:
        value = slots.get(name)
        if value is None:
            continue
        facts[name] = None if value == DONT_KNOW else value
    return facts


def facts_in_messages(texts: Iterable[str]) -> dict[str, Any]:
    """Facts the family stated in passing ("28 hours a week", "she is 5"); the latest mention wins."""
    found: dict[str, Any] = {}
    for text in texts:
        for name, value in facts_in_message(text).items():
            spec = FACTS[name]
            if spec.kind == "bool" or spec.minimum <= value <= spec.maximum:
                found[name] = value
    return found


def next_fact(scope: str, facts: Mapping[str, Any], day: date | None = None) -> str | None:
    """The next fact to ask for, or None when the outcome is settled (or nothing more can be asked)."""
    if scope == WALKTHROUGH:
        return next((name for name in WALKTHROUGH_FACTS if name not in facts), None)
    result = evaluate(scope, dict(facts), "en", day)
    return result["missing_facts"][0] if result["outcome"] == "need_more_info" else None


def questions_at_most(scope: str, facts: Mapping[str, Any]) -> int:
    """An honest upper bound for "I will ask at most N questions"."""
    if scope == WALKTHROUGH:
        return sum(1 for name in WALKTHROUGH_FACTS if name not in facts)
    used = {name for rule in RULES if rule.service == scope for name in rule.facts} - set(facts)
    # number_of_services is only asked when the family does not know whether services must be coordinated.
    if "needs_long_term_coordinated_services" in used:
        used.discard("number_of_services")
    return len(used)


_NEGATIVE = re.compile(r"^\s*[-−‐]\s*[\d٠-٩]")


#: A question longer than this many words is not an answer, even with a number in it
#: ("Hva koster avlastning for en 12-åring?" is not the age 12).
MAX_WORDS_OF_A_QUESTION_ANSWER = 3


def _asks_something_else(text: str) -> bool:
    return is_question(text or "") and len(re.findall(r"[^\W\d_]+", text or "")) > MAX_WORDS_OF_A_QUESTION_ANSWER


def read_answer(fact: str, text: str, payload_intent: str | None = None) -> Reading:
    """Read the family's answer to the question about ``fact``: a value (None = "don't know"), or
    the problem to explain when asking again ("unreadable", "out_of_range", "not_whole").

    ``payload_intent`` is the intent of a tapped button ("/affirm", "/deny", "/dont_know"); typed
    text is read by the parsers, which know yes/no/don't know and numbers in four languages.
    """
    spec = FACTS[fact]
    if payload_intent is not None:
        if payload_intent in BUTTON_ANSWERS and (spec.kind == "bool" or payload_intent == "dont_know"):
            return Reading(BUTTON_ANSWERS[payload_intent])
        return Reading(problem="unreadable")
    if _asks_something_else(text):
        return Reading(problem="unreadable")
    if spec.kind != "bool" and _NEGATIVE.match(text or ""):
        return Reading(problem="out_of_range")
    if spec.kind == "bool":
        value = parse_yes_no(text)
    else:
        value = parse_age(text) if fact == "age" else parse_number(text)
    if value is UNREADABLE:
        return Reading(problem="unreadable")
    if value is None or spec.kind == "bool":
        return Reading(value)
    if not spec.minimum <= value <= spec.maximum:
        return Reading(problem="out_of_range")
    if spec.kind == "integer":
        if value != int(value):
            return Reading(problem="not_whole")
        value = int(value)
    return Reading(value)
