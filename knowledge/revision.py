"""The knowledge base's revision: one number that changes whenever its content does.

Every process that answers families keeps the knowledge base's content in memory between turns
(``knowledge.queries``) and reads only this number each turn; when an editor saves anything
(a service text, a contact point, a parameter, an import, the seed), the number has moved and the
process reads the content afresh. So an edit is live at the next turn in every process, and a turn
costs one small query instead of a dozen ORM loads (they were half of the action server's time).

The number moves in the same transaction as the change (a flush listener on every session), so a
reader never sees the new number with the old content. Only ORM writes are seen: a migration that
changes content must bump it too (``bump``), and content is never changed by hand in SQL.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from functools import cache

from sqlalchemy import BigInteger, Column, DateTime, Integer, event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from knowledge.models import Base

#: The tables whose rows the assistant tells families about, and their version histories.
CONTENT_TABLES = frozenset({
    "source_documents", "contact_points", "phone_hours", "contact_content", "services", "service_sources",
    "service_content", "content_versions", "record_versions",
})


class KnowledgeRevision(Base):
    """One row (id 1); ``value`` grows by one with every flush that changes content."""
    __tablename__ = "knowledge_revision"
    id = Column(Integer, primary_key=True)
    value = Column(BigInteger, nullable=False, default=0)
    seeded_at = Column(DateTime(timezone=True), nullable=True)  # when the seed files were last loaded


def seeded_at(session: Session) -> datetime | None:
    """When the seed content was loaded: the date of the versions that come from the seed files."""
    return session.execute(select(KnowledgeRevision.seeded_at).where(KnowledgeRevision.id == 1)).scalar()


def mark_seeded(session: Session) -> None:
    """The seed files were loaded now (``make seed`` reloads them over every edit, so the last load counts)."""
    found = session.get(KnowledgeRevision, 1)
    if found is None:
        found = KnowledgeRevision(id=1, value=1)
        session.add(found)
    found.seeded_at = datetime.now(timezone.utc)


def current(session: Session) -> int:
    """The revision as ``session`` sees it (in its transaction)."""
    return session.execute(select(KnowledgeRevision.value).where(KnowledgeRevision.id == 1)).scalar() or 0


READ = "SELECT value FROM knowledge_revision WHERE id = 1"
#: A database locked by another writer (SQLite) is waited for only this long: the turn then answers
#: from the content last read, and a write the turn must make still has its own time to wait.
LOCKED_SECONDS = 0.3


@cache
def _reader(database_url: str) -> Engine:
    """A small pool for reading the revision alone, in autocommit: one round trip per turn instead
    of three (a ping, the query, a rollback), and without the ORM (this was the action server's
    largest remaining cost)."""
    from knowledge.db import make_engine  # knowledge.db imports this module for its listener

    return make_engine(database_url, busy_seconds=LOCKED_SECONDS, pre_ping=False, autocommit=True)


def current_of(engine: Engine) -> int:
    """The revision of ``engine``'s database, read now. A pooled connection that a database
    restart has broken fails once; the pool is then renewed and the read is made again."""
    reader = _reader(engine.url.render_as_string(hide_password=False))

    def read() -> int:
        with reader.connect() as connection:
            return connection.exec_driver_sql(READ).scalar() or 0
    try:
        return read()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    return read()


#: The revision read at the start of the chat turn running in this context, with its engine.
_read_this_turn: ContextVar[tuple[Engine, int] | None] = ContextVar("knowledge_revision_this_turn", default=None)


@contextmanager
def this_turn(engine: Engine, value: int | None) -> Iterator[None]:
    """Within the block (one chat turn), ``value`` is the revision of ``engine``'s knowledge base
    (None: it could not be read)."""
    token = _read_this_turn.set((engine, value) if value is not None else None)
    try:
        yield
    finally:
        _read_this_turn.reset(token)


def read_this_turn(engine: Engine) -> int | None:
    """The revision the running turn read from ``engine``, if it read one: a second look in the
    same turn would cost a round trip and answer the same."""
    known = _read_this_turn.get()
    return known[1] if known is not None and known[0] is engine else None


def bump(connection) -> None:
    """Move the revision on (``connection``: a SQLAlchemy connection in the writing transaction)."""
    table = KnowledgeRevision.__table__
    moved = connection.execute(update(table).where(table.c.id == 1).values(value=table.c.value + 1))
    if moved.rowcount == 0:  # a database made before migration 0013 put the row there
        connection.execute(insert(table).values(id=1, value=1))


def _changes_content(session: Session) -> bool:
    return any(getattr(getattr(instance, "__table__", None), "name", None) in CONTENT_TABLES
               for instance in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "after_flush")
def _bump_when_content_changed(session: Session, _flush_context) -> None:
    # After a flush the session's new, dirty and deleted lists still show what was flushed.
    if _changes_content(session):
        bump(session.connection())
