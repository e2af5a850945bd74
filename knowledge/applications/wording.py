"""How the application form speaks: consent, questions, explanations, the review and the receipt.

Fixed words are gettext ids translated from ``locales/``; office names and phone hours come from
the knowledge base. The consent text has a version, recorded with every decision.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from knowledge.applications.fields import (
    BY_NAME,
    CONSENT_STEP,
    DONT_KNOW_ANSWER,
    FIELD_NAMES,
    NONE_ANSWER,
    REVIEW_STEP,
    step_of,
)
from knowledge.applications.identity import masked_identity
from knowledge.i18n import Translator
from knowledge.i18n import mark as _
from knowledge.languages import NATIVE_NAMES
from knowledge.queries import ContactView
from knowledge.replies import Reply, button, phone_line

#: Change this when the consent text changes; each decision records the version it answered.
CONSENT_VERSION = "2026-11-23"


QUESTIONS = {
    "services": _("Which service or services do you want to apply for? Choose below, or write the name."),
    "guardian_name": _("What is your full name? (You are the parent or guardian who applies.)"),
    "guardian_phone": _("What phone number can the office reach you on?"),
    "guardian_email": _("What is your e-mail address? If you have none, write \"none\"."),
    "guardian_address": _("What is your home address (street, postcode and place)?"),
    "child_name": _("What is the child's full name?"),
    "child_birth_date": _("What is the child's date of birth? For example 15.03.2019."),
    "child_identity_number": _("What is the child's national identity number (fødselsnummer or D-number, 11 digits)?"),
    "need_description": _("In your own words, and in your own language: what does the child need help with, and what is hard for your family now?"),
    "current_services": _("Which services or help does the child have now? If none, write \"none\"."),
    "preferred_language": _("Which language should the office use when they contact you?"),
    "interpreter_needed": _("Do you need an interpreter when you talk with the office?"),
    "coordinator_wanted": _("Would you like a coordinator: one person who helps make the child's services work together?"),
}

LABELS = {
    "services": _("Services applied for"),
    "guardian_name": _("Your name"),
    "guardian_phone": _("Phone"),
    "guardian_email": _("E-mail"),
    "guardian_address": _("Address"),
    "child_name": _("Child's name"),
    "child_birth_date": _("Child's date of birth"),
    "child_identity_number": _("Child's national identity number"),
    "need_description": _("The child's needs, in your words"),
    "current_services": _("Services the child has now"),
    "preferred_language": _("Language for contact"),
    "interpreter_needed": _("Interpreter needed"),
    "coordinator_wanted": _("Coordinator wanted"),
}

PROBLEMS = {
    "services": _("Please choose a service from the buttons, or write its name, for example \"relief care\"."),
    "name": _("Please write the name with letters, for example \"Amira Haddad\"."),
    "phone": _("I could not read that as a phone number. Please write it with digits, for example 400 00 000 or +46 70 123 45 67."),
    "email": _("That does not look like an e-mail address (name@example.no). If you have none, write \"none\"."),
    "text": _("Please write a short answer (2 to 300 characters)."),
    "too_short": _("Please tell a little more: a sentence or two is enough."),
    "too_long": _("That is very long. Please keep it under 3000 characters; the office will ask for the details."),
    "date": _("I could not read that as a date. Please write day, month and year, for example 15.03.2019."),
    "date_range": _("That date does not look right for a child. Please check it, for example 15.03.2019."),
    "identity_length": _("A national identity number has 11 digits. Please check the number."),
    "identity_date": _("The first six digits of the number must be a date of birth. Please check the number."),
    "identity_control_digits": _("That number is not valid: the last two digits (the control digits) do not match. Please check for a typing error."),
    "identity_kind": _("That looks like a temporary or test number. Please give the child's fødselsnummer or D-number."),
    "identity_mismatch": _("The number does not match the date of birth you gave ({date}). Please check the number. If the date of birth was wrong, write the right date instead."),
    "language": _("Please write the language, for example \"Arabic\" or \"Norwegian\"."),
    "yes_no": _("Please answer yes or no, or tap a button."),
}


def consent_reply(tr: Translator, office: ContactView, retention_days: int) -> Reply:
    _ = tr.gettext
    name = tr.isolate(office.name)
    lines = [
        _("I can fill in the application with you and send it to {office}. First, please read this:", office=name),
        "• " + _("What I ask for: your name, phone, e-mail and address; the child's name, date of birth and national identity number; the services you apply for; the child's needs in your own words; the help the child has now; language and interpreter."),
        "• " + _("Why: so that {office} can handle your application for health and care services for your child.", office=name),
        "• " + _("Who receives it: the case workers at {office}.", office=name),
        "• " + _("How long it is kept: here in Veiviser for {days} days, encrypted, and then deleted. The office keeps the application in its case records.",
                  days=tr.isolate(str(retention_days))),
        "• " + _("Nothing is saved or sent before you have seen a summary and confirmed it. You can stop at any time."),
        _("Do you agree?"),
    ]
    return Reply(text="\n".join(lines), buttons=[button(_("Yes, I agree"), "affirm", step=CONSENT_STEP),
                                                  button(_("No"), "deny", step=CONSENT_STEP)])


def refused_reply(tr: Translator, office: ContactView) -> Reply:
    return Reply(text=tr.gettext("All right. Nothing has been saved. You can also apply through HelsaMi or with the form on the municipality's website, or call:")
                 + " " + phone_line(tr, office), buttons=[button(tr.gettext("Call us"), "ask_contact")])


def field_buttons(tr: Translator, field: str, service_choices: list[tuple[str, str]] = ()) -> list[dict[str, str]]:
    _ = tr.gettext
    if field == "services":
        buttons = [{"title": title, "payload": title} for _key, title in service_choices]
    elif field == "preferred_language":
        buttons = [{"title": title, "payload": code} for code, title in NATIVE_NAMES.items()]
    elif field in ("interpreter_needed", "coordinator_wanted"):
        buttons = [button(_("Yes"), "affirm", step=step_of(field)), button(_("No"), "deny", step=step_of(field))]
        if BY_NAME[field].optional:
            buttons.append(button(_("Don't know"), "dont_know", step=step_of(field)))
    else:
        buttons = []
    return buttons + [button(_("Cancel the application"), "stop", step=step_of(field))]


def question_reply(tr: Translator, field: str, intro: str | None = None, problem: str | None = None,
                   service_choices: list[tuple[str, str]] = (), values: dict[str, Any] | None = None) -> Reply:
    parts = [intro] if intro else []
    if problem:
        parts.append(tr.gettext(PROBLEMS[problem], **(values or {})))
    parts.append(tr.gettext(QUESTIONS[field]))
    return Reply(text="\n\n".join(parts), buttons=field_buttons(tr, field, service_choices))


def start_text(tr: Translator) -> str:
    return tr.gettext("Thank you. I will ask one thing at a time. You can write \"cancel\" to stop, and change any answer before you send.")


def _shown(tr: Translator, field: str, value: Any, service_titles: dict[str, str]) -> str:
    _ = tr.gettext
    if field == "services":
        return ", ".join(service_titles.get(key, key) for key in value or [])
    if value in ("", None, NONE_ANSWER):
        return _("none")
    if value == DONT_KNOW_ANSWER:
        return _("don't know")
    if value is True or value is False:
        return _("yes") if value else _("no")
    if field == "child_birth_date":
        return tr.isolate(date.fromisoformat(value).strftime("%d.%m.%Y"))
    if field == "preferred_language":
        return NATIVE_NAMES.get(value, value)
    if field == "child_identity_number":  # the date and the control digits: enough to check, not enough to use
        return tr.isolate(masked_identity(str(value)))
    return tr.isolate(str(value)) if field in ("guardian_phone", "guardian_email") else str(value)


REVIEW_FIELDS = ("services", *FIELD_NAMES)


def review_reply(tr: Translator, filled: dict[str, Any], service_titles: dict[str, str], office: ContactView) -> list[Reply]:
    """The summary as text (for any channel) and as an ``application_review`` card the widget shows
    as a list; ``replaces_text`` tells a widget that renders the card it may leave out the text."""
    _ = tr.gettext
    heading = _("Please check the application before it is sent to {office}:", office=tr.isolate(office.name))
    fields = [{"number": number, "label": _(LABELS[field]), "value": _shown(tr, field, filled.get(field), service_titles)}
              for number, field in enumerate(REVIEW_FIELDS, start=1)]
    lines = [heading, "", *(f"{f['number']}. {f['label']}: {f['value']}" for f in fields), "", _("Is everything right?")]
    buttons = review_buttons(tr)
    card = {"type": "application_review", "language": tr.language, "title": heading, "fields": fields,
            "question": _("Is everything right?"), "replaces_text": True}
    return [Reply(text="\n".join(lines), buttons=buttons), Reply(custom=card)]


def change_menu_reply(tr: Translator) -> Reply:
    _ = tr.gettext
    lines = [_("What do you want to change? Write the number, or tap it.")]
    lines += [f"{number}. {_(LABELS[field])}" for number, field in enumerate(REVIEW_FIELDS, start=1)]
    buttons = [{"title": f"{number}. {_(LABELS[field])}", "payload": str(number)} for number, field in enumerate(REVIEW_FIELDS, start=1)]
    return Reply(text="\n".join(lines), buttons=buttons)


def review_problem_reply(tr: Translator) -> Reply:
    _ = tr.gettext
    return Reply(text=_("Please tap \"Send the application\", \"Change something\" or \"Cancel the application\"."),
                 buttons=review_buttons(tr))


def review_buttons(tr: Translator) -> list[dict[str, str]]:
    """Only these send: a tapped "Send" must carry the review's step, so no older "Yes" can."""
    _ = tr.gettext
    return [button(_("Send the application"), "affirm", step=REVIEW_STEP), button(_("Change something"), "deny", step=REVIEW_STEP),
            button(_("Cancel the application"), "stop", step=REVIEW_STEP)]


