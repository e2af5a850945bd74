"""Creating staff users and checking their passwords.

Passwords are stored as argon2id hashes; an unknown name is checked against a dummy hash, so the
answer takes as long as for a known one. Guessing is slowed by ``knowledge.throttle``,
per name and client, never by locking the account (a stranger could lock staff out).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from knowledge.staff.models import ROLES, StaffUser

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


class AccountError(ValueError):
    """A username, password or role that cannot be used; the message says why."""


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    reason: str | None = None  # "invalid"


def create_user(session: Session, username: str, password: str, role: str) -> StaffUser:
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("username: letters, digits, dot, hyphen and underscore, at most 64 characters")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.query(StaffUser).filter_by(username=username).first():
        raise AccountError(f"user {username!r} exists already")
    user = StaffUser(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> LoginResult:
    now = now or datetime.now(timezone.utc)
    user = session.query(StaffUser).filter_by(username=(username or "").strip().lower(), active=True).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        if user is not None:
            user.failed_logins += 1  # for the record; it locks nothing
            session.commit()
        return LoginResult(None, "invalid")
    if user is None:  # the dummy hash never matches a real password; kept for the shape of the code
        return LoginResult(None, "invalid")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.commit()
    return LoginResult(user)
