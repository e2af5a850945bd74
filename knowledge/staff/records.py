"""Versions of the knowledge base's other records: contact points (with phone hours), service
settings and the dated eligibility parameters.

Each save stores the whole record as it now is (a small JSON snapshot) with who, when and why, so
the history reads like the service texts' history: word-by-word changes between neighbours and a restore that
saves an old snapshot again as a new version. Service texts keep their own table
(:mod:`knowledge.staff.content`) because translations point at the Norwegian version they follow.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text, func, select
from sqlalchemy.orm import Session

from knowledge.models import Base, utcnow

KINDS = ("contact", "service", "parameter")
SEED_REASON = "Innhold fra seed-filene"
NOT_FOUND = "Fant ikke versjonen."


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


def clean_reason(reason: str | None, longest: int = 500) -> str:
    """Every change says why, briefly, so the history can be read later."""
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= longest:
        raise RecordError(f"begrunnelse: skriv kort hvorfor (3–{longest} tegn)")
    return reason


def latest(session: Session, kind: str, key: str) -> RecordVersion | None:
    return session.execute(select(RecordVersion).where(RecordVersion.kind == kind, RecordVersion.key == key)
                           .order_by(RecordVersion.id.desc()).limit(1)).scalar_one_or_none()


def record(session: Session, kind: str, key: str, data: dict[str, Any], author: str, reason: str,
           baseline: dict[str, Any] | None = None, baseline_at: datetime | None = None) -> RecordVersion:
    """Store ``data`` as the newest version. ``baseline`` (what the record held before anybody
    edited it, i.e. the seed) becomes version 1 the first time, so the history starts there; it is
    dated ``baseline_at``, when the seed wrote it, not now."""
    assert kind in KINDS
    if baseline is not None and latest(session, kind, key) is None:
        session.add(RecordVersion(kind=kind, key=key, data=baseline, author="seed", reason=SEED_REASON,
                                  created_at=baseline_at or utcnow()))
        session.flush()
    version = RecordVersion(kind=kind, key=key, data=data, author=author, reason=clean_reason(reason))
    session.add(version)
    session.flush()
    return version


def to_restore(session: Session, version_id: int, kind: str, error: type[RecordError], key: str | None = None) -> RecordVersion:
    """The old version of ``kind`` (and of the record ``key``, when given: the page's) an editor asked
    to restore, or ``error`` if there is none."""
    old = session.get(RecordVersion, version_id)
    if old is None or old.kind != kind or key not in (None, old.key):
        raise error(NOT_FOUND)
    return old


def number_of(session: Session, version: RecordVersion) -> int:
    """The version's number in its own record's history (1 is the oldest), as the history page shows it."""
    return session.execute(select(func.count()).select_from(RecordVersion).where(
        RecordVersion.kind == version.kind, RecordVersion.key == version.key, RecordVersion.id <= version.id)).scalar_one()


#: A restore's reason is shorter: "Gjenopprettet versjon N: " goes before it, within the 500.
RESTORE_REASON_LONGEST = 450


def restored_reason(number: int, reason: str) -> str:
    """The reason a restore is saved with; the editor's own words are checked before the prefix."""
    return f"Gjenopprettet versjon {number}: {clean_reason(reason, RESTORE_REASON_LONGEST)}"


def history(session: Session, kind: str, key: str) -> list[RecordVersion]:
    """Newest first."""
    return list(session.execute(select(RecordVersion).where(RecordVersion.kind == kind, RecordVersion.key == key)
                                .order_by(RecordVersion.id.desc())).scalars())


def text_of(value: Any) -> str:
    """A field's value as text for comparing versions (a list one item per line)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(item) for item in value)
    return str(value)


#: A word with the spaces after it, or spaces alone: a change is shown word by word, not letter by letter.
WORDS = re.compile(r"\S+\s*|\s+")
#: Two texts sharing less than this share of their words are shown as the old one replaced by the new.
WHOLE_BELOW = 0.5


@dataclass(frozen=True)
class Change:
    """How one field changed between two versions, in reading order: unchanged, removed and added text."""
    field: str
    parts: tuple[tuple[str, str], ...]  # ("same" | "removed" | "added", text)

    @property
    def removed(self) -> str:
        return "".join(text for kind, text in self.parts if kind == "removed")

    @property
    def added(self) -> str:
        return "".join(text for kind, text in self.parts if kind == "added")


def word_changes(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """``after`` compared with ``before`` word by word: what stayed, what went, what came."""
    old, new = WORDS.findall(before), WORDS.findall(after)
    words = difflib.SequenceMatcher(None, [w.rstrip() for w in old], [w.rstrip() for w in new], autojunk=False)
    if words.ratio() < WHOLE_BELOW:  # mostly rewritten: the old text and the new read better whole than in shreds
        return tuple(part for part in (("removed", before), ("added", after)) if part[1])
    parts: list[tuple[str, str]] = []
    for operation, i1, i2, j1, j2 in words.get_opcodes():  # words compared without the spaces after them
        if operation == "equal":
            parts.append(("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(new[j1:j2])))
    return tuple(parts)


def changes(old: dict[str, Any] | None, new: dict[str, Any], fields: Iterable[str]) -> list[Change]:
    """The fields that differ from ``old`` to ``new``, each word by word."""
    found = []
    for field in fields:
        before, after = text_of((old or {}).get(field)), text_of(new.get(field))
        change = Change(field, word_changes(before, after))
        if change.removed or change.added:  # spaces alone are not a change a reader could see
            found.append(change)
    return found
