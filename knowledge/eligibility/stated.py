"""Facts a family states in their own words, so the check never asks what the parent already said.

"Our 7-year-old has autism and needs help about 30 hours a week" holds three facts: the age, a
disability (has_disability_or_long_term_illness) and the weekly hours. Ages come in many forms
("12 år", "a seven-year-old", "7-åring", "١٢ سنة", "ዕድሚኡ 5"); durations that are not ages
("we have not had a weekend off in 3 years", "منذ سنتين") are not read as one. A named diagnosis or
a described disability (the terms in ``stated_terms.yml``, found by ``knowledge.terms``) counts as
the disability fact.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.eligibility.answers import UNIT_WORDS, normalise
from knowledge.story import MAX_CHARS
from knowledge.terms import TermMatcher

TERMS_FILE = Path(__file__).resolve().parent / "stated_terms.yml"

_NUMBER = r"(\d+(?:[.,]5)?)"
_HOURS_UNIT = r"(?:timer|timar|tima|time|t|hours|hour|hrs|h|ساعه|ساعات|ساعة|ሰዓት|ሰዓታት)"
_PER_DAY = re.compile(r"^\s*(?:(?:om|per|pr|a|each|every|i|في|كل|ኣብ|ብ)\s+)?(?:dagen|dag|døgnet|døgn|day|daily|يوم|اليوم|يوميا|መዓልቲ|ብመዓልቲ)\b")
_HOURS = re.compile(_NUMBER + r"\s*" + _HOURS_UNIT + r"\b")
#: Forms that can only be an age.
_AGE_STRONG = [
    re.compile(_NUMBER + r"\s*(?:år|ar|aar)\s*(?:gammel|gamal|gml|gamle)\b"),
    re.compile(_NUMBER + r"\s*(?:åring|aring|åringen|åringar|åringer)\b"),
    re.compile(_NUMBER + r"\s*(?:years?|yrs?|yr)\s*old\b"),
    re.compile(_NUMBER + r"\s*(?:yo|y o)\b"),
    # "she is 5", "han er 7", "aged 9", "fylte 12": whole words, and not "is 20 hours"
    re.compile(r"\b(?:is|er|e|age|aged|alder|alderen|turned|turns|fylte|fyller|blir|snart)"
               r"(?:\s+(?:actually|really|now|only|just|almost|nearly|faktisk|egentlig|nå|bare|nesten|snart))?\s+"
               + _NUMBER + r"\b(?!\s*(?:timer|timar|time|hours?|h\b|ganger|times|kg|cm|%|prosent|percent))"),
    # "sønnen min på 9 år", "jenta vår på 4": "på" after a child is an age (elsewhere a span of time)
    re.compile(r"\b(?:sønn|sønnen|son|sonen|datter|datteren|dattera|dotter|dottera|gutt|gutten|guten|jente|jenta|barn|barnet|"
               r"tvillinger|tvillingane|tvillingene|lillegutt|lillegutten|lillejenta|ungen|jentungen|gutten)"
               r"(?:\s+(?:min|mi|mitt|mine|vår|vårt|våre|vaar|dine|sine))?\s+på\s+" + _NUMBER + r"\b(?!\s*(?:timer|timar|hours?|kg))"),
    re.compile(r"(?:عمره|عمرها|عمرو|عمري|بعمر|عمر)\s*" + _NUMBER),
    re.compile(r"(?:ዕድሚኡ|ዕድሚኣ|ዕድሚኦም|ዕድሚ|ዕድሜኡ|ዕድሜኣ|ዕድሜ)\s*" + _NUMBER),
]
#: "12 år", "7 years", "٧ سنوات", "4 ዓመቱ": an age unless it is a span of time.
_AGE_WEAK = re.compile(_NUMBER + r"\s*(?:år|ar|aar|years?|yrs|سنه|سنوات|سنين|عام|اعوام|ዓመት|ዓመቱ|ዓመታ|ዓመቶም|ዓመቷ)\b")
_DURATION_BEFORE = re.compile(
    r"(?:\b(?:på|pa|i|for|in|over|siste|sist|last|past|etter|after|siden|sidan|since|gjennom|throughout|hele|heile|"
    r"whole|about|ca|nesten|almost|within|innen|om|منذ|من|لمده|صرلنا|صار|لنا|خلال|ካብ|ንኣስታት|ቅድሚ|ድሕሪ)\s*)$")
_DURATION_AFTER = re.compile(r"^\s*(?:siden|sidan|ago|til|later|fra|from|more|mer|til|after|back|تقريبا|مضت|ዝሓለፈ|ይገብር)\b")
_NUMBER_WORDS = re.compile(r"\b(" + "|".join(sorted((w for w in UNIT_WORDS if len(w) > 1), key=len, reverse=True))
                           + r")(?=\s*(?:år|years?|year|åring|ዓመት|سنوات|سنين))")


def _to_number(text: str) -> float:
    return float(text.replace(",", "."))


def _weekly_hours(text: str) -> float | None:
    match = _HOURS.search(text)
    if not match:
        return None
    value = _to_number(match.group(1))
    return value * 7 if _PER_DAY.match(text[match.end():]) else value


def _age(text: str) -> float | None:
    text = _NUMBER_WORDS.sub(lambda m: str(UNIT_WORDS[m.group(1)]), text)
    for pattern in _AGE_STRONG:
        match = pattern.search(text)
        if match:
            return _to_number(match.group(1))
    for match in _AGE_WEAK.finditer(text):
        if _DURATION_BEFORE.search(text[:match.start()]) or _DURATION_AFTER.match(text[match.end():]):
            continue
        return _to_number(match.group(1))
    return None


# --- conditions -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _conditions() -> TermMatcher:
    with TERMS_FILE.open(encoding="utf-8") as handle:
        terms = yaml.safe_load(handle)["conditions"]
    return TermMatcher(term for language_terms in terms.values() for term in language_terms)


def names_a_condition(text: str) -> bool:
    """The message names a diagnosis or describes a disability or long-term illness."""
    return _conditions().found_in(text)


def facts_in_message(text: str) -> dict[str, Any]:
    """Facts a family states in passing: the child's age, hours of help a week, a disability."""
    value = normalise((text or "")[:MAX_CHARS])
    found: dict[str, Any] = {}
    hours = _weekly_hours(value)
    if hours is not None:
        found["weekly_assistance_hours"] = hours
    age = _age(value)
    if age is not None:
        found["age"] = age
    if value and names_a_condition(value):
        found["has_disability_or_long_term_illness"] = True
    return found
