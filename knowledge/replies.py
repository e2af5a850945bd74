"""Replies as channel-neutral messages: plain text, quick-reply buttons and custom payloads.

Actions choose *what* to answer; this module says it in the conversation's language, with the
payloads the contracts in DESIGN.md promise (service cards, contact cards). All fixed words come
from the gettext catalogs; all facts come from the knowledge base.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from knowledge.aspects import ASPECT_FIELDS, CARD_NAME, INTENT_OF_ASPECT
from knowledge.i18n import Translator
from knowledge.i18n import mark as _
from knowledge.languages import ANSWER_LANGUAGES, NATIVE_NAMES
from knowledge.phone_hours import describe_hours, describe_moment, is_open, next_opening
from knowledge.queries import ContactView, ServiceView

#: Which part of a service an intent asks about.
ASPECTS = tuple(ASPECT_FIELDS)


@dataclass
class Reply:
    """One bot message. ``custom`` is sent as its own message by Rasa's REST channel."""

    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None


def format_phone(phone: str) -> str:
    """Norwegian eight-digit numbers are written in pairs: 94 83 72 85."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 8:
        return " ".join(digits[i:i + 2] for i in range(0, 8, 2))
    return phone


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    if entities:
        pairs = ", ".join(f'"{name}": "{value}"' for name, value in entities.items())
        return {"title": title, "payload": f"/{intent}{{{pairs}}}"}
    return {"title": title, "payload": f"/{intent}"}


#: Which texts each kind of answer shows, so it can cite the sources of exactly those.


def source_label(source) -> str:
    """"Document title, section; law" as one citation."""
    return "; ".join(part for part in (f"{source.title}, {source.section}", source.law) if part)


def _sources_line(tr: Translator, view: ServiceView, shown: tuple[str, ...]) -> str:
    """Every source of the texts ``shown``, as on the card."""
    cited = list(dict.fromkeys(tr.isolate(source_label(s)) for s in view.sources_of(shown)))
    return tr.gettext("Source: {sources}", sources=" · ".join(cited))


def _card_sources(view: ServiceView, shown: tuple[str, ...]) -> list[dict[str, Any]]:
    """The sources of the texts ``shown``, for a card's ``sources``."""
    return [{"title": s.title, "document": s.document, "section": s.section, "law": s.law} for s in view.sources_of(shown)]


def service_actions(tr: Translator, service: ServiceView) -> list[dict[str, str]]:
    """Next steps offered with every service answer: check, apply, call."""
    _ = tr.gettext
    return [
        button(_("Can we get it?"), "ask_eligibility", service=service.key),
        button(_("How do we apply?"), "apply", service=service.key),
        button(_("Call us"), "ask_contact"),
    ]


def service_card(tr: Translator, service: ServiceView, aspect: str = "about") -> dict[str, Any]:
    """The card for an answer about ``aspect``: its sources are those of the texts that answer shows."""
    return {
        "type": "service_card",
        "service": service.key,
        "aspect": CARD_NAME.get(aspect, aspect),
        "language": tr.language,
        "title": service.title,
        "summary": service.summary,
        "translation_status": service.translation_status,
        "sources": _card_sources(service, ASPECT_FIELDS[aspect]),
        "actions": service_actions(tr, service),
    }


def service_answer(tr: Translator, service: ServiceView, aspect: str, contact: ContactView | None,
                   deciding_office: str | None = None) -> list[Reply]:
    """The answer about one service: the asked-for part, its source and a next step.
    ``contact`` gives the phone line; ``deciding_office`` (the service's routing) who assesses."""
    _ = tr.gettext
    guidance = (_("This is general guidance. {office} assesses each application.", office=tr.isolate(deciding_office))
                if deciding_office else _("This is general guidance, not a decision."))
    body = {
        "about": [service.summary, service.description],
        "eligibility": [service.summary, service.who_for, guidance],
        "apply": [service.how_to_apply],
        "cost": [service.cost],
        "decides": [service.decided_by],
        "after_applying": [service.after_applying],
        "appeal": [service.appeal],
    }[aspect]
    heading = {
        "about": service.title,
        "eligibility": _("{service}: who can get it", service=service.title),
        "apply": _("{service}: how to apply", service=service.title),
        "cost": _("{service}: cost", service=service.title),
        "decides": _("{service}: who decides", service=service.title),
        "after_applying": _("{service}: after you apply", service=service.title),
        "appeal": _("{service}: how to appeal", service=service.title),
    }[aspect]
    body = [paragraph for paragraph in body if paragraph]
    call = (_("Questions? Call {phone} ({hours}).", phone=tr.isolate(format_phone(contact.phone)),
              hours=describe_hours(contact.hours, tr.language)) if contact and contact.phone else None)
    lines = [heading, *body, _sources_line(tr, service, ASPECT_FIELDS[aspect]), call]
    buttons = [b for b in service_actions(tr, service) if not _repeats(b, aspect)]
    # One answer, one message: the card carries the heading, the asked part and the phone line, and
    # replaces the plain text (kept for channels without cards), whose buttons the widget moves onto it.
    card = {**service_card(tr, service, aspect), "heading": heading, "text": "\n\n".join(body), "call": call,
            "replaces_text": True}
    return [Reply(text="\n\n".join(line for line in lines if line), buttons=buttons), Reply(custom=card)]


