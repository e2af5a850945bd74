"""One message and what it leads to, independent of Rasa.

A ``Turn`` is everything the assistant knows when a message comes: the text, what the NLU made of
it, the conversation's language and state (its slots, the form waiting for an answer), and the
family's earlier messages. An ``Outcome`` is what the assistant does about it: the replies, the
state changes, and which form (if any) runs next. The Rasa actions only build the one and turn the
other into events.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from knowledge.config import load_settings
from knowledge.language_detection import LanguageDecision, decide_language
from knowledge.languages import INPUT_LANGUAGES
from knowledge.replies import Reply

#: How many earlier messages count as evidence of the conversation's language.
LANGUAGE_HISTORY = 5


@dataclass(frozen=True)
class Turn:
    """One message as the NLU read it, in its conversation."""
    text: str
    intent: str = "nlu_fallback"
    confidence: float = 0.0
    entities: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    #: The NLU's guesses, likeliest first (the fallback looks past "nlu_fallback").
    ranking: tuple[dict[str, Any], ...] = ()
    #: The service classifier's reading (services with confidence, and the chance of none).
    service_reading: Mapping[str, Any] = field(default_factory=dict)
    #: The conversation's state before this message.
    slots: Mapping[str, Any] = field(default_factory=dict)
    #: The family's earlier typed messages, oldest first (facts said in passing).
    history: tuple[str, ...] = ()
    conversation_id: str = ""
    #: The form waiting for an answer (its name in the Rasa domain), if any.
    form: str | None = None
    #: The language picked in the widget for this message (its metadata), if any.
    picked_language: str | None = None
    #: "test" for messages from tests and evaluations (their metadata), counted apart in the staff's figures.
    traffic: str = "real"

    @property
    def tapped(self) -> bool:
        """A button's payload ("/affirm{…}"), not typed words."""
        return self.text.lstrip().startswith("/")

    def entity(self, name: str) -> str | None:
        return next(iter(self.entity_values(name)), None)

    def entity_values(self, name: str) -> list[str]:
        """Distinct values of an entity, in the order they appear."""
        return list(dict.fromkeys(str(e.get("value")) for e in self.entities if e.get("entity") == name))

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    @cached_property
    def chosen_language(self) -> str | None:
        """A language the family chose: the widget's picker, or an earlier "answer in …"."""
        picked = (self.picked_language or "").lower()
        return picked if picked in INPUT_LANGUAGES else self.slot("language_choice")

    @cached_property
    def language(self) -> LanguageDecision:
        """The conversation's language and how it was decided (a tap is no evidence of one)."""
        return decide_language("" if self.tapped else self.text, explicit=self.chosen_language, previous=self.slot("language"),
                               history=self.history[-LANGUAGE_HISTORY:], default=load_settings().default_language)


@dataclass
class Outcome:
    """What a message leads to: the replies, the slot changes, and the form to run next.
    ``handed_on``: the message was not for the form that was asking (another topic); the form
    waits and the rules answer it."""
    replies: list[Reply] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    followup: str | None = None
    handed_on: bool = False
    #: The form that was asking stops (another topic came); its answers stay in its slots.
    pauses_form: bool = False
    #: What the answer did, when its cards do not show it: "refused" (not understood, out of scope,
    #: a service we do not know) or "empty" (nothing to read); for the staff's figures.
    result: str | None = None
