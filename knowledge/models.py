"""Knowledge-base tables: services, their content per language, sources and contact points.

Answer text lives here, not in the NLU model, so an editor's change is live without retraining.
"""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, declared_attr, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class TranslationStatus(str, enum.Enum):
    """How far a text can be trusted: the Norwegian source, reviewed, or machine-drafted."""

    source = "source"
    reviewed = "reviewed"
    machine_drafted = "machine_drafted"


class TranslatedText:
    """Columns every per-language text row has: its language, how trusted it is, when it changed."""

    id = Column(Integer, primary_key=True)
    language = Column(String(5), nullable=False)

    @declared_attr
    def translation_status(cls):  # noqa: N805 - SQLAlchemy's declared_attr takes the class
        return Column(Enum(TranslationStatus, name="translation_status"), nullable=False)

    @declared_attr
    def updated_at(cls):  # noqa: N805
        return Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class SourceDocument(Base):
    """A seed document (municipal plan, brochure, presentation) that facts are traced to."""

    __tablename__ = "source_documents"
    id = Column(String(64), primary_key=True)
    title = Column(Text, nullable=False)
    publisher = Column(String(200), nullable=False)
    published = Column(String(32), nullable=False)
    seed_file = Column(String(200), nullable=True)


class ContactPoint(Base):
    """Where families call, write or go; phone hours are separate rows."""

    __tablename__ = "contact_points"
    key = Column(String(64), primary_key=True)
    phone = Column(String(32), nullable=True)
    email = Column(String(200), nullable=True)
    digital_channel = Column(String(100), nullable=True)
    postal_address = Column(Text, nullable=True)
    visiting_address = Column(Text, nullable=True)
    by_appointment_only = Column(Boolean, nullable=False, default=False)
    source_document_id = Column(String(64), ForeignKey("source_documents.id"), nullable=False)
    source_section = Column(String(200), nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    hours = relationship("PhoneHours", cascade="all, delete-orphan", order_by="PhoneHours.weekday, PhoneHours.opens")
    content = relationship("ContactContent", cascade="all, delete-orphan")
    source_document = relationship("SourceDocument")


class PhoneHours(Base):
    """One opening interval of a contact point's phone on one weekday (0 = Monday)."""

    __tablename__ = "phone_hours"
    id = Column(Integer, primary_key=True)
    contact_key = Column(String(64), ForeignKey("contact_points.key", ondelete="CASCADE"), nullable=False)
    weekday = Column(Integer, nullable=False)
    opens = Column(String(5), nullable=False)
    closes = Column(String(5), nullable=False)


class ContactContent(TranslatedText, Base):
    """A contact point's name and role in one language."""

    __tablename__ = "contact_content"
    __table_args__ = (UniqueConstraint("contact_key", "language"),)
    contact_key = Column(String(64), ForeignKey("contact_points.key", ondelete="CASCADE"), nullable=False)
    name = Column(Text, nullable=False)
    role = Column(Text, nullable=False)


#: How families apply for a service (DESIGN.md, routing): Veiviser's application to the coordinating
#: unit, straight to the service's contact point, or no application at all.
APPLY_ROUTES = ("ke_application", "contact", "none")


class Service(Base):
    """A municipal service, identified by its stable key (see DESIGN.md), with its routing: the
    contact point families turn to, how they apply, and who decides (None: the sources do not say)."""

    __tablename__ = "services"
    key = Column(String(64), primary_key=True)
    sort_order = Column(Integer, nullable=False, default=100)
    active = Column(Boolean, nullable=False, default=True)
    #: "service" (the municipality's own) or "signpost" (what another body handles: NAV, PPT, the
    #: hospital, the GP …; see DESIGN.md). Signposts share the texts, sources, routing and history.
    kind = Column(String(16), nullable=False, default="service", server_default="service")
    contact_key = Column(String(64), ForeignKey("contact_points.key"), nullable=True)
    apply_route = Column(String(16), nullable=False, default="ke_application", server_default="ke_application")
    decided_by_key = Column(String(64), ForeignKey("contact_points.key"), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    content = relationship("ServiceContent", cascade="all, delete-orphan")
    sources = relationship("ServiceSource", cascade="all, delete-orphan", order_by="ServiceSource.position")
    contact = relationship("ContactPoint", foreign_keys=[contact_key])
    decided_by = relationship("ContactPoint", foreign_keys=[decided_by_key])


class ServiceSource(Base):
    """Which document and section a service's facts come from, most important first: for which of
    its texts (``fields``; None: all of them), and the law the text cites from it, if any."""

    __tablename__ = "service_sources"
    id = Column(Integer, primary_key=True)
    service_key = Column(String(64), ForeignKey("services.key", ondelete="CASCADE"), nullable=False)
    document_id = Column(String(64), ForeignKey("source_documents.id"), nullable=False)
    section = Column(String(300), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    fields = Column(JSON, nullable=True)
    law = Column(String(300), nullable=True)

    document = relationship("SourceDocument")


class ServiceContent(TranslatedText, Base):
    """A service's texts in one language, with its translation status."""

    __tablename__ = "service_content"
    __table_args__ = (UniqueConstraint("service_key", "language"),)
    service_key = Column(String(64), ForeignKey("services.key", ondelete="CASCADE"), nullable=False)
    title = Column(Text, nullable=False)
    summary = Column(Text, nullable=False)
    description = Column(Text, nullable=False)
    who_for = Column(Text, nullable=False)
    how_to_apply = Column(Text, nullable=False)
    cost = Column(Text, nullable=False)
    decided_by = Column(Text, nullable=False)
    #: What happens once the application is sent and how long it takes; how to appeal a decision.
    after_applying = Column(Text, nullable=False, default="", server_default="")
    appeal = Column(Text, nullable=False, default="", server_default="")


SERVICE_TEXT_FIELDS = ("title", "summary", "description", "who_for", "how_to_apply", "cost", "decided_by",
                       "after_applying", "appeal")
#: The texts that state facts, so each needs a source (the title only names the service).
SOURCED_FIELDS = SERVICE_TEXT_FIELDS[1:]
KINDS = ("service", "signpost")
#: A signpost says what it is, how to reach whoever handles it, and who that is; not who can get it
#: what it costs, what happens after applying or how to appeal (those are the other body's business):
#: it keeps those texts empty.
SIGNPOST_TEXT_FIELDS = ("title", "summary", "description", "how_to_apply", "decided_by")
SIGNPOST_SOURCED_FIELDS = SIGNPOST_TEXT_FIELDS[1:]


def text_fields(kind: str | None) -> tuple[str, ...]:
    """The texts a record of ``kind`` must have ("service" when not given)."""
    return SIGNPOST_TEXT_FIELDS if kind == "signpost" else SERVICE_TEXT_FIELDS


def sourced_fields(kind: str | None) -> tuple[str, ...]:
    """The texts of a record of ``kind`` that each need a source."""
    return SIGNPOST_SOURCED_FIELDS if kind == "signpost" else SOURCED_FIELDS
