"""Versions of the knowledge base's other records: contact points (with phone hours), service
settings and the dated eligibility parameters.

Each save stores the whole record as it now is (a small JSON snapshot) with who, when and why, so
the history reads like the service texts' history: a diff between neighbours and a restore that
saves an old snapshot again as a new version. Service texts keep their own table
(:mod:`knowledge.staff.content`) because translations point at the Norwegian version they follow.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Session

from knowledge.models import Base, utcnow

KINDS = ("contact", "service", "parameter")


class RecordVersion(Base):
    __tablename__ = "record_versions"
    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False, index=True)
    key = Column(String(64), nullable=False, index=True)
    data = Column(JSON, nullable=False)
    author = Column(String(64), nullable=False)
    reason = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class RecordError(ValueError):
    """An edit that cannot be saved; the message says which field and why (Norwegian, for staff)."""


def clean_reason(reason: str | None) -> str:
    """Every change says why, briefly, so the history can be read later."""
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 500:
        raise RecordError("begrunnelse: skriv kort hvorfor (3–500 tegn)")
    return reason


def latest(session: Session, kind: str, key: str) -> RecordVersion | None:
    return session.execute(select(RecordVersion).where(RecordVersion.kind == kind, RecordVersion.key == key)
                           .order_by(RecordVersion.id.desc()).limit(1)).scalar_one_or_none()


def record(session: Session, kind: str, key: str, data: dict[str, Any], author: str, reason: str,
           baseline: dict[str, Any] | None = None) -> RecordVersion:
    """Store ``data`` as the newest version. ``baseline`` (what the record held before anybody
    edited it, i.e. the seed) becomes version 1 the first time, so the history starts there."""
    assert kind in KINDS
    if baseline is not None and latest(session, kind, key) is None:
        session.add(RecordVersion(kind=kind, key=key, data=baseline, author="seed", reason="Innhold fra seed-filene"))
        session.flush()
    version = RecordVersion(kind=kind, key=key, data=data, author=author, reason=clean_reason(reason))
    session.add(version)
    session.flush()
    return version


def to_restore(session: Session, version_id: int, kind: str, error: type[RecordError]) -> RecordVersion:
    """The old version of ``kind`` an editor asked to restore, or ``error`` if there is none."""
    old = session.get(RecordVersion, version_id)
    if old is None or old.kind != kind:
        raise error("fant ikke versjonen")
    return old


def restored_reason(version_id: int, reason: str) -> str:
    return f"Gjenopprettet versjon {version_id}: {reason}"


def history(session: Session, kind: str, key: str) -> list[RecordVersion]:
    """Newest first."""
    return list(session.execute(select(RecordVersion).where(RecordVersion.kind == kind, RecordVersion.key == key)
                                .order_by(RecordVersion.id.desc())).scalars())


def lines_of(value: Any) -> list[str]:
    """A field's value as lines for a diff (lists one item per line)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return str(value).splitlines() or [""]


def diff(old: dict[str, Any] | None, new: dict[str, Any], fields: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Per field, the lines removed (-) and added (+) going from ``old`` to ``new``."""
    changes = []
    for field in fields:
        before = lines_of((old or {}).get(field))
        after = lines_of(new.get(field))
        lines = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
                 if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        if lines:
            changes.append((field, lines))
    return changes
