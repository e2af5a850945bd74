"""The one form protocol (knowledge.forms.protocol), shown on a small form that is neither the
check nor the application, the way the next form (a callback request) will use it: consent, two
questions, a review, a change and a cancel, all without Rasa."""
from __future__ import annotations

from typing import Any

from knowledge.forms import REQUESTED, Form, FormState, Outcome, Reading, Step, Turn, handle, offer_resume
from knowledge.i18n import translator
from knowledge.replies import Reply

CONSENT, NAME, TIME, REVIEW, CHANGE, EDITING = "cb_consent", "cb_name", "cb_time", "cb_review", "cb_change", "cb_editing"
TIMES = ("morning", "afternoon")


class CallbackForm(Form):
    name = "callback_form"
    slots = (CONSENT, NAME, TIME, REVIEW, CHANGE, EDITING)
    consent_step, review_step, change_step, editing_slot = CONSENT, REVIEW, CHANGE, EDITING

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consents: list[bool] = []

    def next_step(self, state: FormState) -> str | None:
        return next((name for name in (NAME, TIME) if state.get(name) is None), None)

    def step(self, state: FormState, name: str) -> Step:
        if name == TIME:
            return Step(name, lambda turn: Reading(turn.text) if turn.text in TIMES else Reading(problem="time"))
        return Step(name, lambda turn: Reading(turn.text.strip()) if turn.text.strip().isalpha() else Reading(problem="name"),
                    free_text=True, is_question=lambda text: text.endswith("?"))

    def ask(self, state: FormState, name: str, problem: str | None = None, intro: str | None = None) -> list[Reply]:
        return [Reply(text=" | ".join(part for part in (intro, problem, f"ask:{name}") if part))]

    def store(self, state: FormState, name: str, value: Any, turn: Turn) -> dict[str, Any]:
        return {name: value}

    def consented(self, state: FormState) -> tuple[dict[str, Any], str | None]:
        self.consents.append(True)
        return {CONSENT: True}, "thanks"

    def changeable(self, state: FormState) -> tuple[str, ...]:
        return (NAME, TIME)

    def cancel(self, state: FormState) -> Outcome:
        return Outcome([Reply(text="cancelled")], {**dict.fromkeys(self.slots), REQUESTED: None})

    def resume_button(self, state: FormState) -> dict[str, str]:
        return {"title": "Continue", "payload": "/request_callback"}

    def paused_note(self) -> str:
        return "(paused)"


class Family:
    def __init__(self):
        self.form = CallbackForm(translator("en"))
        self.state = FormState({})
        self.last: Outcome | None = None

    def say(self, text: str, intent: str = "nlu_fallback", confidence: float = 0.9, step: str | None = None) -> Outcome:
        entities = ({"entity": "step", "value": step},) if step else ()
        self.last = handle(self.form, Turn(text, intent, confidence, entities), self.state)
        if not self.last.handed_on:
            self.state = self.state.with_changes(self.last.changes)
        return self.last

    @property
    def text(self) -> str:
        return " ".join(reply.text or "" for reply in self.last.replies)


def test_consent_then_each_question_then_a_review_confirmed():
    family = Family()
    family.say("I want a call")
    assert family.state.step == CONSENT and "ask:cb_consent" in family.text
    family.say("yes")
    assert family.form.consents == [True] and family.text == "thanks | ask:cb_name"
    family.say("Amira")
    family.say("morning")
    assert family.state.step == REVIEW
    family.say('/affirm{"step": "cb_review"}', "affirm", 1.0, step=REVIEW)
    assert family.state.get(REVIEW) == "confirmed" and family.state.step is None


def test_an_unreadable_answer_is_asked_again_with_its_help_and_a_question_is_handed_on():
    family = Family()
    family.state = FormState({CONSENT: True, REQUESTED: NAME})
    family.say("12345")
    assert family.text == "name | ask:cb_name" and family.state.step == NAME
    assert family.say("How long does it take?", "ask_after_applying", 0.9).handed_on
    assert family.state.step == NAME  # the form waits


def test_an_old_button_shows_where_we_are_and_only_the_reviews_own_yes_confirms():
    family = Family()
    family.state = FormState({CONSENT: True, NAME: "Amira", TIME: "morning", REQUESTED: REVIEW})
    family.say("/affirm", "affirm", 1.0)  # a Yes without the review's step: an old button
    assert family.text.startswith("That button belonged to an earlier question") and family.state.get(REVIEW) is None
    family.say('/affirm{"step": "cb_consent"}', "affirm", 1.0, step=CONSENT)
    assert family.state.step == REVIEW and family.state.get(REVIEW) is None


def test_change_returns_to_the_review_and_stop_clears_everything():
    family = Family()
    family.state = FormState({CONSENT: True, NAME: "Amira", TIME: "morning", REQUESTED: REVIEW})
    family.say("no")
    assert family.state.step == CHANGE
    family.say("2")
    assert family.state.step == TIME and family.state.get(TIME) is None and family.state.get(EDITING)
    family.say("afternoon")
    assert family.state.step == REVIEW and family.state.get(TIME) == "afternoon" and not family.state.get(EDITING)
    family.say("stop")
    assert family.text == "cancelled" and family.state.get(NAME) is None and family.state.step is None


def test_refused_consent_is_a_cancel_and_a_paused_form_offers_its_way_back():
    family = Family()
    family.say("call me")
    family.say("no")
    assert family.text == "cancelled" and family.form.consents == []
    messages = [Reply(text="The office is open 9–15.")]
    state = FormState({CONSENT: True, NAME: "Amira", REQUESTED: TIME})
    offer_resume(family.form, state, messages)
    assert "(paused)" in messages[0].text and messages[0].buttons[0]["title"] == "Continue"
    assert family.form.pause(state) == {REQUESTED: None, EDITING: None}
