"""Custom actions: thin adapters from a Rasa tracker to the knowledge library.

Each action decides the conversation's language, reads the knowledge base, and sends the
replies that ``knowledge.replies`` composes. No answer text and no business rule lives here.
"""
from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions import applying, clarifying
from actions.checking import CHECK_SLOT, active_check, add_resume, begin_check, facts_of, pause_events, slot_facts
from actions.conversation import (
    confidence,
    conversation_language,
    entity_values,
    explicit_language,
    is_payload,
    latest_intent,
)
from knowledge import replies, unanswered
from knowledge.aspects import ASPECT_OF_INTENT
from knowledge.db import new_session
from knowledge.eligibility.engine import eligibility_services
from knowledge.i18n import Translator, translator
from knowledge.language_detection import is_language_request, letter_words
from knowledge.languages import INPUT_LANGUAGES
from knowledge.offline import MAIN_CONTACT, offline_contact
from knowledge.queries import (
    UnknownContact,
    UnknownService,
    deciding_office,
    get_contact,
    get_service,
    list_services,
    service_keys,
)

logger = logging.getLogger(__name__)

LONG_MESSAGE = 1500


def send(dispatcher: CollectingDispatcher, messages: list[replies.Reply]) -> None:
    for message in messages:
        if message.custom is not None:
            dispatcher.utter_message(json_message=message.custom)
        else:
            dispatcher.utter_message(text=message.text, buttons=message.buttons or None)


