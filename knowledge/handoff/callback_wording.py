"""How the callback request speaks: the offer, consent, questions, the review and the receipt.

Fixed words are gettext ids (``locales/``); the office's name and phone hours come from the
knowledge base. The consent text has a version, recorded with every decision.
"""
from __future__ import annotations

from typing import Any

from babel import Locale

from knowledge.applications.wording import PROBLEMS
from knowledge.handoff.live_chat import Place
from knowledge.i18n import Translator
from knowledge.i18n import mark as _
from knowledge.phone_hours import describe_hours
from knowledge.queries import ContactView
from knowledge.replies import Reply, button, phone_line

#: Change this when the consent text changes; each decision records the version it answered.
CONSENT_VERSION = "2026-12-02-callback"
CONSENT_STEP, REVIEW_STEP, CHANGE_STEP = "cb_consent", "cb_review", "cb_change"
NAME_STEP, PHONE_STEP, TIME_STEP, INTERPRETER_STEP, TOPIC_STEP = "cb_name", "cb_phone", "cb_time", "cb_interpreter", "cb_topic"
#: The questions in the order they are asked (the interpreter only when the conversation is not in Norwegian).
QUESTION_STEPS = (NAME_STEP, PHONE_STEP, TIME_STEP, INTERPRETER_STEP, TOPIC_STEP)

#: Times of day a family can tap; any other short answer ("after 14", "not Tuesdays") is kept as written.
TIMES = {
    "morning": _("Morning"),
    "midday": _("Around midday"),
    "afternoon": _("Afternoon"),
    "any": _("Any time"),
}
TIMES_NB = {"morning": "formiddag", "midday": "rundt middag", "afternoon": "ettermiddag", "any": "når som helst"}

QUESTIONS = {
    NAME_STEP: _("What is your name?"),
    PHONE_STEP: _("What phone number should the case worker call?"),
    TIME_STEP: _("When is the best time to call you? The office calls on weekdays, {hours}."),
    INTERPRETER_STEP: _("Do you want an interpreter in {language} on the call?"),
    TOPIC_STEP: _("What would you like to talk about? Write it in your own words and your own language."),
}
LABELS = {
    NAME_STEP: _("Your name"),
    PHONE_STEP: _("Phone"),
    TIME_STEP: _("Best time to call"),
    INTERPRETER_STEP: _("Interpreter"),
    TOPIC_STEP: _("What it is about"),
}
#: What each step explains when an answer cannot be used (the application's help where it is the same).
STEP_PROBLEMS = {"time": _("Please tap a time, or write when it suits you, for example \"after 12\".")}


def language_name(code: str, in_language: str) -> str:
    """A language's name in another language ("Tigrinya" in English, "ትግርኛ" in Tigrinya)."""
    locale = Locale.parse("nb" if in_language == "nn" else in_language)
    return locale.languages.get("no" if code in ("nb", "nn") else code, code)


def problem_text(tr: Translator, problem: str) -> str:
    return tr.gettext(STEP_PROBLEMS.get(problem) or PROBLEMS[problem])


def queued_reply(tr: Translator, place: Place) -> list[Reply]:
    """The family is in the live chat's queue; the widget follows the chat from the ``live_chat``
    card (its text for channels without cards)."""
    _ = tr.gettext
    if place.status == "active":
        text = _("A case worker is already in this chat with you.")
    else:
        text = _("I have asked a case worker to take over this chat. You are number {position} in the queue; "
                 "the expected wait is about {minutes} minutes. You can keep asking me while you wait.",
                 position=tr.isolate(str(place.position)), minutes=tr.isolate(str(place.expected_minutes)))
    card = {"type": "live_chat", "language": tr.language, "chat_id": place.chat_id, "status": place.status,
            "position": place.position, "expected_minutes": place.expected_minutes, "text": text, "replaces_text": True}
    return [Reply(text=text), Reply(custom=card)]


def no_chat_text(tr: Translator, office_open: bool) -> str:
    """Why there is no live chat now (the contact card beside it gives the phone and its hours)."""
    _ = tr.gettext
    return _("No case worker is free to chat right now.") if office_open else _("The office is closed now, so no case worker can chat.")


def consent_reply(tr: Translator, office: ContactView, retention_days: int) -> Reply:
    _ = tr.gettext
    name = tr.isolate(office.name)
    lines = [
        _("A case worker at {office} can call you back, with an interpreter if you need one.", office=name),
        "• " + _("What I ask for: your name, your phone number, a good time to call, whether you want an interpreter, and what it is about in your own words."),
        "• " + _("Who receives it: the case workers at {office}.", office=name),
        "• " + _("How long it is kept: here in Veiviser for {days} days, encrypted, and then deleted.", days=tr.isolate(str(retention_days))),
        "• " + _("Nothing is sent before you have seen a summary and confirmed it. You can stop at any time."),
        _("Do you want to be called back?"),
    ]
    return Reply(text="\n".join(lines), buttons=[button(_("Yes, call me back"), "affirm", step=CONSENT_STEP),
                                                  button(_("No"), "deny", step=CONSENT_STEP)])


def start_text(tr: Translator) -> str:
    return tr.gettext("Thank you. I will ask one thing at a time. You can write \"cancel\" to stop.")


