"""What each turn did, one row per turn, for the staff's figures: the day, a pseudonym of the
conversation (``knowledge.crypto.pseudonym``: not the sender id, and not joinable with the consents'
hash of it), the language, what the answer was (answered, clarified, refused, a form's step, a
person, a request sent), what it was about (a service's or signpost's key) and a check's outcome.
No message text. Test and evaluation traffic is marked (its messages' metadata) and counted apart.
The rows are written in batches (``flush``), not with a commit per turn.
"""
from __future__ import annotations

import atexit
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Date, Integer, String, delete, insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from knowledge.crypto import pseudonym
from knowledge.db import default_engine
from knowledge.models import Base
from knowledge.turn import Outcome, Turn

logger = logging.getLogger(__name__)
OSLO = ZoneInfo("Europe/Oslo")
#: What an answer was. Questions are the first four and "person"; the shares answered/clarified/refused are of those.
RESULTS = ("answered", "clarified", "refused", "person", "small_talk", "form", "sent", "empty")
QUESTION_RESULTS = ("answered", "clarified", "refused", "person")
#: The actions whose answer is small talk, and those that send a request (its receipt has a reference).
SMALL_TALK_ACTIONS = frozenset({"action_small_talk", "action_change_language"})
SENDING_ACTIONS = {"action_submit_application": "application", "action_submit_callback": "callback"}


class UsageTurn(Base):
    __tablename__ = "usage_turns"
    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)  # in Oslo
    conversation = Column(String(32), nullable=False, index=True)  # a pseudonym, see the module docstring
    language = Column(String(5), nullable=False)
    result = Column(String(16), nullable=False)  # one of RESULTS
    subject_kind = Column(String(16), nullable=True)  # service | signpost | contact | overview | a form's name | application | callback
    subject = Column(String(64), nullable=True)  # the service's or signpost's key
    check_outcome = Column(String(24), nullable=True)  # a check's result for ``subject``
    traffic = Column(String(8), nullable=False, default="real", index=True)


@dataclass(frozen=True)
class Usage:
    result: str
    subject_kind: str | None = None
    subject: str | None = None
    check_outcome: str | None = None


def classify(action: str, outcome: Outcome) -> Usage:
    """What an answer was, read from what it says (its cards) and which action gave it."""
    cards = [reply.custom for reply in outcome.replies if reply.custom]
    kinds = {card.get("type") for card in cards}
    if action in SENDING_ACTIONS:
        sent = any("VV-" in (reply.text or "") for reply in outcome.replies)
        return Usage("sent" if sent else "form", SENDING_ACTIONS[action])
    if outcome.result in ("refused", "empty"):
        return Usage(outcome.result)
    if "suggestions" in kinds:
        return Usage("clarified")
    if "live_chat" in kinds or action == "action_human_handoff":
        return Usage("person")
    for card in cards:
        if card.get("type") == "service_card":
            check = (card.get("eligibility") or {}).get("outcome")
            return Usage("answered", "service", card.get("service"), check)
        if card.get("type") == "signpost":
            return Usage("answered", "signpost", card.get("signpost"))
    if "eligibility_overview" in kinds or "contact" in kinds:
        return Usage("answered", "overview" if "eligibility_overview" in kinds else "contact")
    if action in SMALL_TALK_ACTIONS:
        return Usage("small_talk")
    if outcome.followup:  # a form starts (the check's or the application's first question follows)
        return Usage("form", outcome.followup)
    return Usage("answered", "overview") if action == "action_services_overview" else Usage("answered")


#: Rows are written in batches, not one commit per turn (that cost a tenth of two replicas'
#: throughput in `make bench`): when this many are waiting, or this long after the first of them.
BATCH_ROWS, BATCH_SECONDS = 50, 5.0
_waiting: list[dict] = []
_lock = threading.Lock()
_timer: threading.Timer | None = None


def record(turn: Turn, language: str, usage: Usage, now: datetime | None = None) -> None:
    """Count one turn, answered in ``language``. Written with the next batch (``flush``); the figures
    may lag a few seconds. Nothing here can cost a family its answer."""
    moment = (now or datetime.now(timezone.utc)).astimezone(OSLO)
    row = {"day": moment.date(), "conversation": pseudonym("usage", turn.conversation_id or "-"), "language": language,
           "result": usage.result, "subject_kind": usage.subject_kind, "subject": usage.subject,
           "check_outcome": usage.check_outcome, "traffic": turn.traffic}
    global _timer
    with _lock:
        _waiting.append(row)
        full = len(_waiting) >= BATCH_ROWS
        if _timer is None and not full:
            _timer = threading.Timer(BATCH_SECONDS, flush)
            _timer.daemon = True
            _timer.start()
    if full:
        flush()


def flush() -> int:
    """Write the waiting rows in one statement; returns how many. A database that is down loses
    them (counts only) and says so in the log."""
    global _timer
    with _lock:
        rows, _waiting[:] = list(_waiting), []
        if _timer is not None:
            _timer.cancel()
            _timer = None
    if not rows:
        return 0
    try:
        with default_engine().begin() as connection:
            connection.execute(insert(UsageTurn.__table__), rows)
    except SQLAlchemyError as error:
        logger.warning("usage: %d turns not counted (%s)", len(rows), type(error).__name__)
        return 0
    return len(rows)


atexit.register(flush)


def purge_old(session: Session, retention_days: int, today: date | None = None) -> int:
    """Rows older than the retention period (they hold no personal data; the period keeps the table small)."""
    cutoff = (today or datetime.now(OSLO).date()) - timedelta(days=retention_days)
    return session.execute(delete(UsageTurn).where(UsageTurn.day < cutoff).execution_options(synchronize_session=False)).rowcount
