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

from sqlalchemy import BigInteger, Column, Integer, event, insert, select, update
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


def current(session: Session) -> int:
    return session.execute(select(KnowledgeRevision.value).where(KnowledgeRevision.id == 1)).scalar() or 0


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
