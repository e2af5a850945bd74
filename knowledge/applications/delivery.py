"""Delivering applications to the coordinating unit through the outbox.

Each outbox row is one application on one channel. ``deliver_due`` sends what is due; a failure
is recorded (error type only, never personal data) and retried later with a growing pause, so an
application is never lost. Deliveries are idempotent: the folder inbox skips a reference it
already has, and e-mails carry a Message-ID made from the idempotency key, so the receiving side
can drop a duplicate if a retry follows a send whose confirmation was lost.
"""
from __future__ import annotations

import logging
import os
import shutil
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from knowledge.applications.document import render_json, render_pdf
from knowledge.applications.models import Application, OutboxMessage
from knowledge.applications.receipt import RECEIPT, receipt_mail
from knowledge.config import Settings

logger = logging.getLogger(__name__)
MAX_PAUSE = timedelta(hours=1)
#: How long a claimed row is left to the process that claimed it (a delivery takes seconds; SMTP
#: gives up after 15 s); if that process dies, another delivers the row after this.
CLAIM = timedelta(minutes=5)


@dataclass(frozen=True)
class Parcel:
    reference: str
    idempotency_key: str
    pdf: bytes
    json: bytes
    kind: str = "application"


class Channel(Protocol):
    name: str

    def deliver(self, parcel: Parcel) -> None:
        """Deliver, or raise; delivering the same parcel twice must not make two applications."""


class FolderInbox:
    """A local folder the coordinating unit reads: one folder per application, written atomically."""

    name = "folder"

    def __init__(self, path: Path):
        self.path = path

    def deliver(self, parcel: Parcel) -> None:
        final = self.path / parcel.reference
        if final.exists():
            return  # delivered before (a retry after a crash): nothing to do
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=self.path))  # mkdtemp: 0700, only this account
        try:
            for name, data in ((f"{parcel.reference}.pdf", parcel.pdf), (f"{parcel.reference}.json", parcel.json)):
                _write_private(staging / name, data)
            os.replace(staging, final)  # the folder appears complete or not at all
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def _write_private(path: Path, data: bytes) -> None:
    """A file only the service's own account can read (an application's PDF and JSON hold health
    information about a child)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


class SmtpInbox:
    """E-mail to the coordinating unit's inbox; the subject and body hold no personal data."""

    name = "smtp"

    def __init__(self, settings: Settings):
        self.settings = settings

    def message(self, parcel: Parcel) -> EmailMessage:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"] = s.smtp_sender, s.smtp_recipient
        what = "Tilbakeringing" if parcel.kind == "callback" else "Søknad"
        message["Subject"] = f"{what} {parcel.reference} fra Veiviser"
        message["Message-ID"] = f"<{parcel.idempotency_key.replace(':', '.')}@veiviser>"
        if parcel.kind == "callback":
            message.set_content(f"En familie ber om å bli ringt opp (referanse {parcel.reference}).\n"
                                "Navn, telefon, tidspunkt, tolk og tema ligger ved som PDF og JSON. "
                                "Den står også i køen «Tilbakeringinger» i Veiviser for ansatte.\n")
        else:
            message.set_content(f"Ny søknad fra Veiviser med referanse {parcel.reference}.\n"
                                "Søknaden ligger ved som PDF, og som JSON for saksbehandlingssystemet.\n")
        message.add_attachment(parcel.pdf, maintype="application", subtype="pdf", filename=f"{parcel.reference}.pdf")
        message.add_attachment(parcel.json, maintype="application", subtype="json", filename=f"{parcel.reference}.json")
        return message

    def deliver(self, parcel: Parcel) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=15) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user and s.smtp_password:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(self.message(parcel))


