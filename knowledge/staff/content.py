"""Editing service content, with versions: who changed what, when and why; diff and restore.

Saving is publishing: the chat reads the knowledge base on every answer, so a saved text is live
at once, with no retraining and no restart. Every save is a new version. A translation records
which Norwegian version it was made from, so it shows as out of date when the Norwegian changes.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Session

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import (
    SERVICE_TEXT_FIELDS,
    Base,
    Service,
    ServiceContent,
    TranslationStatus,
    text_fields,
    utcnow,
)
from knowledge.staff import records

SOURCE_LANGUAGE = "nb"
#: Each text as editors see it (Norwegian): on the edit page, in the history and in source lists.
FIELD_LABELS = {"title": "Tittel", "summary": "Kort oppsummering", "description": "Beskrivelse", "who_for": "Hvem kan få det",
                "how_to_apply": "Slik søker dere", "cost": "Pris", "decided_by": "Hvem bestemmer",
                "after_applying": "Etter søknaden (saksgang og tid)", "appeal": "Klage på vedtak"}
MAX_LENGTH = {"title": 200}
DEFAULT_MAX_LENGTH = 4000


class ContentVersion(Base):
    __tablename__ = "content_versions"
    id = Column(Integer, primary_key=True)
    service_key = Column(String(64), ForeignKey("services.key", ondelete="CASCADE"), nullable=False, index=True)
    language = Column(String(5), nullable=False)
    fields = Column(JSON, nullable=False)
    translation_status = Column(String(20), nullable=False)
    author = Column(String(64), nullable=False)
    reason = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    source_version_id = Column(Integer, nullable=True)  # translations: the Norwegian version they follow


class ContentError(records.RecordError):
    """An edit that cannot be saved; the message says which field and why (in Norwegian, for staff)."""


def _row(session: Session, key: str, language: str) -> ServiceContent | None:
    return session.query(ServiceContent).filter_by(service_key=key, language=language).one_or_none()


def latest_version(session: Session, key: str, language: str) -> ContentVersion | None:
    return (session.query(ContentVersion).filter_by(service_key=key, language=language)
            .order_by(ContentVersion.id.desc()).first())


def _baseline(session: Session, key: str, language: str) -> ContentVersion | None:
    """The seed text becomes version 1, so the history starts where the content came from."""
    existing = latest_version(session, key, language)
    row = _row(session, key, language)
    if existing is not None or row is None:
        return existing
    source = None if language == SOURCE_LANGUAGE else _baseline(session, key, SOURCE_LANGUAGE)
    version = ContentVersion(service_key=key, language=language, fields={f: getattr(row, f) for f in SERVICE_TEXT_FIELDS},
                             translation_status=row.translation_status.value, author="seed", reason=records.SEED_REASON,
                             source_version_id=source.id if source else None, created_at=row.updated_at)
    session.add(version)
    session.flush()
    return version


def validate(language: str, fields: dict[str, str], status: str, kind: str = "service") -> dict[str, str]:
    """Clean texts, or ContentError. A signpost needs no "who can get it" or "cost" text."""
    if language not in ANSWER_LANGUAGES:
        raise ContentError(f"ukjent språk: {language}")
    required = text_fields(kind)
    clean = {}
    for field in SERVICE_TEXT_FIELDS:
        value = " ".join(str(fields.get(field, "")).split()) if field == "title" else str(fields.get(field, "")).strip()
        if not value and field in required:
            raise ContentError(f"{field}: feltet kan ikke være tomt")
        if len(value) > MAX_LENGTH.get(field, DEFAULT_MAX_LENGTH):
            raise ContentError(f"{field}: høyst {MAX_LENGTH.get(field, DEFAULT_MAX_LENGTH)} tegn")
        clean[field] = value.replace("\r\n", "\n")
    allowed = {"source"} if language == SOURCE_LANGUAGE else {"machine_drafted", "reviewed"}
    if status not in allowed:
        raise ContentError(f"status må være {' eller '.join(sorted(allowed))} for {language}")
    return clean


def save(session: Session, key: str, language: str, fields: dict[str, str], status: str, author: str, reason: str) -> ContentVersion:
    """Validate, publish (the chat uses it from the next message) and record a new version."""
    if session.get(Service, key) is None:
        raise ContentError(f"ukjent tjeneste: {key}")
    try:
        reason = records.clean_reason(reason)
    except records.RecordError as error:
        raise ContentError(str(error)) from None
    clean = validate(language, fields, status, session.get(Service, key).kind)
    _baseline(session, key, language)
    row = _row(session, key, language)
    if row is None:
        row = ServiceContent(service_key=key, language=language)
        session.add(row)
    for field, value in clean.items():
        setattr(row, field, value)
    row.translation_status = TranslationStatus(status)
    source = None if language == SOURCE_LANGUAGE else (latest_version(session, key, SOURCE_LANGUAGE) or _baseline(session, key, SOURCE_LANGUAGE))
    version = ContentVersion(service_key=key, language=language, fields=clean, translation_status=status, author=author,
                             reason=reason, source_version_id=source.id if source else None)
    session.add(version)
    session.flush()
    return version


def history(session: Session, key: str, language: str) -> list[ContentVersion]:
    _baseline(session, key, language)
    return (session.query(ContentVersion).filter_by(service_key=key, language=language)
            .order_by(ContentVersion.id.desc()).all())


def number_of(session: Session, version: ContentVersion) -> int:
    """The version's number in its text's history (1 is the oldest), as the history page shows it."""
    return (session.query(ContentVersion).filter(ContentVersion.service_key == version.service_key,
                                                 ContentVersion.language == version.language,
                                                 ContentVersion.id <= version.id).count())


def restore(session: Session, version_id: int, author: str, reason: str, key: str | None = None,
            language: str | None = None) -> ContentVersion:
    """Save version ``version_id`` (of the text ``key`` in ``language``, when given) again as the newest."""
    old = session.get(ContentVersion, version_id)
    if old is None or key not in (None, old.service_key) or language not in (None, old.language):
        raise ContentError(records.NOT_FOUND)
    return save(session, old.service_key, old.language, old.fields, old.translation_status, author,
                records.restored_reason(number_of(session, old), reason))


@dataclass(frozen=True)
class StatusCell:
    language: str
    status: str  # source | reviewed | machine_drafted | out_of_date | missing


def translation_status(session: Session, include_hidden: bool = False) -> list[tuple[str, str, list[StatusCell]]]:
    """Every service (shown in the chat, or all) and language: what needs a translator's or editor's
    attention. A hidden service's title says so."""
    rows = []
    query = session.query(Service).order_by(Service.sort_order, Service.key)
    for service in query if include_hidden else query.filter(Service.active.is_(True)):
        content = {row.language: row for row in service.content}
        nb = latest_version(session, service.key, SOURCE_LANGUAGE)
        cells = []
        for language in ANSWER_LANGUAGES:
            row = content.get(language)
            if row is None:
                cells.append(StatusCell(language, "missing"))
                continue
            status = row.translation_status.value
            if language != SOURCE_LANGUAGE and nb is not None and nb.author != "seed":  # the Norwegian was edited
                mine = latest_version(session, service.key, language)
                if mine is None or (mine.source_version_id or 0) < nb.id:
                    status = "out_of_date"
            cells.append(StatusCell(language, status))
        title = content[SOURCE_LANGUAGE].title if SOURCE_LANGUAGE in content else service.key
        if service.kind == "signpost":
            title += " (veiviser til andre)"
        rows.append((service.key, title if service.active else f"{title} (skjult i chatten)", cells))
    return rows
