"""What the assistant answers to a message outside a form: a service and the asked aspect of it,
a signpost to another body, the contact point, the overview, small talk, a language switch, or a
fallback that offers the likeliest services before it refuses; a request for a person is
``knowledge.handoff.offer.human_handoff``. Each takes a ``Turn`` and returns
an ``Outcome``; the frame every answer shares is ``knowledge.conversation``."""
from __future__ import annotations

from knowledge import replies, suggestions, unanswered
from knowledge.applications.fields import CONSENT_STEP
from knowledge.applications.form import begin_application
from knowledge.aspects import ASPECT_OF_INTENT
from knowledge.eligibility.check_form import begin_check, facts_of, known_facts
from knowledge.eligibility.engine import eligibility_services
from knowledge.handoff.offer import count_unplaced, offer_a_person, offers_now
from knowledge.i18n import Translator, translator
from knowledge.language_detection import is_language_request, letter_words
from knowledge.languages import INPUT_LANGUAGES
from knowledge.offline import MAIN_CONTACT
from knowledge.queries import UnknownService, deciding_office, get_contact, get_service, list_services, service_keys
from knowledge.turn import Outcome, Turn

#: A greeting, thanks or goodbye is short; a longer message read as one, without confidence, is a
#: question the model did not understand ("ጸብሒ ደርሆ ከመይ ጌረ ይሰርሖ?" is not "hello").
SMALL_TALK_MAX_WORDS = 4
SMALL_TALK_MIN_CONFIDENCE_WHEN_LONG = 0.6


def small_talk(tr: Translator, turn: Turn, session) -> Outcome:
    intent = turn.intent
    if (intent in ("greet", "goodbye", "thank") and not turn.tapped and len(letter_words(turn.text)) > SMALL_TALK_MAX_WORDS
            and turn.confidence < SMALL_TALK_MIN_CONFIDENCE_WHEN_LONG):
        return fallback(tr, turn, session)
    if intent not in replies.SMALL_TALK:
        intent = "greet"
    return Outcome(replies.small_talk_answer(tr, intent))


def service(tr: Translator, turn: Turn, session) -> Outcome:
    """About a service, who can get it, how to apply, cost, or who decides; follow-ups use the slot."""
    aspect = ASPECT_OF_INTENT.get(turn.intent, "about")
    named = turn.entity_values("service")
    known = service_keys(session)
    chosen = [key for key in named if key in known]
    if not chosen and aspect != "about" and turn.slot("service") in known:
        chosen = [turn.slot("service")]
    if not chosen and aspect == "apply" and not named:  # "I want to apply": the form asks which service
        return begin_application(turn, [])
    suggested = suggestions.instead_of_an_answer(tr, turn, session, aspect, chosen, named)
    if suggested:  # not sure which service: "is it one of these?"
        return Outcome(suggested)
    if not chosen:
        services = list_services(session, tr.language)
        if aspect == "about" or named:
            return Outcome(replies.unknown_service_answer(tr, services, get_contact(session, MAIN_CONTACT, tr.language)),
                           result="refused")
        return Outcome(replies.choose_service_answer(tr, services, aspect))
    try:
        view = get_service(session, chosen[0], tr.language)
    except UnknownService:
        services = list_services(session, tr.language)
        return Outcome(replies.unknown_service_answer(tr, services, get_contact(session, MAIN_CONTACT, tr.language)),
                       result="refused")
    changes = {"service": view.key}
    if view.is_signpost:  # another body's business: say who handles it and how to reach them
        beside = suggestions.beside_a_signpost(tr, turn, session, view.key)
        if beside:  # named in passing in a story about one of our services: ask which
            return Outcome(beside)
        contact = get_contact(session, view.contact_key, tr.language) if view.contact_key else None
        return Outcome(replies.signpost_answer(tr, view, aspect, contact), changes)
    followup = None
    if aspect == "eligibility" and view.key in eligibility_services():
        check = begin_check(tr, turn, session, view.key)
        if check.replies:  # nothing left to ask: the result itself answers
            return Outcome(check.replies, {**changes, **check.changes})
        changes.update(check.changes)
        followup = check.followup
        if _already_checking(turn, view.key):  # coming back to a check: just the card, then the next question
            return Outcome([replies.Reply(custom=replies.service_card(tr, view))], changes, followup)
    through_form = aspect == "apply" and view.applied_for_through_veiviser
    if through_form:  # other services are applied for elsewhere, or not at all: the answer says where
        started = begin_application(turn, [view.key])
        changes.update(started.changes)
        followup = started.followup
        if turn.slot(CONSENT_STEP) is True:  # continuing an application: straight to the next question
            return Outcome([], changes, followup)
    contact = get_contact(session, view.contact_key, tr.language)
    # The phone for questions: the service's own, else the coordinating unit's, but only for the
    # services applied for there; a service with its own door is not sent to another office's phone.
    main = contact if contact.phone else (get_contact(session, MAIN_CONTACT, tr.language)
                                          if view.applied_for_through_veiviser else None)
    deciding = deciding_office(session, view.decided_by_key, tr.language)
    messages = replies.service_answer(tr, view, aspect, main, deciding)
    if aspect == "eligibility" or through_form:
        messages[0].buttons = []  # the check's (or the application's) questions come next, with their own buttons
    if len(chosen) > 1:
        others = [get_service(session, key, tr.language) for key in chosen[1:]]
        messages[0].buttons = [replies.button(other.title, "ask_service", service=other.key) for other in others] + messages[0].buttons
    if main is None or contact.key != main.key:
        replies.add_note(messages, f"{contact.name}: {contact.role}")
    return Outcome(messages, changes, followup)


