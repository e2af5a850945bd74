"""Creating staff users and checking their passwords, with throttling and lock-out.

Passwords are stored as argon2id hashes. After ``MAX_FAILURES`` failed logins in a row an account
is locked for ``LOCK_MINUTES``; the login page says so without revealing whether the username exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from knowledge.staff.models import ROLES, StaffUser

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


class AccountError(ValueError):
    """A username, password or role that cannot be used; the message says why."""


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None
    reason: str | None = None  # "invalid" | "locked"
    failures: int = 0


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
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password or "")
        except VerificationError:
            pass
        return LoginResult(None, "invalid")
    locked_until = user.locked_until.replace(tzinfo=timezone.utc) if user.locked_until and user.locked_until.tzinfo is None else user.locked_until
    if locked_until and locked_until > now:
        return LoginResult(None, "locked", user.failed_logins)
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        session.commit()
        return LoginResult(None, "locked" if user.failed_logins >= MAX_FAILURES else "invalid", user.failed_logins)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.commit()
    return LoginResult(user)
