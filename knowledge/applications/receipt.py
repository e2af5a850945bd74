"""The family's receipt by e-mail, in their language: reference, services, when, what happens next
and how to reach the office; never the child's identity number or the description of the needs.

Sent through the same outbox as the application (channel ``receipt``), so it is retried like it,
and only when the family gave an e-mail address.
"""
from __future__ import annotations

from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from knowledge.applications.fields import NONE_ANSWER
from knowledge.applications.models import Application
from knowledge.config import Settings
from knowledge.i18n import translator
from knowledge.offline import MAIN_CONTACT
from knowledge.phone_hours import describe_hours
from knowledge.queries import get_contact, list_services
from knowledge.replies import format_phone

RECEIPT = "receipt"
OSLO = ZoneInfo("Europe/Oslo")


def wants_receipt(payload: dict) -> bool:
    """Only a family that gave an e-mail address gets one."""
    address = (payload.get("guardian") or {}).get("email") or ""
    return address != NONE_ANSWER and "@" in address


def receipt_mail(session: Session, application: Application, settings: Settings) -> EmailMessage:
    tr = translator(application.language)
    _ = tr.gettext
    office = get_contact(session, MAIN_CONTACT, tr.language)
    titles = {service.key: service.title for service in list_services(session, tr.language)}
    sent = application.submitted_at
    when = (sent if sent.tzinfo else sent.replace(tzinfo=OSLO)).astimezone(OSLO).strftime("%d.%m.%Y %H:%M")
    lines = [
        _("Thank you. Your application was sent to {office} on {when}. Your reference number is {reference}.",
          office=office.name, when=when, reference=application.reference),
        _("You applied for: {services}.", services=", ".join(titles.get(key, key) for key in application.services)),
        _("What happens next: you will get a preliminary reply that tells you when you will be contacted and how long the processing is expected to take."),
        _("Questions? Call {phone} ({hours}).", phone=format_phone(office.phone or ""), hours=describe_hours(office.hours, tr.language)),
        _("For your privacy, this e-mail does not contain your child's identity number or what you wrote about the needs. "
          "It is sent automatically; replies to it are not read."),
    ]
    message = EmailMessage()
    message["From"], message["To"] = settings.smtp_sender, application.payload["guardian"]["email"]
    message["Subject"] = _("Your application to {office} ({reference})", office=office.name, reference=application.reference)
    message["Message-ID"] = f"<{application.reference}.receipt@veiviser>"
    message.set_content("\n\n".join(lines))
    message["Content-Language"] = tr.language  # after set_content, which replaces the Content-* headers
    return message