def signpost_answer(tr: Translator, signpost: ServiceView, aspect: str, contact: ContactView | None) -> list[Reply]:
    """What another body handles (NAV, PPT, the hospital, the GP, emergencies): what it is, who
    handles it and how to reach them, with the sources of that text. Never a service card."""
    _ = tr.gettext
    # After applying or appealing, another body's decision is that body's business: who handles it and how to reach them.
    shown = {"apply": ("how_to_apply",), "decides": ("decided_by",), "after_applying": ("decided_by", "how_to_apply"),
             "appeal": ("decided_by", "how_to_apply")}.get(aspect, ("summary", "description", "how_to_apply"))
    body = [getattr(signpost, field) for field in shown if getattr(signpost, field)]
    lines = [signpost.title, *body, _sources_line(tr, signpost, shown)]
    card = {
        "type": "signpost",
        "signpost": signpost.key,
        "language": tr.language,
        "title": signpost.title,
        "summary": signpost.summary,
        "handled_by": signpost.decided_by,
        "how_to_reach": signpost.how_to_apply,
        "contact": ({"name": contact.name, "phone": contact.phone, "email": contact.email} if contact else None),
        "translation_status": signpost.translation_status,
        "sources": _card_sources(signpost, shown),
    }
    buttons = [button(_("Which services are there?"), "ask_services_overview"), button(_("Call us"), "ask_contact")]
    return [Reply(text="\n\n".join(lines), buttons=buttons), Reply(custom=card)]


def _repeats(button: dict[str, str], aspect: str) -> bool:
    return (aspect == "eligibility" and button["payload"].startswith("/ask_eligibility")) or (
        aspect == "apply" and button["payload"].startswith("/apply")
    )


def next_step_text(tr: Translator, service: ServiceView, contact: ContactView, helpline: ContactView) -> str:
    """Where the family goes next, from the service's routing: apply to the office Veiviser's form
    goes to, contact the service's own contact point directly, or (no application) what the
    service's own text says. ``helpline`` is the phone for talking it over."""
    _ = tr.gettext
    if service.apply_route == "ke_application":
        if helpline.phone:
            return _("Next step: apply to {office}. If you would like to talk it over first, call {phone}.",
                     office=tr.isolate(contact.name), phone=tr.isolate(format_phone(helpline.phone)))
        return _("Next step: apply to {office}.", office=tr.isolate(contact.name))
    if service.apply_route == "contact":
        return _("Next step: contact {office} directly.", office=tr.isolate(contact.name))
    return _("Next step: {how}", how=service.how_to_apply)


