"""One protocol for every form the chat fills in (the eligibility check, the application, and the
next one): the next question, reading an answer, consent, review, change and cancel.

A form says what is particular to it: its questions and their readers and texts, what an answer
changes, and what stopping means. ``handle`` takes each message the one way every form takes it,
so a fix to how answers, old buttons, "stop" or another topic are handled reaches every form.

State is a form's slots (names and values, as Rasa keeps them), and an ``Outcome`` is the replies
and the slot changes; nothing here knows Rasa.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from knowledge.eligibility.answers import UNREADABLE, parse_yes_no
from knowledge.forms.reading import (
    AGAIN,
    BUTTON_ANSWERS,
    ELSEWHERE,
    STALE,
    STOP,
    Reading,
    Step,
    decide,
)
from knowledge.i18n import Translator
from knowledge.i18n import mark as _
from knowledge.replies import Reply, add_note
from knowledge.turn import Outcome, Turn

logger = logging.getLogger(__name__)

#: The slot that holds the step being asked (Rasa's name for it); None before the first question
#: and once the form has nothing more to ask.
REQUESTED = "requested_slot"


@dataclass(frozen=True)
class FormState:
    """A form's slots between two messages."""
    slots: Mapping[str, Any]

    @property
    def step(self) -> str | None:
        return self.slots.get(REQUESTED)

    def get(self, name: str) -> Any:
        return self.slots.get(name)

    def with_changes(self, changes: Mapping[str, Any]) -> FormState:
        return FormState({**self.slots, **changes})


HANDED_ON = Outcome(handed_on=True)
STALE_NOTE = _("That button belonged to an earlier question. This is where we are now:")


class Form(ABC):
    """A form as the chat fills it in; one instance per message (it holds the conversation's
    language and whatever it looked up for this turn)."""

    #: The form's name in the Rasa domain.
    name: str
    #: The slots the form keeps (besides ``REQUESTED``); its state is read from these.
    slots: tuple[str, ...] = ()
    #: Optional steps: consent before the first question; a review of all answers, confirmed
    #: before the form ends; a menu of answers to change. None: the form has no such step.
    consent_step: str | None = None
    review_step: str | None = None
    change_step: str | None = None
    #: While set, an answer returns to the review instead of going on.
    editing_slot: str | None = None
    #: Names, addresses and the family's own words are no evidence of a language switch: while
    #: asking, only an explicit choice changes the language.
    keeps_language: bool = False

    @classmethod
    def language_of(cls, turn: Turn) -> str:
        """The language to answer in. A form that keeps its language changes it, while asking, only
        on an explicit choice (the widget's picker)."""
        if cls.keeps_language and turn.slot(REQUESTED):
            return turn.chosen_language or turn.slot("language") or turn.language.language
        return turn.language.language

    def __init__(self, tr: Translator, session=None, conversation_id: str | None = None, today: date | None = None):
        self.tr = tr
        self.session = session  # the knowledge base, for forms that look up or record something
        self.conversation_id = conversation_id
        self.today = today or date.today()

    # --- what each form says ---------------------------------------------------------------------

    @abstractmethod
    def next_step(self, state: FormState) -> str | None:
        """The next question to ask, or None when nothing more is needed."""

    @abstractmethod
    def step(self, state: FormState, name: str) -> Step:
        """How an answer to the question ``name`` is read."""

    @abstractmethod
    def ask(self, state: FormState, name: str, problem: str | None = None, intro: str | None = None) -> list[Reply]:
        """The step ``name`` as the family sees it: a question (after the help for ``problem``), the
        consent text, the review, or the menu of answers to change."""

    @abstractmethod
    def store(self, state: FormState, name: str, value: Any, turn: Turn) -> dict[str, Any]:
        """The slot changes an accepted answer makes."""

    @abstractmethod
    def cancel(self, state: FormState) -> Outcome:
        """The family stopped (or refused consent): what is said and what is forgotten."""

    def start(self, state: FormState) -> Outcome:
        """The form's first turn: consent when it needs it, else the first question."""
        if self.consent_step and state.get(self.consent_step) is not True:
            return Outcome(self.ask(state, self.consent_step), {REQUESTED: self.consent_step})
        return self.proceed(state, {}, intro=self.intro(state))

    def intro(self, state: FormState) -> str | None:
        """Said before the first question."""
        return None

    def consented(self, state: FormState) -> tuple[dict[str, Any], str | None]:
        """Consent given: record it; the slot changes that keep it, and what to say before the first question."""
        raise NotImplementedError

    def changeable(self, state: FormState) -> tuple[str, ...]:
        """The steps the change menu lists, in order (numbered from 1); the menu shown and the
        number read are the same list."""
        return ()

    def again(self, state: FormState, problem: str | None, turn: Turn) -> Outcome:
        """An answer that cannot be used: the same question with its own help."""
        name = state.step
        changes = {REQUESTED: name}
        if name not in (self.consent_step, self.review_step, self.change_step):
            changes[name] = None
        return Outcome(self.ask(state, name, problem), changes)

    def active(self, state: FormState) -> bool:
        """Whether the state still makes a form (a check of a service that no longer has one does not)."""
        return True

    def resume_button(self, state: FormState) -> dict[str, str]:
        """The button that goes back to the form after another topic."""
        raise NotImplementedError

    def paused_note(self) -> str:
        """Said beside another topic's answer: the form waits, the answers are kept."""
        raise NotImplementedError

    def pause(self, state: FormState) -> dict[str, Any]:
        """Another topic: the form stops asking (its answers are kept for later)."""
        changes: dict[str, Any] = {REQUESTED: None}
        if self.editing_slot:
            changes[self.editing_slot] = None
        return changes

    # --- the one way a form goes on ----------------------------------------------------------------

    def proceed(self, state: FormState, changes: dict[str, Any], intro: str | None = None) -> Outcome:
        """After an answer: the review when changing an answer, else the next question, else the
        review, else the end of the form (the rules take over)."""
        after = state.with_changes(changes)
        if self.editing_slot and after.get(self.editing_slot) and self.review_step:
            return Outcome(self.ask(after, self.review_step), {**changes, self.editing_slot: None, REQUESTED: self.review_step})
        upcoming = self.next_step(after)
        if upcoming is not None:
            return Outcome(self.ask(after, upcoming, intro=intro), {**changes, REQUESTED: upcoming})
        if self.review_step:
            return Outcome(self.ask(after, self.review_step, intro=intro), {**changes, REQUESTED: self.review_step})
        return Outcome([], {**changes, REQUESTED: None})

    def accept(self, state: FormState, value: Any, turn: Turn) -> Outcome:
        name = state.step
        if name == self.consent_step:
            if not value:
                return self.cancel(state)
            changes, intro = self.consented(state)
            return self.proceed(state, changes, intro=intro)
        if name == self.review_step:
            if value:  # confirmed: the form ends, and the rules send
                return Outcome([], {self.review_step: "confirmed", REQUESTED: None})
            return Outcome(self.ask(state, self.change_step), {self.review_step: None, REQUESTED: self.change_step})
        if name == self.change_step:
            return Outcome(self.ask(state, value), {value: None, self.editing_slot: True, self.change_step: None, REQUESTED: value})
        return self.proceed(state, self.store(state, name, value, turn))

    def reader(self, state: FormState, name: str) -> Step:
        """The step ``name``'s reader: the form's own, or the shared one for consent, review and change."""
        if name in (self.consent_step, self.review_step):
            return Step(name, read_yes_no_step, own_buttons_only=name == self.review_step)
        if name == self.change_step:
            steps = self.changeable(state)
            return Step(name, lambda turn: read_menu_choice(turn, steps))
        return self.step(state, name)