class FamilyReceipt:
    """The family's receipt: by SMTP when applications go by SMTP, else written to a folder (a
    development mail drop). Idempotent: the Message-ID is the reference's, and a written file is kept."""

    name = RECEIPT

    def __init__(self, settings: Settings):
        self.settings = settings

    def deliver_mail(self, message: EmailMessage, reference: str) -> None:
        s = self.settings
        if s.delivery != "smtp":
            s.receipt_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            final = s.receipt_dir / f"{reference}.eml"
            if not final.exists():
                staging = final.with_suffix(".tmp")
                _write_private(staging, bytes(message))
                os.replace(staging, final)
            return
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=15) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user and s.smtp_password:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(message)


def channels_for(settings: Settings) -> dict[str, Channel]:
    return {"folder": FolderInbox(settings.ke_inbox_dir), "smtp": SmtpInbox(settings), RECEIPT: FamilyReceipt(settings)}


def pause_after(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes between tries, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_PAUSE)


def document_of(application: Application) -> dict:
    """The dictionary the PDF and JSON are made from: the stored payload plus the record's own fields."""
    return {**application.payload, "reference": application.reference, "language": application.language,
            "submitted_at": application.submitted_at.isoformat()}


def claim_due(session: Session, now: datetime, application_id: int | None = None, limit: int = 50) -> list[int]:
    """Take the outbox rows that are due, for this process alone.

    Several web processes run this loop. On PostgreSQL, rows another process is taking are skipped
    (``FOR UPDATE SKIP LOCKED``); on both databases a row is taken only if its due time is still the
    one just read (compare and set), and taking it moves that time ``CLAIM`` ahead. So one row is
    delivered by one process, and a process that dies while delivering leaves its rows to another.
    """
    query = (select(OutboxMessage.id, OutboxMessage.next_attempt_at)
             .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now))
    if application_id is not None:
        query = query.where(OutboxMessage.application_id == application_id)
    due = session.execute(query.order_by(OutboxMessage.next_attempt_at).limit(limit).with_for_update(skip_locked=True)).all()
    claimed = []
    for row_id, due_at in due:
        taken = session.execute(update(OutboxMessage)
                                .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending",
                                       OutboxMessage.next_attempt_at == due_at)
                                .values(next_attempt_at=now + CLAIM).execution_options(synchronize_session=False))
        if taken.rowcount == 1:
            claimed.append(row_id)
    session.commit()
    return claimed


def deliver_due(session: Session, settings: Settings, now: datetime | None = None,
                channels: dict[str, Channel] | None = None, application_id: int | None = None) -> dict[str, int]:
    """Deliver every outbox row that is due (or just one application's) and this process could
    claim; returns how many were sent or failed."""
    now = now or datetime.now(timezone.utc)
    channels = channels or channels_for(settings)
    claimed = claim_due(session, now, application_id)
    counts = {"sent": 0, "failed": 0}
    for message in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)).all():
        application = message.application
        message.attempts += 1
        try:
            if message.channel == RECEIPT:
                channels[RECEIPT].deliver_mail(receipt_mail(session, application, settings), application.reference)
            else:
                document = document_of(application)
                channels[message.channel].deliver(Parcel(application.reference, message.idempotency_key,
                                                         render_pdf(document, settings), render_json(document),
                                                         application.kind or "application"))
        except Exception as error:  # noqa: BLE001 - any failure keeps the application in the outbox
            message.next_attempt_at = now + pause_after(message.attempts)
            message.last_error = f"{type(error).__name__}"[:200]
            counts["failed"] += 1
            logger.warning("delivery failed: outbox=%s channel=%s attempt=%d error=%s", message.id, message.channel,
                           message.attempts, type(error).__name__)
        else:
            message.status, message.sent_at, message.last_error = "sent", now, None
            if all(m.status == "sent" for m in application.outbox if m.channel != RECEIPT):  # the office has it
                application.status, application.delivered_at = "delivered", now
            counts["sent"] += 1
            logger.info("delivered: outbox=%s channel=%s attempt=%d", message.id, message.channel, message.attempts)
        session.commit()
    return counts