class VeiviserAction(Action):
    """Shared frame: language, empty/long input, database failures, and logging without content.

    An action that runs while the eligibility check is waiting for an answer is answering a new
    topic: it pauses the check (the answers so far are kept) and offers to continue it.
    """

    records_unsure_questions = False  # answers to questions: record the wording when the model was unsure

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    @abstractmethod
    def respond(self, tr: Translator, tracker: Tracker, session) -> tuple[list[replies.Reply], list[dict[str, Any]]]:
        """The replies and events for the latest message."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        decision = conversation_language(tracker)
        tr = translator(decision.language)
        events: list[dict[str, Any]] = [SlotSet("language", decision.language)]
        chosen = explicit_language(tracker)
        if chosen and chosen != tracker.get_slot("language_choice"):
            events.append(SlotSet("language_choice", chosen))
        text = tracker.latest_message.get("text") or ""
        logger.info("action=%s intent=%s language=%s method=%s length=%d", self.name(), latest_intent(tracker),
                    decision.language, decision.method, len(text))
        try:
            with new_session() as session:
                if decision.method == "unsupported":
                    messages, more = replies.language_choice_answer(), []
                elif not is_payload(text) and not text.strip():
                    messages, more = replies.fallback_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), "empty"), []
                elif not is_payload(text) and not letter_words(text) and not any(ch.isdigit() for ch in text):
                    messages, more = replies.fallback_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), "no_text"), []
                else:
                    messages, more = self.respond(tr, tracker, session)
                    self.record_if_unsure(tracker, session, tr.language)
        except (SQLAlchemyError, UnknownContact) as error:  # down, or never seeded
            logger.error("knowledge base unavailable in %s: %s", self.name(), type(error).__name__)
            contact = offline_contact(tr.language)
            messages, more = [replies.Reply(text=tr.gettext("I cannot look that up right now.") + " " + replies.phone_line(tr, contact))], []
        if len(text) > LONG_MESSAGE and messages:
            replies.add_note(messages, replies.long_message_note(tr), at_start=True)
        if decision.method == "arabizi" and decision.language != "ar":
            replies.offer_language(tr, messages, "ar")
        paused = active_check(tracker)
        if paused:
            events += pause_events()
            if not any(event.get("name") == CHECK_SLOT for event in more):  # not a new check
                add_resume(tr, messages, paused)
        if applying.applying(tracker):
            events += applying.pause_events()
            if not any(event.get("event") == "followup" for event in more):  # not going straight back to it
                applying.add_resume(tr, messages)
        send(dispatcher, messages)
        return events + more


    def record_if_unsure(self, tracker: Tracker, session, language: str) -> None:
        """A question answered on a low-confidence guess goes to the editors' list (redacted, no
        sender id). Never during a form: those messages are answers, often personal ones."""
        intent = tracker.latest_message.get("intent") or {}
        text = tracker.latest_message.get("text") or ""
        if (not self.records_unsure_questions or is_payload(text) or not unanswered.is_unsure(intent.get("confidence"))
                or active_check(tracker) or applying.applying(tracker)):
            return
        unanswered.record(session, text, language, intent.get("name"), intent.get("confidence"), "low_confidence")
        session.commit()


#: A greeting, thanks or goodbye is short; a longer message read as one, without confidence, is a
#: question the model did not understand ("ጸብሒ ደርሆ ከመይ ጌረ ይሰርሖ?" is not "hello").
SMALL_TALK_MAX_WORDS = 4
SMALL_TALK_MIN_CONFIDENCE_WHEN_LONG = 0.6


class ActionSmallTalk(VeiviserAction):
    def name(self) -> str:
        return "action_small_talk"

    def respond(self, tr, tracker, session):
        intent = latest_intent(tracker)
        text = tracker.latest_message.get("text") or ""
        if (intent in ("greet", "goodbye", "thank") and not is_payload(text) and len(letter_words(text)) > SMALL_TALK_MAX_WORDS
                and confidence(tracker) < SMALL_TALK_MIN_CONFIDENCE_WHEN_LONG):
            return ActionFallback().respond(tr, tracker, session)
        if intent not in replies.SMALL_TALK:
            intent = "greet"
        return replies.small_talk_answer(tr, intent), []


class ActionAnswerService(VeiviserAction):
    """About a service, who can get it, how to apply, cost, or who decides; follow-ups use the slot."""

    records_unsure_questions = True

    def name(self) -> str:
        return "action_answer_service"

    def respond(self, tr, tracker, session):
        aspect = ASPECT_OF_INTENT.get(latest_intent(tracker), "about")
        named = entity_values(tracker, "service")
        known = service_keys(session)
        chosen = [key for key in named if key in known]
        if not chosen and aspect != "about" and tracker.get_slot("service") in known:
            chosen = [tracker.get_slot("service")]
        if not chosen and aspect == "apply" and not named:  # "I want to apply": the form asks which service
            return [], applying.begin_application(tracker, [])
        suggested = clarifying.instead_of_an_answer(tr, tracker, session, aspect, chosen, named)
        if suggested:  # not sure which service: "is it one of these?"
            return suggested, []
        if not chosen:
            services = list_services(session, tr.language)
            if aspect == "about" or named:
                return replies.unknown_service_answer(tr, services, get_contact(session, MAIN_CONTACT, tr.language)), []
            return replies.choose_service_answer(tr, services, aspect), []
        try:
            service = get_service(session, chosen[0], tr.language)
        except UnknownService:
            services = list_services(session, tr.language)
            return replies.unknown_service_answer(tr, services, get_contact(session, MAIN_CONTACT, tr.language)), []
        events = [SlotSet("service", service.key)]
        if service.is_signpost:  # another body's business: say who handles it and how to reach them
            beside = clarifying.beside_a_signpost(tr, tracker, session, service.key)
            if beside:  # named in passing in a story about one of our services: ask which
                return beside, []
            contact = get_contact(session, service.contact_key, tr.language) if service.contact_key else None
            return replies.signpost_answer(tr, service, aspect, contact), events
        if aspect == "eligibility" and service.key in eligibility_services():
            check, check_events = begin_check(tr, tracker, session, service.key)
            if check:  # nothing left to ask: the result itself answers
                return check, events + check_events
            events += check_events
            if _already_checking(tracker, service.key):  # coming back to a check: just the card, then the next question
                return [replies.Reply(custom=replies.service_card(tr, service))], events
        through_form = aspect == "apply" and service.applied_for_through_veiviser
        if through_form:  # other services are applied for elsewhere, or not at all: the answer says where
            events += applying.begin_application(tracker, [service.key])
            if tracker.get_slot(applying.CONSENT) is True:  # continuing an application: straight to the next question
                return [], events
        contact = get_contact(session, service.contact_key, tr.language)
        # The phone for questions: the service's own, else the coordinating unit's, but only for the
        # services applied for there; a service with its own door is not sent to another office's phone.
        main = contact if contact.phone else (get_contact(session, MAIN_CONTACT, tr.language)
                                              if service.applied_for_through_veiviser else None)
        deciding = deciding_office(session, service.decided_by_key, tr.language)
        messages = replies.service_answer(tr, service, aspect, main, deciding)
        if aspect == "eligibility" or through_form:
            messages[0].buttons = []  # the check's (or the application's) questions come next, with their own buttons
        if len(chosen) > 1:
            others = [get_service(session, key, tr.language) for key in chosen[1:]]
            messages[0].buttons = [replies.button(other.title, "ask_service", service=other.key) for other in others] + messages[0].buttons
        if main is None or contact.key != main.key:
            replies.add_note(messages, f"{contact.name}: {contact.role}")
        return messages, events


def _already_checking(tracker: Tracker, service: str) -> bool:
    """A tap on "Continue the check" (or a service in the overview) after some of its questions were
    answered: the family has read the general answer already."""
    return is_payload(tracker.latest_message.get("text") or "") and bool(facts_of(service) & set(slot_facts(tracker)))


class ActionContact(VeiviserAction):
    records_unsure_questions = True

    def name(self) -> str:
        return "action_contact"

    def respond(self, tr, tracker, session):
        return replies.contact_answer(tr, get_contact(session, MAIN_CONTACT, tr.language)), []


class ActionServicesOverview(VeiviserAction):
    records_unsure_questions = True

    def name(self) -> str:
        return "action_services_overview"

    def respond(self, tr, tracker, session):
        suggested = clarifying.suggestions_for_a_need(tr, tracker, session)  # "who helps with her medicines?"
        if suggested:
            return suggested, []
        return replies.overview_answer(tr, list_services(session, tr.language), get_contact(session, MAIN_CONTACT, tr.language)), []


class ActionHumanHandoff(VeiviserAction):
    records_unsure_questions = True

    def name(self) -> str:
        return "action_human_handoff"

    def respond(self, tr, tracker, session):
        suggested = clarifying.suggestions_for_a_need(tr, tracker, session)  # "someone to go swimming with her"
        if suggested:
            return suggested, []
        return replies.human_handoff_answer(tr, get_contact(session, MAIN_CONTACT, tr.language)), []


class ActionChangeLanguage(VeiviserAction):
    """Switch on request ("answer in English"); without a recognised language, offer the choice.

    A language's or country's name inside a sentence ("my sister lives in England", "I need a
    Tigrinya interpreter") is not a request: that message is answered as what it is about."""

    records_unsure_questions = True

    def name(self) -> str:
        return "action_change_language"

    def respond(self, tr, tracker, session):
        text = tracker.latest_message.get("text") or ""
        if not is_payload(text) and not is_language_request(text):
            if entity_values(tracker, "service"):
                return ActionAnswerService().respond(tr, tracker, session)
            return ActionFallback().respond(tr, tracker, session)
        wanted = [value for value in entity_values(tracker, "language") if value in INPUT_LANGUAGES]
        if not wanted:
            return replies.language_choice_answer(), []
        new = translator(wanted[0])
        return replies.language_changed_answer(new), [SlotSet("language", new.language), SlotSet("language_choice", new.language)]


class ActionFallback(VeiviserAction):
    """Below the confidence threshold or out of scope. A message about a child, a family or a need
    gets the likeliest services as buttons; only one clearly about something else is refused."""

    def name(self) -> str:
        return "action_fallback"

    def respond(self, tr, tracker, session):
        reason = "out_of_scope" if latest_intent(tracker) == "out_of_scope" else "not_understood"
        ranking = tracker.latest_message.get("intent_ranking") or [tracker.latest_message.get("intent") or {}]
        best = next((r for r in ranking if r.get("name") != "nlu_fallback"), {})
        text = tracker.latest_message.get("text") or ""
        suggested = clarifying.instead_of_a_refusal(tr, tracker, session, best.get("name"), float(best.get("confidence") or 0.0))
        # For the editors' list of unanswered questions: redacted, and never with the sender id.
        unanswered.record(session, text, tr.language, best.get("name"), best.get("confidence"),
                          "clarified" if suggested else reason)
        session.commit()
        if suggested:
            return suggested, []
        return replies.fallback_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), reason), []
