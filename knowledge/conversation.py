"""One message outside a form, answered the one way every answer goes: the conversation's
language; empty, unreadable or unsupported input; the answer itself (``knowledge.answers`` and
the check's and the application's answers); a database that is down; notes about a long message or
Arabic in Latin letters; and a form that was waiting, paused with a button back to it.

The Rasa actions build the ``Turn``, call ``answer_turn`` with their answer function, and turn the
``Outcome`` into events; a conversation's path can be read here, in one place.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from knowledge import replies, unanswered
from knowledge.applications.form import ApplicationForm
from knowledge.eligibility.check_form import CheckForm
from knowledge.forms import REQUESTED, Form, FormState, handle, offer_resume
from knowledge.handoff.callback import CallbackForm
from knowledge.handoff.offer import UNPLACED_SLOT
from knowledge.i18n import Translator, translator
from knowledge.insight import usage
from knowledge.language_detection import letter_words
from knowledge.offline import MAIN_CONTACT, offline_contact
from knowledge.queries import UnknownContact, get_contact, remembering
from knowledge.turn import Outcome, Turn

logger = logging.getLogger(__name__)

#: The forms by their name in the Rasa domain.
FORMS: dict[str, type[Form]] = {form.name: form for form in (CheckForm, ApplicationForm, CallbackForm)}
#: A message longer than this gets a note that only its start was read closely.
LONG_MESSAGE = 1500

Answer = Callable[[Translator, Turn, object], Outcome]


def form_state(form: type[Form], slots) -> FormState:
    return FormState({name: slots.get(name) for name in (*form.slots, REQUESTED)})


def answer_turn(turn: Turn, answer: Answer, open_session: Callable, name: str = "answer",
                records_unsure: bool = False) -> Outcome:
    """``answer`` to ``turn`` inside the frame every answer shares. ``records_unsure``: a question
    answered on a low-confidence guess goes to the editors' list."""
    decision = turn.language
    tr = translator(decision.language)
    changes = {"language": decision.language}
    if turn.chosen_language and turn.chosen_language != turn.slot("language_choice"):
        changes["language_choice"] = turn.chosen_language
    logger.info("action=%s intent=%s language=%s method=%s length=%d", name, turn.intent, decision.language,
                decision.method, len(turn.text))  # never the text itself
    try:
        with open_session() as session, remembering(session):
            outcome = _answered(tr, turn, session, answer, records_unsure)
            usage.record(turn, decision.language, usage.classify(name, outcome))
    except (SQLAlchemyError, UnknownContact) as error:  # down, or never seeded
        logger.error("knowledge base unavailable in %s: %s", name, type(error).__name__)
        outcome = Outcome(unavailable(tr))
    messages = outcome.replies
    if turn.slot(UNPLACED_SLOT) and UNPLACED_SLOT not in outcome.changes:  # placed this time: count again from nothing
        changes[UNPLACED_SLOT] = 0
    if len(turn.text) > LONG_MESSAGE and messages:
        replies.add_note(messages, replies.long_message_note(tr), at_start=True)
    if decision.method == "arabizi" and decision.language != "ar":
        replies.offer_language(tr, messages, "ar")
    form = FORMS.get(turn.form)
    if form is None:
        return Outcome(messages, {**changes, **outcome.changes}, outcome.followup)
    # Another topic while a form was asking: it waits, with its answers, and is offered again.
    state, paused = form_state(form, turn.slots), form(tr)
    if not _moves_a_form(outcome, form):
        offer_resume(paused, state, messages)
    return Outcome(messages, {**changes, **paused.pause(state), **outcome.changes}, outcome.followup, pauses_form=True)


def answer_form_turn(form: type[Form], turn: Turn, open_session: Callable) -> Outcome:
    """A message while ``form`` is asking: ``knowledge.forms.handle`` decides, in the form's language."""
    tr = translator(form.language_of(turn))
    try:
        with open_session() as session, remembering(session):
            outcome = handle(form(tr, session, turn.conversation_id), turn, form_state(form, turn.slots))
            if not outcome.handed_on:  # another topic is counted by the answer that takes it
                usage.record(turn, tr.language, usage.Usage("form", form.name))
    except (SQLAlchemyError, UnknownContact) as error:
        logger.error("%s: knowledge base unavailable (%s)", form.name, type(error).__name__)
        # The form ends (its answers stay in the slots, until the conversation ends).
        outcome = Outcome(unavailable(tr), {REQUESTED: None})
    if not outcome.handed_on:
        outcome.changes = {"language": tr.language, **outcome.changes}
    return outcome


def unavailable(tr: Translator) -> list[replies.Reply]:
    """The database is down (or was never seeded): say so and give the phone, which is known offline."""
    return [replies.Reply(text=tr.gettext("I cannot look that up right now.") + " " + replies.phone_line(tr, offline_contact(tr.language)))]


def _answered(tr: Translator, turn: Turn, session, answer: Answer, records_unsure: bool) -> Outcome:
    if turn.language.method == "unsupported":
        return Outcome(replies.language_choice_answer())
    if not turn.tapped and not turn.text.strip():
        return Outcome(replies.fallback_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), "empty"), result="empty")
    if not turn.tapped and not letter_words(turn.text) and not any(ch.isdigit() for ch in turn.text):
        return Outcome(replies.fallback_answer(tr, get_contact(session, MAIN_CONTACT, tr.language), "no_text"), result="empty")
    outcome = answer(tr, turn, session)
    if records_unsure:
        record_if_unsure(turn, session, tr.language)
    return outcome


def _moves_a_form(outcome: Outcome, form: type[Form]) -> bool:
    """The answer itself starts a form or changes the paused one (a new check, going back to the
    application): no "continue" button beside it."""
    return outcome.followup is not None or any(name in form.slots for name in outcome.changes)


def record_if_unsure(turn: Turn, session, language: str) -> None:
    """A question answered on a low-confidence guess goes to the editors' list (redacted, no
    sender id). Never during a form: those messages are answers, often personal ones."""
    if turn.tapped or not unanswered.is_unsure(turn.confidence) or turn.form is not None:
        return
    unanswered.record(session, turn.text, language, turn.intent, turn.confidence, "low_confidence", turn.traffic)
    session.commit()
