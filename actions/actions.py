"""Custom actions: thin adapters from a Rasa tracker to the knowledge library.

Each action names the function in ``knowledge`` that answers its messages. The action builds the
``Turn`` (actions.tracker), ``knowledge.conversation.answer_turn`` answers it in the frame every
answer shares, and the action turns the ``Outcome`` into Rasa events. No answer text, business
rule or routing lives here.
"""
from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import turn_of
from knowledge import answers, replies
from knowledge.applications.submit import submit
from knowledge.conversation import Answer, answer_turn
from knowledge.db import new_session
from knowledge.eligibility.check_form import check_result, start_over, what_we_can_get
from knowledge.handoff import offer
from knowledge.handoff.callback import submit_callback
from knowledge.i18n import translator
from knowledge.languages import INPUT_LANGUAGES
from knowledge.offline import offline_contact
from knowledge.turn import Outcome

logger = logging.getLogger(__name__)


def send(dispatcher: CollectingDispatcher, messages: list[replies.Reply]) -> None:
    for message in messages:
        if message.custom is not None:
            dispatcher.utter_message(json_message=message.custom)
        else:
            dispatcher.utter_message(text=message.text, buttons=message.buttons or None)


def failed(action: str, error: Exception, tracker: Tracker) -> Outcome:
    """A bug, never passed on to Rasa: rasa-sdk would answer with the whole tracker, which Rasa
    logs. Logged by type and place only; the family hears that the assistant cannot answer now,
    in their language, with the phone number."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    where = f"{trace.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{trace.tb_lineno}" if trace else "?"
    logger.error("action=%s failed: %s at %s", action, type(error).__name__, where)
    try:
        language = turn_of(tracker).language.language
    except Exception:  # noqa: BLE001 - the failure may be in reading the turn itself
        language = tracker.get_slot("language") if tracker.get_slot("language") in INPUT_LANGUAGES else "nb"
    tr = translator(language)
    return Outcome(replies.unavailable_answer(tr, offline_contact(tr.language)))


def events_of(outcome: Outcome) -> list[dict[str, Any]]:
    """An outcome as Rasa events: the form that was asking stops, the slots change, then the next form runs."""
    events: list[dict[str, Any]] = [ActiveLoop(None)] if outcome.pauses_form else []
    events += [SlotSet(name, value) for name, value in outcome.changes.items()]
    if outcome.followup:
        events.append(FollowupAction(outcome.followup))
    return events


class VeiviserAction(Action):
    """An action answered by ``answer`` (a function in ``knowledge``) in the shared frame."""

    answer: ClassVar[Answer]
    #: Answers to questions: record the wording when the model was unsure.
    records_unsure_questions: ClassVar[bool] = False

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            outcome = answer_turn(turn_of(tracker), type(self).answer, new_session, self.name(), self.records_unsure_questions)
        except Exception as error:  # noqa: BLE001 - see failed()
            outcome = failed(self.name(), error, tracker)
        send(dispatcher, outcome.replies)
        return events_of(outcome)


class ActionSmallTalk(VeiviserAction):
    answer = answers.small_talk

    def name(self) -> str:
        return "action_small_talk"


class ActionAnswerService(VeiviserAction):
    """About a service, who can get it, how to apply, cost, or who decides; follow-ups use the slot."""
    answer = answers.service
    records_unsure_questions = True

    def name(self) -> str:
        return "action_answer_service"


class ActionContact(VeiviserAction):
    answer = answers.contact
    records_unsure_questions = True

    def name(self) -> str:
        return "action_contact"


class ActionServicesOverview(VeiviserAction):
    answer = answers.services_overview
    records_unsure_questions = True

    def name(self) -> str:
        return "action_services_overview"


class ActionHumanHandoff(VeiviserAction):
    """A person: a live chat when a case worker is available in opening hours, else a call back."""
    answer = offer.human_handoff
    records_unsure_questions = True

    def name(self) -> str:
        return "action_human_handoff"


class ActionChangeLanguage(VeiviserAction):
    answer = answers.change_language
    records_unsure_questions = True

    def name(self) -> str:
        return "action_change_language"


class ActionFallback(VeiviserAction):
    """Below the confidence threshold or out of scope (the answer records it for the editors itself)."""
    answer = answers.fallback

    def name(self) -> str:
        return "action_fallback"


class ActionWhatWeCanGet(VeiviserAction):
    """"What can we get?": the walk-through over every service."""
    answer = what_we_can_get

    def name(self) -> str:
        return "action_what_we_can_get"


class ActionEligibilityResult(VeiviserAction):
    """When the check's form has all it needs: the outcome with reasons, sources and the next step."""
    answer = check_result

    def name(self) -> str:
        return "action_eligibility_result"


class ActionStartOver(VeiviserAction):
    """"I answered wrong" / "start again": the check's answers asked again."""
    answer = start_over

    def name(self) -> str:
        return "action_start_over"


class ActionSubmitApplication(VeiviserAction):
    """After the family confirmed the review: store, deliver, and give the receipt."""
    answer = submit

    def name(self) -> str:
        return "action_submit_application"


class ActionSubmitCallback(VeiviserAction):
    """After the family confirmed the call-back request: store, deliver, and give the receipt."""
    answer = submit_callback

    def name(self) -> str:
        return "action_submit_callback"