def question_reply(tr: Translator, step: str, office: ContactView, language: str, problem: str | None = None,
                   intro: str | None = None) -> Reply:
    _ = tr.gettext
    parts = [intro] if intro else []
    if problem:
        parts.append(problem_text(tr, problem))
    values = {"hours": describe_hours(office.hours, tr.language)} if step == TIME_STEP else {}
    if step == INTERPRETER_STEP:
        values = {"language": tr.isolate(language_name(language, tr.language))}
    parts.append(_(QUESTIONS[step], **values))
    buttons = []
    if step == TIME_STEP:
        buttons = [{"title": _(title), "payload": _(title)} for title in TIMES.values()]
    elif step == INTERPRETER_STEP:
        buttons = [button(_("Yes"), "affirm", step=step), button(_("No"), "deny", step=step)]
    buttons.append(button(_("Cancel the request"), "stop", step=step))
    return Reply(text="\n\n".join(parts), buttons=buttons)


def shown(tr: Translator, step: str, value: Any, language: str) -> str:
    """An answer as the review shows it."""
    _ = tr.gettext
    if step == TIME_STEP:
        return _(TIMES[value]) if value in TIMES else str(value)
    if step == INTERPRETER_STEP:
        return _("Yes, in {language}", language=tr.isolate(language_name(language, tr.language))) if value else _("No")
    return tr.isolate(str(value)) if step == PHONE_STEP else str(value)


def review_reply(tr: Translator, answers: dict[str, Any], steps: tuple[str, ...], language: str, office: ContactView) -> list[Reply]:
    """The summary as text and as the ``application_review`` card the widget already shows as a list."""
    _ = tr.gettext
    heading = _("Please check the request before it is sent to {office}:", office=tr.isolate(office.name))
    fields = [{"number": number, "label": _(LABELS[step]), "value": shown(tr, step, answers.get(step), language)}
              for number, step in enumerate(steps, start=1)]
    lines = [heading, "", *(f"{f['number']}. {f['label']}: {f['value']}" for f in fields), "", _("Is everything right?")]
    card = {"type": "application_review", "language": tr.language, "title": heading, "fields": fields,
            "question": _("Is everything right?"), "replaces_text": True}
    return [Reply(text="\n".join(lines), buttons=review_buttons(tr)), Reply(custom=card)]


def review_buttons(tr: Translator) -> list[dict[str, str]]:
    _ = tr.gettext
    return [button(_("Send the request"), "affirm", step=REVIEW_STEP), button(_("Change something"), "deny", step=REVIEW_STEP),
            button(_("Cancel the request"), "stop", step=REVIEW_STEP)]


def review_problem_reply(tr: Translator) -> Reply:
    return Reply(text=tr.gettext("Please tap \"Send the request\", \"Change something\" or \"Cancel the request\"."),
                 buttons=review_buttons(tr))


def change_menu_reply(tr: Translator, steps: tuple[str, ...]) -> Reply:
    _ = tr.gettext
    lines = [_("What do you want to change? Write the number, or tap it.")]
    lines += [f"{number}. {_(LABELS[step])}" for number, step in enumerate(steps, start=1)]
    buttons = [{"title": f"{number}. {_(LABELS[step])}", "payload": str(number)} for number, step in enumerate(steps, start=1)]
    return Reply(text="\n".join(lines), buttons=buttons)


def refused_reply(tr: Translator, office: ContactView) -> Reply:
    return Reply(text=tr.gettext("All right. Nothing has been saved.") + " " + phone_line(tr, office),
                 buttons=[button(tr.gettext("Call us"), "ask_contact")])


def cancelled_reply(tr: Translator) -> Reply:
    return Reply(text=tr.gettext("The request is cancelled. Nothing has been saved or sent."),
                 buttons=[button(tr.gettext("Which services are there?"), "ask_services_overview")])


def not_sent_reply(tr: Translator, office: ContactView) -> Reply:
    _ = tr.gettext
    return Reply(text=_("Your request has NOT been sent: I could not save it just now. Your answers are kept. "
                        "Please tap \"Try again\" in a little while, or call:") + " " + phone_line(tr, office),
                 buttons=[button(_("Try again"), "human_handoff"), button(_("Call us"), "ask_contact")])


def receipt_reply(tr: Translator, reference: str, phone: str, interpreter: str | None, office: ContactView) -> Reply:
    """Stored; the outbox takes it to the office. Says who will call, on which number (its last
    digits: the full number left the screen with the review), and with which interpreter."""
    _ = tr.gettext
    digits, ref = tr.isolate("".join(ch for ch in phone if ch.isdigit())[-3:]), tr.isolate(reference)
    if interpreter:
        call = _("A case worker will call you on the number ending in {digits}, with an interpreter in {language}.",
                 digits=digits, language=tr.isolate(language_name(interpreter, tr.language)))
    else:
        call = _("A case worker will call you on the number ending in {digits}.", digits=digits)
    lines = [_("Thank you! Your request is received, with reference number {reference}.", reference=ref), call,
             _("The office calls on weekdays, {hours}, and not on public holidays.", hours=describe_hours(office.hours, tr.language)),
             _("For your privacy, I have removed the personal details from this chat.")]
    return Reply(text="\n\n".join(lines))


def person_button(tr: Translator, can_chat: bool) -> dict[str, str]:
    """The offer of a person: a chat now when one can be had, else a call back."""
    return button(tr.gettext("Chat with a case worker") if can_chat else tr.gettext("Ask to be called back"), "human_handoff")


def offer_text(tr: Translator, can_chat: bool) -> str:
    _ = tr.gettext
    return (_("Would you like to chat with a case worker? One is available now.") if can_chat
            else _("Would you like a case worker to call you back, with an interpreter if you need one?"))
