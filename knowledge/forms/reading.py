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
from dataclasses import dataclass
from typing import Any

from knowledge.aspects import SERVICE_INTENTS
from knowledge.eligibility.answers import is_stop
from knowledge.turn import Turn

#: Intents that, when a text is not an answer, mean the family has moved on to something else.
NEW_TOPIC_INTENTS = frozenset({
    *SERVICE_INTENTS, "ask_contact", "ask_services_overview", "ask_what_we_can_get", "start_over", "human_handoff",
    "change_language", "goodbye",
})
NEW_TOPIC_MIN_CONFIDENCE = 0.5
STOP_MIN_CONFIDENCE = 0.6
#: What a tapped Yes, No or Don't know button answers.
BUTTON_ANSWERS = {"affirm": True, "deny": False, "dont_know": None}
BUTTON_INTENTS = tuple(BUTTON_ANSWERS)

ANSWER, AGAIN, STOP, STALE, ELSEWHERE = "answer", "again", "stop", "stale", "elsewhere"


def is_new_topic(turn: Turn) -> bool:
    """Another question (or a tapped button that answers nothing): the rules answer it."""
    if turn.tapped:
        return turn.intent not in BUTTON_INTENTS
    if turn.intent in NEW_TOPIC_INTENTS and turn.confidence >= NEW_TOPIC_MIN_CONFIDENCE:
        return True
    return turn.entity("service") is not None


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
    #: Only this step's own buttons answer it: a tapped Yes without the step is an old one (the
    #: review's "Send", so no older "Yes" sends an application).
    own_buttons_only: bool = False


def decide(turn: Turn, step: Step) -> Decision:
    """What ``turn`` is at ``step``; the step's reader decides first."""
    tapped_step = turn.entity("step") if turn.tapped else None
    if tapped_step is not None and tapped_step != step.name:
        return Decision(STALE)
    if turn.tapped and tapped_step is None and step.own_buttons_only and turn.intent in BUTTON_INTENTS:
        return Decision(STALE)
    if (turn.tapped and turn.intent == "stop") or (not turn.tapped and is_stop(turn.text)):
        return Decision(STOP)
    reading = step.read(turn)
    nlu_stop = not turn.tapped and turn.intent == "stop" and turn.confidence >= STOP_MIN_CONFIDENCE
    if reading.problem is None:
        if not turn.tapped and step.free_text and step.is_question(turn.text) and is_new_topic(turn):
            return Decision(ELSEWHERE)  # "How can I contact you?" is not an address
        if nlu_stop and step.could_mean_stop(turn.text) and not step.attempted(turn.text):
            return Decision(STOP)
        return Decision(ANSWER, reading.value)
    if not turn.tapped and step.attempted(turn.text):
        return Decision(AGAIN, problem=reading.problem)
    if nlu_stop:
        return Decision(STOP)
    if is_new_topic(turn):
        return Decision(ELSEWHERE)
    return Decision(AGAIN, problem=reading.problem)
