"""Staff sessions, kept in the database and checked on every request: logging out, deactivating a
user or changing a role takes effect at once, not when a cookie expires."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from knowledge.staff.models import StaffSession, StaffUser

SESSION_HOURS = 8


@dataclass(frozen=True)
class SignedIn:
    """Who a session belongs to, as read from the database on this request."""
    user: int
    name: str
    role: str
    csrf: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite returns naive datetimes


def start(session: Session, user_id: int, now: datetime | None = None) -> str:
    """A new session for ``user_id``; the token for the browser's cookie."""
    now = now or datetime.now(timezone.utc)
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_hash(token), user_id=user_id, csrf=secrets.token_urlsafe(32), created_at=now,
                             expires_at=now + timedelta(hours=SESSION_HOURS)))
    session.flush()
    return token


def find(session: Session, token: str | None, now: datetime | None = None) -> SignedIn | None:
    """The session's user, if the session exists, has not expired and the user is still active."""
    if not token or len(token) > 200:
        return None
    now = now or datetime.now(timezone.utc)
    row = (session.query(StaffSession, StaffUser).join(StaffUser, StaffUser.id == StaffSession.user_id)
           .filter(StaffSession.token_hash == _hash(token), StaffUser.active.is_(True)).first())
    if row is None or _aware(row[0].expires_at) <= now:
        return None
    staff_session, user = row
    return SignedIn(user.id, user.username, user.role, staff_session.csrf)


def end(session: Session, token: str | None) -> None:
    if token:
        session.query(StaffSession).filter_by(token_hash=_hash(token)).delete()


def end_all(session: Session, user_id: int) -> int:
    """Every session of a user (deactivated, new role, new password): signed out everywhere."""
    return session.query(StaffSession).filter_by(user_id=user_id).delete()


def purge_expired(session: Session, now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    return session.query(StaffSession).filter(StaffSession.expires_at <= now).delete()
