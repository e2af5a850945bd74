"""Tables for applications: consent decisions, applications (personal data encrypted), the outbox.

Only what staff must sort and filter by is stored in the clear (reference, services, language,
dates, status); everything that identifies the family is in ``payload``, encrypted at rest.
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from knowledge.crypto import EncryptedJSON
from knowledge.models import Base, utcnow
from knowledge.staff import models as staff_models  # noqa: F401 - the table handled_by_id refers to, in every process


class Consent(Base):
    """A family's decision on the consent text: when, which version, in which language."""

    __tablename__ = "consents"
    id = Column(Integer, primary_key=True)
    conversation = Column(String(64), nullable=False, index=True)  # SHA-256 of the chat's sender id
    text_version = Column(String(32), nullable=False)
    language = Column(String(5), nullable=False)
    granted = Column(Boolean, nullable=False)
    decided_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    delete_after = Column(DateTime(timezone=True), nullable=False, index=True)


#: What an ``Application`` row is: an application for services, or a request to be called back
#: (knowledge.handoff.callback); both go the same way (encrypted, outbox, retention).
KINDS = ("application", "callback")
#: How the office handles a callback: new, taken by a case worker, done.
HANDLING = ("new", "taken", "done")


class Application(Base):
    __tablename__ = "applications"
    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False, default="application", server_default="application", index=True)
    reference = Column(String(32), nullable=False, unique=True)
    language = Column(String(5), nullable=False)
    services = Column(JSON, nullable=False)
    status = Column(String(16), nullable=False, default="submitted")  # submitted | delivered
    consent_id = Column(Integer, ForeignKey("consents.id", ondelete="SET NULL"), nullable=True)
    submitted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    delivered_at = Column(DateTime(timezone=True), nullable=True)
    delete_after = Column(DateTime(timezone=True), nullable=False, index=True)
    payload = Column(EncryptedJSON, nullable=False)
    handling = Column(String(16), nullable=True)  # callbacks: one of HANDLING
    handled_by_id = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)
    handled_at = Column(DateTime(timezone=True), nullable=True)
    outbox = relationship("OutboxMessage", back_populates="application", cascade="all, delete-orphan")


class OutboxMessage(Base):
    """One delivery of one application over one channel, retried until it is sent."""

    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True)
    channel = Column(String(16), nullable=False)  # folder | smtp
    idempotency_key = Column(String(80), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default="pending")  # pending | sent
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    last_error = Column(Text, nullable=True)  # the error's type and a short reason, never personal data
    sent_at = Column(DateTime(timezone=True), nullable=True)
    application = relationship("Application", back_populates="outbox")