def _already_checking(turn: Turn, service_key: str) -> bool:
    """A tap on "Continue the check" (or a service in the overview) after some of its questions were
    answered: the family has read the general answer already."""
    return turn.tapped and bool(facts_of(service_key) & set(known_facts(turn)))


def contact(tr: Translator, turn: Turn, session) -> Outcome:
    return Outcome(replies.contact_answer(tr, get_contact(session, MAIN_CONTACT, tr.language)))


def services_overview(tr: Translator, turn: Turn, session) -> Outcome:
    suggested = suggestions.suggestions_for_a_need(tr, turn, session)  # "who helps with her medicines?"
    if suggested:
        return Outcome(suggested)
    return Outcome(replies.overview_answer(tr, list_services(session, tr.language), get_contact(session, MAIN_CONTACT, tr.language)))


def change_language(tr: Translator, turn: Turn, session) -> Outcome:
    """Switch on request ("answer in English"); without a recognised language, offer the choice.

    A language's or country's name inside a sentence ("my sister lives in England", "I need a
    Tigrinya interpreter") is not a request: that message is answered as what it is about."""
    if not turn.tapped and not is_language_request(turn.text):
        if turn.entity_values("service"):
            return service(tr, turn, session)
        return fallback(tr, turn, session)
    wanted = [value for value in turn.entity_values("language") if value in INPUT_LANGUAGES]
    if not wanted:
        return Outcome(replies.language_choice_answer())
    new = translator(wanted[0])
    return Outcome(replies.language_changed_answer(new), {"language": new.language, "language_choice": new.language})


def fallback(tr: Translator, turn: Turn, session) -> Outcome:
    """Below the confidence threshold or out of scope. A message about a child, a family or a need
    gets the likeliest services as buttons; only one clearly about something else is refused."""

    reason = "out_of_scope" if turn.intent == "out_of_scope" else "not_understood"
    best = next((r for r in turn.ranking if r.get("name") != "nlu_fallback"), {})
    suggested = suggestions.instead_of_a_refusal(tr, turn, session, best.get("name"), float(best.get("confidence") or 0.0))
    # For the editors' list of unanswered questions: redacted, and never with the sender id.
    unanswered.record(session, turn.text, tr.language, best.get("name"), best.get("confidence"),
                      "clarified" if suggested else reason, turn.traffic)
    session.commit()
    if suggested:
        return Outcome(suggested, count_unplaced(turn, placed=True))
    messages = replies.fallback_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), reason)
    if offers_now(turn):  # the second message in a row it could not place: a person, in so many words
        offer_a_person(tr, session, messages, lead=True)
    return Outcome(messages, count_unplaced(turn, placed=False), result="refused")
