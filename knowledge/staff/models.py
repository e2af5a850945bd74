"""Staff user accounts."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String

from knowledge.models import Base, utcnow

ROLES = ("editor", "case_worker", "admin")


class StaffUser(Base):
    __tablename__ = "staff_users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_login_at = Column(DateTime(timezone=True), nullable=True)