def read_yes_no_step(turn: Turn) -> Reading:
    """Consent or a review: a tapped Yes/No, a typed yes or no in any language, or a typed refusal."""
    if turn.tapped:
        value = BUTTON_ANSWERS.get(turn.intent)
        return Reading(value) if turn.intent in ("affirm", "deny") else Reading(problem="yes_no")
    value = parse_yes_no(turn.text)
    if value is UNREADABLE or value is None:
        return Reading(False) if turn.intent == "deny" and turn.confidence >= 0.6 else Reading(problem="yes_no")
    return Reading(value)


def read_menu_choice(turn: Turn, steps: tuple[str, ...]) -> Reading:
    """The number of an entry in the change menu (tapped or typed)."""
    text = turn.text.strip()
    number = int(text) if text.isdigit() else 0
    return Reading(steps[number - 1]) if 1 <= number <= len(steps) else Reading(problem="menu")


def handle(form: Form, turn: Turn, state: FormState) -> Outcome:
    """One message to ``form``: the first question, or an answer read at the step being asked
    (``knowledge.forms.reading.decide``) and what follows from it."""
    name = state.step
    if not form.active(state):
        return Outcome([], {REQUESTED: None})
    if name is None:
        return form.start(state)
    decision = decide(turn, form.reader(state, name))
    logger.info("form=%s step=%s decision=%s problem=%s", form.name, name, decision.kind, decision.problem)  # no content
    if decision.kind == STALE:  # an old button: where we are, again; nothing changes
        return Outcome([Reply(text=form.tr.gettext(STALE_NOTE)), *form.ask(state, name)], {REQUESTED: name})
    if decision.kind == STOP:
        return form.cancel(state)
    if decision.kind == ELSEWHERE:
        return HANDED_ON
    if decision.kind == AGAIN:
        return form.again(state, decision.problem, turn)
    return form.accept(state, decision.value, turn)


def offer_resume(form: Form, state: FormState, messages: list[Reply]) -> None:
    """After another topic's answer: a note that the form waits, and a button back to it."""
    for message in messages:
        if message.custom is None and message.text:
            add_note(messages, form.paused_note())
            message.buttons = [form.resume_button(state), *message.buttons]
            return


