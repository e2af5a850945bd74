"""What a message is at a form's step, decided one way for every form (the eligibility check and
the application): an answer, a failed attempt at one (asked again with the step's own help), a
request to stop, a tap on an older step's button, or another topic (answered; the form waits).

The step's reader decides first. Only a text that is not an answer is asked whether it means
stop or something else, so "Per Stopp", "cancel.culture@example.com" and "2018-03-14" are
answers whatever the intent classifier guessed. A reader is any function from the message to a
``Reading``; each form keeps its own readers and texts.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from knowledge.aspects import SERVICE_INTENTS
from knowledge.eligibility.answers import is_stop
from knowledge.eligibility.dialogue import BUTTON_ANSWERS

#: Intents that, when a text is not an answer, mean the family has moved on to something else.
NEW_TOPIC_INTENTS = frozenset({
    *SERVICE_INTENTS, "ask_contact", "ask_services_overview", "ask_what_we_can_get", "start_over", "human_handoff",
    "change_language", "goodbye",
})
NEW_TOPIC_MIN_CONFIDENCE = 0.5
STOP_MIN_CONFIDENCE = 0.6
#: What a tapped button can answer (Yes, No, Don't know).
BUTTON_INTENTS = tuple(BUTTON_ANSWERS)

ANSWER, AGAIN, STOP, STALE, ELSEWHERE = "answer", "again", "stop", "stale", "elsewhere"


@dataclass(frozen=True)
class Turn:
    """One message as the NLU read it: the text, its intent and confidence, and its entities."""
    text: str
    intent: str = "nlu_fallback"
    confidence: float = 0.0
    entities: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def tapped(self) -> bool:
        """A button's payload ("/affirm{…}"), not typed words."""
        return self.text.startswith("/")

    def entity(self, name: str) -> str | None:
        return next((str(e.get("value")) for e in self.entities if e.get("entity") == name), None)

    def wants_to_stop(self) -> bool:
        if self.tapped:
            return self.intent == "stop"
        return is_stop(self.text) or (self.intent == "stop" and self.confidence >= STOP_MIN_CONFIDENCE)

    def is_new_topic(self) -> bool:
        """Another question (or a tapped button that answers nothing): the rules answer it."""
        if self.tapped:
            return self.intent not in BUTTON_INTENTS
        if self.intent in NEW_TOPIC_INTENTS and self.confidence >= NEW_TOPIC_MIN_CONFIDENCE:
            return True
        return self.entity("service") is not None


@dataclass(frozen=True)
class Reading:
    """What a step's reader made of a message: a value, or the problem to explain."""
    value: Any = None
    problem: str | None = None


@dataclass(frozen=True)
class Decision:
    kind: str  # ANSWER, AGAIN, STOP, STALE or ELSEWHERE
    value: Any = None
    problem: str | None = None


@dataclass(frozen=True)
class Step:
    """A form's step as ``decide`` needs it: its name (what its buttons carry), its reader, and
    what shape its answers have."""
    name: str
    read: Callable[[Turn], Reading]
    #: An answer with a shape of its own (a date, a phone or identity number, an e-mail): a text that
    #: attempts one is asked again, never taken as stop or another topic.
    attempted: Callable[[str], bool] = lambda text: False
    #: Takes any words (an address, a description): a clear question is not an answer to it.
    free_text: bool = False
    #: Whether a stop word stands as a word of its own in the text ("jeg vil avbryte", not "Per Stopp").
    could_mean_stop: Callable[[str], bool] = lambda text: True
    #: Asks something ("?", "؟", "፧").
    is_question: Callable[[str], bool] = lambda text: False


def decide(turn: Turn, step: Step) -> Decision:
    """What ``turn`` is at ``step``; the step's reader decides first."""
    tapped_step = turn.entity("step") if turn.tapped else None
    if tapped_step is not None and tapped_step != step.name:
        return Decision(STALE)
    if (turn.tapped and turn.intent == "stop") or (not turn.tapped and is_stop(turn.text)):
        return Decision(STOP)
    reading = step.read(turn)
    nlu_stop = not turn.tapped and turn.intent == "stop" and turn.confidence >= STOP_MIN_CONFIDENCE
    if reading.problem is None:
        if not turn.tapped and step.free_text and step.is_question(turn.text) and turn.is_new_topic():
            return Decision(ELSEWHERE)  # "How can I contact you?" is not an address
        if nlu_stop and step.could_mean_stop(turn.text) and not step.attempted(turn.text):
            return Decision(STOP)
        return Decision(ANSWER, reading.value)
    if not turn.tapped and step.attempted(turn.text):
        return Decision(AGAIN, problem=reading.problem)
    if nlu_stop:
        return Decision(STOP)
    if turn.is_new_topic():
        return Decision(ELSEWHERE)
    return Decision(AGAIN, problem=reading.problem)
