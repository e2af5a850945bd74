"""The retention job: everything Veiviser stores about a family is deleted when its time is up.

One list for the background job and `make purge`: applications, consents and live chats with a
case worker (``VEIVISER_RETENTION_DAYS``), conversations (``VEIVISER_CONVERSATION_RETENTION_HOURS``), the
redacted questions editors review and the comments on answers (``VEIVISER_UNANSWERED_RETENTION_DAYS``) and expired staff sessions.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from knowledge import conversation_store, feedback, unanswered
from knowledge.applications.store import purge_expired
from knowledge.config import Settings
from knowledge.handoff import live_chat
from knowledge.insight import usage
from knowledge.staff import sessions


def purge(session: Session, settings: Settings) -> dict[str, int]:
    """Delete what is past its time and commit; returns how many of each went."""
    counts = purge_expired(session, receipt_dir=settings.receipt_dir)
    counts["live_chats"] = live_chat.purge_ended(session, settings.retention_days)
    counts["conversation_rows"] = conversation_store.purge_idle(session, settings.conversation_retention_hours)
    counts["unanswered"] = unanswered.purge_old(session, settings.unanswered_retention_days)
    counts["feedback_comments"] = feedback.purge_old_comments(session, settings.unanswered_retention_days)
    counts["usage_rows"] = usage.purge_old(session, settings.insight_retention_days)
    counts["staff_sessions"] = sessions.purge_expired(session)
    session.commit()
    return counts


def summary(counts: dict[str, int]) -> str:
    return (f"deleted {counts['applications']} applications, {counts['consents']} consent records, "
            f"{counts['live_chats']} live chats, "
            f"{counts['conversation_rows']} conversation rows, {counts['unanswered']} unanswered questions, "
            f"{counts['feedback_comments']} feedback comments, {counts['usage_rows']} usage rows "
            f"and {counts['staff_sessions']} staff sessions past retention")
