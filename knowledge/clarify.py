"""When the assistant is not sure which service a message is about: ask, with the likeliest ones.

Why: a parent who describes a need without the service's name ("who can help with our
daughter's oxygen at home?") and gets "I can only help with …" stops there. When the message is
about a child, a family or a need, or the recogniser's reading points at services at all, the
assistant offers the two or three likeliest services as buttons, the walk-through and a person.
A refusal is kept for messages that are clearly about something else.

The reading comes from the NLU (``service_reading``: the likeliest services and the chance that
the message is about none); the words that show a family context are in
``content/family_words.yml`` (matched by ``knowledge.terms``); a named diagnosis counts too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.eligibility.stated import names_a_condition
from knowledge.terms import TermMatcher
from knowledge.turn import Turn

WORDS_FILE = Path(__file__).resolve().parent / "content" / "family_words.yml"
#: At most this many services are offered.
MAX_OFFERED = 3
#: A service is offered when it is at least this share of the likeliest one's confidence.
RELATIVE_TO_BEST = 0.25
#: Without a family context, the reading alone must be at least this sure that a service is meant.
MIN_SERVICE_SHARE_WITHOUT_CONTEXT = 0.5
#: Out of scope this sure, with no family context, is a refusal.
CLEAR_OUT_OF_SCOPE = 0.7
#: A service guessed from a description below this confidence is offered, with its rivals, rather than asserted.
ASSERT_MIN_CONFIDENCE = 0.55
#: …unless the runner-up is this far behind (a share of the guess).
ASSERT_RIVAL_SHARE = 0.5


@dataclass(frozen=True)
class Reading:
    """The NLU's reading: services with confidence, likeliest first, and the chance of none."""

    services: tuple[tuple[str, float], ...] = ()
    none: float = 1.0

    @classmethod
    def of(cls, turn: Turn) -> Reading:
        raw = turn.service_reading or {}
        services = tuple((str(s.get("service")), float(s.get("confidence") or 0.0)) for s in raw.get("services") or [])
        return cls(services, float(raw.get("none", 1.0)))


@lru_cache(maxsize=1)
def _family_words() -> TermMatcher:
    with WORDS_FILE.open(encoding="utf-8") as handle:
        return TermMatcher(word for group in yaml.safe_load(handle)["words"].values() for word in group)


def about_family(text: str) -> bool:
    """The message speaks of a child, a family, care or a need for help, or names a diagnosis."""
    return _family_words().found_in(text) or names_a_condition(text)


def offered(reading: Reading) -> list[str]:
    """The services worth offering: the likeliest, and those not far behind it (at most three)."""
    if not reading.services:
        return []
    best = reading.services[0][1]
    return [key for key, confidence in reading.services[:MAX_OFFERED] if confidence >= RELATIVE_TO_BEST * best]


def candidates_instead_of_refusal(text: str, reading: Reading, intent: str | None, intent_confidence: float) -> list[str]:
    """Services to offer instead of "I did not understand" / "I can only help with …"; [] to refuse."""
    services = offered(reading)
    if not services:
        return []
    context = about_family(text)
    if intent == "out_of_scope" and intent_confidence >= CLEAR_OUT_OF_SCOPE and not context:
        return []
    if not context and 1.0 - reading.none < MIN_SERVICE_SHARE_WITHOUT_CONTEXT:
        return []
    return services


def candidates_instead_of_guess(reading: Reading, guessed: str, confidence: float) -> list[str]:
    """A service only described, not named, and guessed without much confidence next to a close
    rival: offer both (or three) rather than assert one. [] keeps the guess."""
    services = offered(reading)
    if confidence >= ASSERT_MIN_CONFIDENCE or len(services) < 2 or guessed not in services:
        return []
    runner_up = next(c for key, c in reading.services if key != guessed)
    if runner_up < ASSERT_RIVAL_SHARE * confidence:
        return []
    return [guessed, *[key for key in services if key != guessed]]


#: A message read as another kind of question (a person, the walk-through, a follow-up) that the
#: recogniser reads as a need for one service at least this likely, with "no service" at most …
NEED_MIN_CONFIDENCE = 0.3
NEED_MAX_NO_SERVICE = 0.15
#: … or at most this when the message speaks of a child, a family or a diagnosis.
NEED_MAX_NO_SERVICE_ABOUT_A_FAMILY = 0.5


def candidates_for_a_described_need(reading: Reading, text: str = "") -> list[str]:
    """"Is there someone who could go swimming with her?" reads like a request for a person, "what
    can we get for her?" like the walk-through, "who helps her hold a pencil?" like "who decides";
    when the recogniser clearly reads a need for a service, offer the likeliest services (the
    buttons keep the person and the walk-through). A message about a child or a family may leave
    more doubt that a service is meant at all."""
    if not reading.services or reading.services[0][1] < NEED_MIN_CONFIDENCE:
        return []
    limit = NEED_MAX_NO_SERVICE_ABOUT_A_FAMILY if text and about_family(text) else NEED_MAX_NO_SERVICE
    return offered(reading) if reading.none <= limit else []


#: A signpost (NAV, the GP, helsestasjon …) named in a story whose need the recogniser reads as one
#: of our services at least this likely, and this many times likelier than the signpost: ask.
BESIDE_A_SIGNPOST_MIN_CONFIDENCE = 0.3
BESIDE_A_SIGNPOST_RATIO = 2.0


def candidates_beside_a_signpost(reading: Reading, signpost: str) -> list[str]:
    """"The health nurse was worried; can someone train with her?" names helsestasjon but asks for
    physiotherapy: offer the service the story describes next to the signpost, not the signpost
    alone. [] answers the signpost."""
    named = dict(reading.services).get(signpost, 0.0)
    others = [(key, confidence) for key, confidence in reading.services if key != signpost]
    if not others or others[0][1] < BESIDE_A_SIGNPOST_MIN_CONFIDENCE or others[0][1] < BESIDE_A_SIGNPOST_RATIO * named:
        return []
    return [others[0][0], signpost]