def contact_answer(tr: Translator, contact: ContactView, now: datetime | None = None) -> list[Reply]:
    """Phone, hours, whether the phone is open now, e-mail, HelsaMi and addresses: one card (its
    plain-text twin is for channels without cards)."""
    _ = tr.gettext
    hours = describe_hours(contact.hours, tr.language)
    open_now = is_open(contact.hours, now)
    phone, status = [], None
    if contact.phone:
        if open_now:
            status = _("The phone is open now.")
        else:
            upcoming = next_opening(contact.hours, now)
            status = (_("The phone is closed now. It opens again {when}.", when=describe_moment(upcoming, tr.language))
                      if upcoming else _("The phone is closed now."))
        phone = [_("Phone: {phone}", phone=tr.isolate(format_phone(contact.phone))),
                 _("Phone hours: {hours} (not on public holidays).", hours=hours), status]
    email = [_("E-mail: {email}", email=tr.isolate(contact.email))] if contact.email else []
    details = []
    if contact.digital_channel:  # the brochure lists HelsaMi as a way to reach the office and to send applications
        details.append(_("You can also reach the office through {channel}, where applications can be sent too.",
                         channel=tr.isolate(contact.digital_channel)))
    if contact.postal_address:
        details.append(_("Postal address: {address}", address=tr.isolate(contact.postal_address)))
    if contact.visiting_address:
        visiting = _("Visiting address: {address}", address=tr.isolate(contact.visiting_address))
        if contact.by_appointment_only:
            visiting += " " + _("Visits by appointment only.")
        details.append(visiting)
    source = _("Source: {sources}", sources=tr.isolate(contact.source.title))
    lines = [contact.name, contact.role, *phone, *email, *details, source]
    card = {
        "type": "contact",
        "language": tr.language,
        "name": contact.name,
        "phone": contact.phone,
        "email": contact.email,
        "hours": hours,
        "open_now": open_now,
        "digital_channel": contact.digital_channel,
        "visiting_address": contact.visiting_address,
        "by_appointment_only": contact.by_appointment_only,
        # One answer, one message: what the card shows besides its fields, in the conversation's language.
        "role": contact.role,
        "status": status,
        "details": details,
        "source": source,
        "replaces_text": True,
    }
    return [Reply(text="\n\n".join(line for line in lines if line)), Reply(custom=card)]


def phone_line(tr: Translator, contact: ContactView) -> str:
    return tr.gettext("You can call {office} on {phone}, {hours}.", office=tr.isolate(contact.name),
                      phone=tr.isolate(format_phone(contact.phone or "")), hours=describe_hours(contact.hours, tr.language))


def fallback_answer(tr: Translator, contact: ContactView, reason: str = "not_understood") -> list[Reply]:
    """Ask to rephrase and offer a human; never a service card."""
    _ = tr.gettext
    opening = {
        "not_understood": _("Sorry, I did not understand that. Could you ask in another way, with a few words about what you need?"),
        "out_of_scope": _("Sorry, I can only help with the municipality's services for families of children with disabilities. Could you ask about that in another way?"),
        "empty": _("Your message was empty. What would you like to know?"),
        "no_text": _("I can only read text. What would you like to know?"),
    }[reason]
    lines = [opening, _("If you would rather talk to a person:") + " " + phone_line(tr, contact)]
    buttons = [button(_("Which services are there?"), "ask_services_overview"), button(_("Talk to a person"), "human_handoff")]
    return [Reply(text="\n\n".join(lines), buttons=buttons)]


def suggestions_answer(tr: Translator, services: list[ServiceView], contact: ContactView) -> list[Reply]:
    """Not sure which service a message is about: the likeliest ones as buttons, the walk-through
    and a person, instead of a refusal (DESIGN.md: the ``suggestions`` payload)."""
    _ = tr.gettext
    lines = [_("I am not sure which service fits best. Is it one of these?"),
             _("You can also answer a few short questions to find out what your family may get, or talk to a person.")
             + " " + phone_line(tr, contact)]
    buttons = [button(service.title, "ask_service", service=service.key) for service in services]
    buttons += [button(_("What can we get?"), "ask_what_we_can_get"), button(_("Talk to a person"), "human_handoff")]
    card = {"type": "suggestions", "language": tr.language, "services": [service.key for service in services]}
    return [Reply(text="\n\n".join(lines), buttons=buttons), Reply(custom=card)]


def add_note(messages: list[Reply], note: str, at_start: bool = False) -> None:
    """A note on an answer (the form is paused, the message was long, another office) joins its
    plain text and, when a card replaces that text, the card too (``lead`` before, ``notes`` after)."""
    for index, message in enumerate(messages):
        if message.custom is None and message.text:
            message.text = f"{note}\n\n{message.text}" if at_start else f"{message.text}\n\n{note}"
            following = messages[index + 1] if index + 1 < len(messages) else None
            if following is not None and following.custom and following.custom.get("replaces_text"):
                key = "lead" if at_start else "notes"
                following.custom[key] = [*following.custom.get(key, []), note]
            return


def long_message_note(tr: Translator) -> str:
    return tr.gettext("That was a long message. I answer best when you ask one short question at a time.")


def choose_service_answer(tr: Translator, services: list[ServiceView], aspect: str) -> list[Reply]:
    """When a follow-up names no service and none was discussed: ask which one."""
    _ = tr.gettext
    intent = INTENT_OF_ASPECT[aspect]
    buttons = [button(service.title, intent, service=service.key) for service in services]
    if aspect == "eligibility":  # a family that does not know the names can be walked through them
        buttons.insert(0, button(_("Not sure: find out what we can get"), "ask_what_we_can_get"))
    return [Reply(text=_("Which service do you mean?"), buttons=buttons)]


