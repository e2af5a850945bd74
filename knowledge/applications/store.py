"""Storing consent decisions and applications, and deleting them when their time is up.

An application is stored only with a granted consent, gets a reference the family can quote
(no personal data in it), and one outbox row per delivery channel, so delivery can fail and be
retried without the application being lost. ``purge_expired`` is the retention job.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from knowledge.applications.models import Application, Consent, OutboxMessage
from knowledge.applications.receipt import RECEIPT, wants_receipt
from knowledge.config import Settings

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to read out on the phone


class ConsentMissing(PermissionError):
    """An application without a granted consent is never stored."""


def conversation_key(sender_id: str) -> str:
    """The chat's sender id is not stored as such; its hash links a consent to its conversation."""
    return hashlib.sha256(sender_id.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def record_consent(session: Session, sender_id: str, granted: bool, language: str, text_version: str,
                   settings: Settings, now: datetime | None = None) -> Consent:
    now = _now(now)
    consent = Consent(conversation=conversation_key(sender_id), granted=granted, language=language,
                      text_version=text_version, decided_at=now,
                      delete_after=now + timedelta(days=settings.retention_days))
    session.add(consent)
    session.flush()
    return consent


def new_reference(now: datetime | None = None) -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"VV-{_now(now):%Y}-{code}"


@dataclass(frozen=True)
class StoredApplication:
    id: int
    reference: str
    language: str
    services: list[str]
    submitted_at: datetime
    payload: dict[str, Any]


def submit_application(session: Session, consent: Consent, payload: dict[str, Any], services: list[str], language: str,
                       settings: Settings, now: datetime | None = None, sender_id: str | None = None,
                       kind: str = "application") -> Application:
    """Store the application (personal data encrypted) with its outbox rows; nothing is sent here.
    With ``sender_id``, the consent must have been given in that conversation, not another. A
    ``callback`` request goes the same way and starts as "new" in the office's queue."""
    if consent is None or not consent.granted:
        raise ConsentMissing("an application needs a granted consent")
    if sender_id is not None and consent.conversation != conversation_key(sender_id):
        raise ConsentMissing("the consent was given in another conversation")
    now = _now(now)
    reference = new_reference(now)
    while session.query(Application.id).filter_by(reference=reference).first():
        reference = new_reference(now)
    application = Application(reference=reference, language=language, services=list(services), consent_id=consent.id,
                              submitted_at=now, delete_after=now + timedelta(days=settings.retention_days),
                              payload=payload, status="submitted", kind=kind,
                              handling="new" if kind == "callback" else None)
    application.outbox.append(OutboxMessage(channel=settings.delivery, idempotency_key=f"{reference}:{settings.delivery}",
                                            next_attempt_at=now))
    if wants_receipt(payload):  # the family's copy, through the same outbox
        application.outbox.append(OutboxMessage(channel=RECEIPT, idempotency_key=f"{reference}:{RECEIPT}", next_attempt_at=now))
    session.add(application)
    session.flush()
    return application


def view(application: Application) -> StoredApplication:
    return StoredApplication(application.id, application.reference, application.language, list(application.services),
                             application.submitted_at, application.payload)


def purge_expired(session: Session, now: datetime | None = None, receipt_dir: Path | None = None) -> dict[str, int]:
    """Delete applications (with their outbox rows, and the family's receipt written to ``receipt_dir``
    when there is no SMTP server) and consents whose retention period is over."""
    now = _now(now)
    applications = session.query(Application).filter(Application.delete_after <= now).all()
    for application in applications:
        if receipt_dir is not None:
            (receipt_dir / f"{application.reference}.eml").unlink(missing_ok=True)
        session.delete(application)
    consents = session.query(Consent).filter(Consent.delete_after <= now).delete(synchronize_session=False)
    session.flush()
    return {"applications": len(applications), "consents": consents}
