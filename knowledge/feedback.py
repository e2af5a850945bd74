"""Whether an answer helped: the family's yes or no under an answer card, and a short comment.

Stored without the sender id or anything else that links it to a conversation: the answer's kind
(a service or a signpost), its key and aspect, the language, yes or no, and the comment redacted
like the unanswered questions (``knowledge.redaction``). Traffic from tests and evaluations is
marked so the staff's figures count it apart. Comments are deleted with the unanswered questions'
retention; the yes/no counts have no personal data and stay for the figures.
"""
from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text, update
from sqlalchemy.orm import Session

from knowledge.languages import INPUT_LANGUAGES
from knowledge.models import Base, utcnow
from knowledge.redaction import redact

#: The cards that ask "Was this helpful?", and the field that names what they are about.
CARD_KEYS = {"service_card": "service", "signpost": "signpost"}
#: Where the feedback came from: families, or a test or evaluation run (counted apart).
TRAFFIC = ("real", "test")
MAX_COMMENT = 500
ASPECT = re.compile(r"^[a-z_]{1,32}$")
KEY = re.compile(r"^[a-z0-9_]{1,64}$")


class AnswerFeedback(Base):
    __tablename__ = "answer_feedback"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    language = Column(String(5), nullable=False)
    card = Column(String(16), nullable=False)  # one of CARD_KEYS
    key = Column(String(64), nullable=False, index=True)  # the service's or signpost's key
    aspect = Column(String(32), nullable=False)
    helpful = Column(Boolean, nullable=False)
    comment = Column(Text, nullable=True)  # redacted; only with "no"
    traffic = Column(String(8), nullable=False, default="real", index=True)
    #: With "no": a random token the widget holds, so the comment that may follow is added once, to
    #: this answer and by the page that gave it (no sender id is needed for that).
    comment_token = Column(String(64), nullable=True)


class InvalidFeedback(ValueError):
    """A request the widget would never send; the message says which field is wrong."""


@dataclass(frozen=True)
class Feedback:
    language: str
    card: str
    key: str
    aspect: str
    helpful: bool
    comment: str | None = None
    traffic: str = "real"


def read(body: object) -> Feedback:
    """The widget's JSON: ``{"language", "card": {"type", "service"|"signpost", "aspect"}, "helpful",
    "comment"?, "traffic"?}``; raises InvalidFeedback naming the field."""
    if not isinstance(body, dict):
        raise InvalidFeedback("expected a JSON object")
    language, card, helpful = body.get("language"), body.get("card"), body.get("helpful")
    if language not in INPUT_LANGUAGES:
        raise InvalidFeedback(f"language must be one of {', '.join(INPUT_LANGUAGES)}")
    if not isinstance(card, dict) or card.get("type") not in CARD_KEYS:
        raise InvalidFeedback(f"card.type must be one of {', '.join(CARD_KEYS)}")
    key, aspect = card.get(CARD_KEYS[card["type"]]), card.get("aspect") or "about"
    if not isinstance(key, str) or not KEY.match(key):
        raise InvalidFeedback(f"card.{CARD_KEYS[card['type']]} must be a key")
    if not isinstance(aspect, str) or not ASPECT.match(aspect):
        raise InvalidFeedback("card.aspect must be an aspect name")
    if not isinstance(helpful, bool):
        raise InvalidFeedback("helpful must be true or false")
    comment = body.get("comment")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        raise InvalidFeedback(f"comment must be a text of at most {MAX_COMMENT} characters")
    traffic = body.get("traffic", "real")
    if traffic not in TRAFFIC:
        raise InvalidFeedback(f"traffic must be one of {', '.join(TRAFFIC)}")
    return Feedback(language, card["type"], key, aspect, helpful, comment, traffic)


def _cleaned(comment: str | None) -> str | None:
    """A comment redacted like the unanswered questions; None when no words remain."""
    if not comment or not comment.strip():
        return None
    cleaned = redact(comment.strip())[:MAX_COMMENT]
    words = re.sub(r"\[(?:name|number|e-mail|link|date|…)\]", " ", cleaned)
    return cleaned if re.search(r"[^\W\d_]{2,}", words) else None


def record(session: Session, feedback: Feedback) -> AnswerFeedback:
    """Store one yes or no (the caller commits). A "no" gets a token for the comment that may follow."""
    row = AnswerFeedback(language=feedback.language, card=feedback.card, key=feedback.key, aspect=feedback.aspect,
                         helpful=feedback.helpful, comment=None if feedback.helpful else _cleaned(feedback.comment),
                         traffic=feedback.traffic, comment_token=None if feedback.helpful else secrets.token_urlsafe(24))
    session.add(row)
    session.flush()
    return row


def add_comment(session: Session, feedback_id: int, token: str, comment: str) -> bool:
    """The comment after a "no", once, with the token that "no" got; False when the token does not
    fit (or was used). The caller commits."""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT or not isinstance(token, str) or not token:
        raise InvalidFeedback(f"comment must be a text of at most {MAX_COMMENT} characters, with its token")
    row = session.get(AnswerFeedback, feedback_id)
    if row is None or row.comment_token is None or not hmac.compare_digest(row.comment_token, token):
        return False
    row.comment, row.comment_token = _cleaned(comment), None
    session.flush()
    return True


def purge_old_comments(session: Session, retention_days: int, now: datetime | None = None) -> int:
    """Comments older than the retention period go; the yes/no stays (the caller commits)."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)
    return session.execute(update(AnswerFeedback).where(AnswerFeedback.created_at < cutoff, AnswerFeedback.comment.is_not(None))
                           .values(comment=None).execution_options(synchronize_session=False)).rowcount