def unknown_service_answer(tr: Translator, services: list[ServiceView], contact: ContactView) -> list[Reply]:
    _ = tr.gettext
    names = "\n".join(f"• {service.title}" for service in services)
    text = "\n\n".join([_("I do not have information about that service. These are the services I can tell you about:"),
                        names, phone_line(tr, contact)])
    return [Reply(text=text, buttons=[button(s.title, "ask_service", service=s.key) for s in services[:6]])]


def overview_answer(tr: Translator, services: list[ServiceView], contact: ContactView) -> list[Reply]:
    """All services, each with its summary; a vague question often lands here, so the phone too."""
    _ = tr.gettext
    lines = [_("These are the services I can tell you about. Choose one, or ask in your own words:")]
    lines += [f"• {service.title}: {service.summary}" for service in services]
    lines += ["", _("Not sure which ones fit? I can find out with a few short questions."),
              "", _("If you would rather talk to a person:") + " " + phone_line(tr, contact)]
    buttons = [button(_("What can we get?"), "ask_what_we_can_get")] + [button(s.title, "ask_service", service=s.key) for s in services]
    return [Reply(text="\n".join(lines), buttons=buttons)]


def greeting_answer(tr: Translator) -> list[Reply]:
    _ = tr.gettext
    text = _("Hello! I am Veiviser, the municipality's guide to services for families of children with disabilities. "
             "Ask me about relief care, support contact, BPA and other services, who can get them and how to apply. "
             "My answers are guidance; the municipality decides on applications.")
    return [Reply(text=text, buttons=[button(_("Which services are there?"), "ask_services_overview"),
                                      button(_("Contact us"), "ask_contact")])]


#: Intents answered with a short social reply.
SMALL_TALK = ("greet", "goodbye", "thank", "affirm", "deny", "stop", "dont_know")


def small_talk_answer(tr: Translator, intent: str) -> list[Reply]:
    _ = tr.gettext
    if intent == "greet":
        return greeting_answer(tr)
    if intent == "dont_know":
        return [Reply(text=_("That is all right. I can find out what your family may be able to get with a few short questions, "
                             "or you can ask me about a service."),
                      buttons=[button(_("What can we get?"), "ask_what_we_can_get"),
                               button(_("Which services are there?"), "ask_services_overview")])]
    text = {
        "goodbye": _("Goodbye, and take care. You are welcome back any time."),
        "thank": _("You are welcome! Is there anything else I can help with?"),
        "affirm": _("Good. What would you like to know?"),
        "deny": _("All right. Is there anything else I can help with?"),
        "stop": _("All right. Is there anything else I can help with?"),
    }[intent]
    return [Reply(text=text)]


#: "I can also answer in …", said in the conversation's language (the offered language's own name is on the button).
OFFERS = {"ar": _("I can also answer in Arabic.")}


def offer_language(tr: Translator, messages: list[Reply], language: str) -> None:
    """Add "I can also answer in Arabic" and a button to switch to the first text message (for
    Arabic typed in Latin letters, answered in English); its own message when there is no text
    yet (a form's first question follows)."""
    offer, choice = tr.gettext(OFFERS[language]), button(NATIVE_NAMES[language], "change_language", language=language)
    for message in messages:
        if message.custom is None and message.text:
            message.text += "\n\n" + offer
            message.buttons = [*message.buttons, choice]
            return
    messages.append(Reply(text=offer, buttons=[choice]))


def language_changed_answer(tr: Translator) -> list[Reply]:
    return [Reply(text=tr.gettext("From now on I will answer in English."))]


def language_choice_answer() -> list[Reply]:
    """For a language we do not speak: say so in each of ours and offer them as buttons."""
    from knowledge.i18n import Translator as T

    lines = [T(lang).gettext("I can answer in Norwegian, English, Arabic and Tigrinya. Please choose a language.")
             for lang in ANSWER_LANGUAGES]
    buttons = [button(NATIVE_NAMES[lang], "change_language", language=lang) for lang in ANSWER_LANGUAGES]
    return [Reply(text="\n\n".join(lines), buttons=buttons)]


def unavailable_answer(tr: Translator, contact: ContactView) -> list[Reply]:
    """When the assistant (or its action server) cannot answer: say so and give the phone."""
    text = tr.gettext("Veiviser cannot answer right now. Please try again in a little while.") + " " + phone_line(tr, contact)
    return [Reply(text=text)]
