"""The fields of an application as the chat collects them, in order, and how each answer is read.

Each reader returns ``Reading(value)`` or ``Reading(problem=…)``; the problem names what to explain when
the question is asked again. Nothing here stores anything.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.applications.dates import mentions_a_date, parse_date
from knowledge.applications.identity import InvalidIdentityNumber, parse_identity_number
from knowledge.eligibility.answers import DONT_KNOW, UNREADABLE, normalise, parse_yes_no
from knowledge.forms import Reading
from knowledge.languages import INPUT_LANGUAGES
from knowledge.text import ascii_digits


@dataclass(frozen=True)
class Field:
    name: str  # the slot is "app_" + name
    kind: str
    optional: bool = False  # may be answered with "none" / "don't know"


#: Asked in this order; filled fields (for instance from the eligibility check) are skipped.
FIELDS: tuple[Field, ...] = (
    Field("guardian_name", "name"),
    Field("guardian_phone", "phone"),
    Field("guardian_email", "email", optional=True),
    Field("guardian_address", "text"),
    Field("child_name", "name"),
    Field("child_birth_date", "date"),
    Field("child_identity_number", "identity"),
    Field("need_description", "long_text"),
    Field("current_services", "text", optional=True),
    Field("preferred_language", "language"),
    Field("interpreter_needed", "yes_no"),
    Field("coordinator_wanted", "yes_no", optional=True),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
#: How "none" and "don't know" are kept, in the slots and in the application sent to the office,
#: so what was sent is what was said (never an empty value or null that reads as "not asked").
NONE_ANSWER, DONT_KNOW_ANSWER = "none", "dont_know"
#: The form's steps besides the fields (each field's step is "app_" + its name). A button carries
#: its step (``{"step": …}`` in the payload), so a tap on an old one is recognised.
CONSENT_STEP, SERVICES_STEP, REVIEW_STEP, CHANGE_STEP = "app_consent", "app_services", "app_review", "app_change"


def step_of(field: str) -> str:
    return f"app_{field}"
BY_NAME = {f.name: f for f in FIELDS}
NONE_WORDS = frozenset(normalise(w) for w in (
    "ingen", "ingenting", "nei", "har ikke", "har ikkje", "none", "nothing", "no", "n/a", "-",
    "لا يوجد", "لا شيء", "ما في", "لا", "የለን", "ምንም", "ኣይፋል"))
_NAME = re.compile(r"^[^\W\d_][^\W\d_'’ .\-]*(?:[ '’.\-]+[^\W\d_][^\W\d_'’.\-]*)*\.?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
LONG_TEXT_MAX = 3000


def _is_none(text: str) -> bool:
    value = normalise(text)
    return value in NONE_WORDS or any(phrase == value for phrase in DONT_KNOW)


def read_name(text: str) -> Reading:
    value = " ".join(text.split())
    if not 2 <= len(value) <= 100 or not _NAME.match(value):
        return Reading(problem="name")
    return Reading(value)


def read_phone(text: str) -> Reading:
    digits = re.sub(r"[\s\-().]", "", ascii_digits(text))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"(?:\+47)?[2-9]\d{7}", digits):
        return Reading("+47 " + digits[-8:])
    if re.fullmatch(r"\+\d{8,15}", digits):
        return Reading(digits)
    return Reading(problem="phone")


def read_email(text: str) -> Reading:
    value = text.strip()
    if _is_none(value):
        return Reading(NONE_ANSWER)
    return Reading(value) if _EMAIL.match(value) and len(value) <= 200 else Reading(problem="email")


def read_text(text: str, optional: bool = False) -> Reading:
    value = " ".join(text.split())
    if optional and _is_none(value):
        return Reading(NONE_ANSWER)
    return Reading(value) if 2 <= len(value) <= 300 else Reading(problem="text")


def read_long_text(text: str) -> Reading:
    value = text.strip()
    if len(value) < 10:
        return Reading(problem="too_short")
    if len(value) > LONG_TEXT_MAX:
        return Reading(problem="too_long")
    return Reading(value)


def read_date(text: str, today: date | None = None) -> Reading:
    """A date of birth in any common format (knowledge.applications.dates); not in the future."""
    today = today or date.today()
    born = parse_date(text, today)
    if born is None:
        return Reading(problem="date")
    if born > today or today.year - born.year > 25:
        return Reading(problem="date_range")
    return Reading(born.isoformat())


def read_identity(text: str, birth_date: str | None = None, today: date | None = None) -> Reading:
    try:
        number = parse_identity_number(text, today)
    except InvalidIdentityNumber as error:
        return Reading(problem=f"identity_{error.reason}")
    if birth_date:
        born = date.fromisoformat(birth_date)
        encoded = number.birth_date
        # The number holds DDMMYY; after 2032 its century is not encoded, so compare those six digits.
        if (encoded.day, encoded.month, encoded.year % 100) != (born.day, born.month, born.year % 100):
            return Reading(problem="identity_mismatch")
    return Reading(number.value)


LANGUAGE_WORDS = {
    "nb": ("norsk", "bokmål", "nynorsk", "norwegian", "نرويجي", "النرويجية", "ኖርወይኛ", "ኖርወጂያንኛ"),
    "en": ("engelsk", "english", "انجليزي", "الإنجليزية", "الانجليزية", "እንግሊዝኛ"),
    "ar": ("arabisk", "arabic", "عربي", "العربية", "عربية", "ዓረብኛ", "ዓረብ"),
    "ti": ("tigrinja", "tigrinya", "تيغرينيا", "التغرينية", "ትግርኛ"),
}


def read_language(text: str) -> Reading:
    value = normalise(text)
    for code, words in LANGUAGE_WORDS.items():
        if value == code or any(normalise(word) in value for word in words):
            return Reading(code)
    if value in INPUT_LANGUAGES:
        return Reading("nb" if value == "nn" else value)
    other = " ".join(text.split())
    return Reading(other) if 2 <= len(other) <= 40 else Reading(problem="language")


def read_yes_no(text: str, optional: bool = False) -> Reading:
    value = parse_yes_no(text)
    if value is UNREADABLE or (value is None and not optional):
        return Reading(problem="yes_no")
    return Reading(value)


READERS: dict[str, Callable[..., Reading]] = {
    "name": read_name, "phone": read_phone, "email": read_email, "text": read_text, "long_text": read_long_text,
    "date": read_date, "identity": read_identity, "language": read_language, "yes_no": read_yes_no,
}


def read_field(name: str, text: str, filled: dict[str, Any], today: date | None = None) -> Reading:
    """Read the answer to the question about ``name``; ``filled`` gives context (the date of birth)."""
    field = BY_NAME[name]
    if field.kind == "identity":
        return read_identity(text, filled.get("child_birth_date"), today)
    if field.kind == "date":
        return read_date(text, today)
    if field.kind in ("text", "yes_no"):
        return READERS[field.kind](text, field.optional)
    return READERS[field.kind](text)


#: Kinds whose answers have a shape of their own: a text of that shape is an answer (or a failed
#: attempt at one), never a request to stop or another topic ("cancel.culture@example.com").
SHAPED_KINDS = ("email", "phone", "date", "identity")
#: Kinds that take any words; a clear question about something else is not an answer to them.
FREE_TEXT_KINDS = ("text", "long_text", "language")  # "language" takes any name ("somali")
#: "Stop" as a word of its own in the four languages (is_stop covers whole messages).
STOP_WORDS = frozenset(normalise(w) for w in (
    "stopp", "stoppe", "stop", "avbryt", "avbryte", "avslutt", "avslutte", "cancel", "quit",
    "توقف", "اوقف", "أوقف", "الغاء", "إلغاء", "الغي", "ألغي", "ኣቋርጽ", "ኣቋርጹ", "ኣቁም", "ኣቑም"))


def attempts_an_answer(name: str, text: str) -> bool:
    """Whether ``text`` tries to answer the question about ``name`` even if it cannot be read:
    figures for a date, a phone or an identity number, an @ for an e-mail."""
    kind = BY_NAME[name].kind
    digits = len(re.findall(r"\d", ascii_digits(text)))
    if kind == "date":
        return mentions_a_date(text)
    if kind in ("phone", "identity"):
        return digits >= 4
    return kind == "email" and "@" in text


def is_a_question(text: str) -> bool:
    """Asks something ("?", Arabic "؟", Ethiopic "፧"): an address or a description is not asked."""
    return any(mark in text for mark in "?؟፧")


def could_mean_stop(text: str) -> bool:
    """A stop word stands as a word of its own, as a request does ("jeg vil avbryte"), not as part
    of a name ("Per Stopp": capitalised after the first word) or of a longer word ("stoppested")."""
    words = text.split()
    for index, word in enumerate(words):
        bare = word.strip(".,!?:;()\"'«»")
        if normalise(bare) in STOP_WORDS and (index == 0 or not bare[:1].isupper()):
            return True
    return False


def next_field(filled: dict[str, Any]) -> str | None:
    return next((name for name in FIELD_NAMES if filled.get(name) is None), None)
