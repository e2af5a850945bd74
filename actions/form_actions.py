"""Every form's turn in Rasa: one generic validation action (Rasa calls it ``validate_<form>``)
builds the ``Turn``, lets ``knowledge.conversation.answer_form_turn`` decide, and turns the outcome
into events. What the forms ask and how they read answers is in ``knowledge``."""
from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import events_of, failed, send
from actions.tracker import turn_of
from knowledge.applications.form import ApplicationForm
from knowledge.conversation import answer_form_turn
from knowledge.db import new_session
from knowledge.eligibility.check_form import CheckForm
from knowledge.forms import REQUESTED, Form
from knowledge.handoff.callback import CallbackForm


class ValidateForm(Action):
    """One message to a form. Returning no events rejects the form for this turn, so Rasa's rules
    answer another topic (the action that answers it pauses the form, see knowledge.conversation)."""

    form: ClassVar[type[Form]]

    @abstractmethod
    def name(self) -> str:
        """``validate_`` and the form's name."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            outcome = answer_form_turn(self.form, turn_of(tracker), new_session)
        except Exception as error:  # noqa: BLE001 - never to Rasa (see actions.failed); the form stays at its step
            outcome = failed(self.name(), error, tracker)
            outcome.changes = {REQUESTED: tracker.get_slot(REQUESTED)}
        if outcome.handed_on:
            return []
        send(dispatcher, outcome.replies)
        return events_of(outcome)


class ValidateEligibilityForm(ValidateForm):
    form = CheckForm

    def name(self) -> str:
        return "validate_eligibility_form"


class ValidateApplicationForm(ValidateForm):
    form = ApplicationForm

    def name(self) -> str:
        return "validate_application_form"


class ValidateCallbackForm(ValidateForm):
    form = CallbackForm

    def name(self) -> str:
        return "validate_callback_form"