def personal_data_removed(tr: Translator) -> Reply:
    """Tells a widget to replace the form's answers and summary on screen and in the browser's
    storage with a placeholder, so "I have removed the personal details" is true there too."""
    return Reply(custom={"type": "personal_data_removed", "language": tr.language,
                         "placeholder": tr.gettext("(removed for your privacy)")})


def cancelled_reply(tr: Translator) -> Reply:
    return Reply(text=tr.gettext("The application is cancelled. Nothing has been saved or sent."),
                 buttons=[button(tr.gettext("Which services are there?"), "ask_services_overview")])


def not_sent_reply(tr: Translator, office: ContactView) -> Reply:
    """The application could not be stored: it was not sent, nothing is lost, and how to try again
    (the button opens the review again, with every answer)."""
    _ = tr.gettext
    return Reply(text=_("Your application has NOT been sent: I could not save it just now. Your answers are kept. "
                        "Please tap \"Try again\" in a little while, or call:") + " " + phone_line(tr, office),
                 buttons=[button(_("Try again"), "apply"), button(_("Call us"), "ask_contact")])


def receipt_reply(tr: Translator, reference: str, office: ContactView, emailed: bool = False) -> Reply:
    """The application is stored; the outbox sends it to the office (and retries until it is
    there), so this says it is on its way, not that the office has it."""
    _ = tr.gettext
    name, ref = tr.isolate(office.name), tr.isolate(reference)
    first = _("Thank you! Your application is received, with reference number {reference}. It is on its way to {office}; "
              "you do not need to do anything more.", office=name, reference=ref)
    lines = [first,
             _("What happens next: you will get a preliminary reply that tells you when you will be contacted and how long the processing is expected to take."),
             _("Questions?") + " " + phone_line(tr, office),
             *([_("A receipt is on its way to your e-mail address.")] if emailed else []),
             _("For your privacy, I have removed the personal details from this chat.")]
    return Reply(text="\n\n".join(lines), buttons=[button(_("Call us"), "ask_contact")])
