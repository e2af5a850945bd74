"""Live chat with a case worker: who is available, the queue, and the messages of a chat.

A family that asks for a person while the office is open and a case worker is available is put in
the queue (``ask``) and told its place and the expected wait; a case worker takes the longest
waiting chat (``take``, atomic: two case workers never take the same one); both write
(``post``) and read what is new (``messages_after``); either ends it (``end``). What is written is
stored encrypted, one Fernet token per message (``knowledge.crypto.EncryptedJSON``), and deleted with the chat by
the retention job (``purge_ended``). A conversation is found by the hash of its sender id, as the
application's consent is; the sender id itself is kept encrypted, because taking a chat pauses the
assistant in that conversation and ending it resumes it (Rasa's ``pause`` and ``resume`` events,
added to the conversation store, where whichever replica serves the conversation reads them).

Availability is a heartbeat: the staff page moves ``available_until`` on while it is open, so a
case worker who closes the laptop stops counting within ``PRESENCE_MINUTES``. Nothing here knows
the web app or Rasa; the offer (live chat or callback) is decided from ``can_chat_now``.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge import conversation_store
from knowledge.applications.store import conversation_key
from knowledge.crypto import EncryptedJSON
from knowledge.models import Base
from knowledge.offline import MAIN_CONTACT
from knowledge.phone_hours import is_open
from knowledge.queries import UnknownContact, get_contact
from knowledge.staff import models as staff_models  # noqa: F401 - the table case_worker_id refers to, in every process
from knowledge.text import MAX_MESSAGE_CHARS, clean_message

#: A case worker counts as available this long after the staff page last said so.
PRESENCE_MINUTES = 2
#: Until enough chats have ended to measure it, a chat is expected to take this long.
TYPICAL_CHAT_MINUTES = 8
#: The typical length is the median of the chats that ended in this many days.
MEASURED_OVER_DAYS = 30
#: Who can write in a chat, and how a chat can end.
AUTHORS = ("family", "case_worker", "system")
ENDINGS = ("family", "case_worker", "office_closed", "no_case_worker")


class LiveChatError(ValueError):
    """A chat that cannot be taken, written in or ended (taken by someone else, or ended)."""


class CaseWorkerPresence(Base):
    """Whether a case worker takes new chats (``available_until``), and whether they are still at a
    Chat page at all (``present_until``): one who stops taking new chats finishes the ones they have."""
    __tablename__ = "case_worker_presence"
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    available_until = Column(DateTime(timezone=True), nullable=False, index=True)
    present_until = Column(DateTime(timezone=True), nullable=True)


class LiveChat(Base):
    __tablename__ = "live_chats"
    #: One open chat per conversation, even when two requests ask at the same moment.
    __table_args__ = (Index("uq_live_chats_open_conversation", "conversation", unique=True,
                            postgresql_where=text("status <> 'ended'"), sqlite_where=text("status <> 'ended'")),)
    id = Column(Integer, primary_key=True)
    conversation = Column(String(64), nullable=False, index=True)  # SHA-256 of the chat's sender id
    sender = Column(EncryptedJSON, nullable=False)  # the sender id, encrypted (to pause and resume the assistant)
    language = Column(String(5), nullable=False)
    topic = Column(String(64), nullable=True)  # a service key, when the conversation was about one
    status = Column(String(16), nullable=False, default="waiting", index=True)  # waiting | active | ended
    queued_at = Column(DateTime(timezone=True), nullable=False)
    taken_at = Column(DateTime(timezone=True), nullable=True)
    ended_at = Column(DateTime(timezone=True), nullable=True)
    ended_by = Column(String(16), nullable=True)  # one of ENDINGS
    case_worker_id = Column(Integer, ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True)


class LiveChatMessage(Base):
    __tablename__ = "live_chat_messages"
    id = Column(Integer, primary_key=True)
    chat_id = Column(Integer, ForeignKey("live_chats.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(16), nullable=False)  # one of AUTHORS
    sent_at = Column(DateTime(timezone=True), nullable=False)
    text = Column(EncryptedJSON, nullable=False)


@dataclass(frozen=True)
class Place:
    """Where a family's chat stands: its id, status, place in the queue (1 = next) and the
    expected wait in minutes (both None once a case worker has taken it)."""
    chat_id: int
    status: str
    position: int | None
    expected_minutes: int | None


@dataclass(frozen=True)
class Message:
    id: int
    author: str
    sent_at: datetime
    text: str


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


# --- who is available -----------------------------------------------------------------------

def set_available(session: Session, user_id: int, available: bool, now: datetime | None = None) -> None:
    """The case worker's own choice on the staff page (they are at the page either way)."""
    presence = session.get(CaseWorkerPresence, user_id)
    here = _now(now) + timedelta(minutes=PRESENCE_MINUTES)
    until = here if available else _now(now)
    if presence is None:
        session.add(CaseWorkerPresence(user_id=user_id, available_until=until, present_until=here))
    else:
        presence.available_until, presence.present_until = until, here
    session.flush()


def aware(moment: datetime | None) -> datetime | None:
    """A stored time with its zone (SQLite gives times back without one; they are UTC)."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def still_here(session: Session, user_id: int, now: datetime | None = None) -> bool:
    """The heartbeat of an open Chat page: the case worker is still there, and stays available if
    they were (not if they chose otherwise, or the page was away longer than ``PRESENCE_MINUTES``).
    Returns whether they are available for new chats."""
    now = _now(now)
    presence = session.get(CaseWorkerPresence, user_id)
    if presence is None:
        set_available(session, user_id, False, now)
        return False
    available = aware(presence.available_until) > now
    presence.present_until = now + timedelta(minutes=PRESENCE_MINUTES)
    if available:
        presence.available_until = presence.present_until
    session.flush()
    return available


def available_case_workers(session: Session, now: datetime | None = None) -> int:
    return session.execute(select(func.count()).select_from(CaseWorkerPresence)
                           .where(CaseWorkerPresence.available_until > _now(now))).scalar_one()


def office_open(session: Session, now: datetime | None = None) -> bool:
    """The coordinating unit's phone hours (editable by staff) are its chat hours too."""
    try:
        return is_open(get_contact(session, MAIN_CONTACT, "nb").hours, now)
    except UnknownContact:
        return False


def can_chat_now(session: Session, now: datetime | None = None) -> bool:
    """A live chat is offered only in opening hours with a case worker available; otherwise a callback."""
    return office_open(session, now) and available_case_workers(session, now) > 0


# --- the queue ------------------------------------------------------------------------------

def _current(session: Session, conversation: str) -> LiveChat | None:
    return session.execute(select(LiveChat).where(LiveChat.conversation == conversation, LiveChat.status != "ended")
                           .order_by(LiveChat.id.desc()).limit(1)).scalar_one_or_none()


def typical_minutes(session: Session, now: datetime | None = None) -> float:
    """The median length of the chats that ended lately (TYPICAL_CHAT_MINUTES until there are five)."""
    since = _now(now) - timedelta(days=MEASURED_OVER_DAYS)
    rows = session.execute(select(LiveChat.taken_at, LiveChat.ended_at).where(
        LiveChat.ended_at >= since, LiveChat.taken_at.is_not(None))).all()
    lengths = [(ended - taken).total_seconds() / 60 for taken, ended in rows]
    return statistics.median(lengths) if len(lengths) >= 5 else TYPICAL_CHAT_MINUTES


def place(session: Session, chat: LiveChat, now: datetime | None = None) -> Place:
    if chat.status != "waiting":
        return Place(chat.id, chat.status, None, None)
    ahead = session.execute(select(func.count()).select_from(LiveChat).where(
        LiveChat.status == "waiting", LiveChat.id < chat.id)).scalar_one()
    workers = max(1, available_case_workers(session, now))
    expected = round((ahead + 1) * typical_minutes(session, now) / workers)
    return Place(chat.id, chat.status, ahead + 1, max(1, expected))


def ask(session: Session, sender_id: str, language: str, topic: str | None = None, now: datetime | None = None) -> Place:
    """Put the conversation in the queue (once: asking again gives the same place)."""
    conversation = conversation_key(sender_id)
    chat = _current(session, conversation)
    if chat is None:
        chat = LiveChat(conversation=conversation, sender=sender_id, language=language,
                        topic=topic, status="waiting", queued_at=_now(now))
        try:
            with session.begin_nested():
                session.add(chat)
        except IntegrityError:  # the same conversation asked at the same moment: one chat
            chat = _current(session, conversation)
    return place(session, chat, now)


def any_open(session: Session) -> bool:
    """Whether any conversation has a chat waiting or with a case worker (a cheap first look)."""
    return session.execute(select(LiveChat.id).where(LiveChat.status != "ended").limit(1)).first() is not None


def current_chat(session: Session, sender_id: str) -> LiveChat | None:
    """The conversation's chat that has not ended, if any."""
    return _current(session, conversation_key(sender_id))


def waiting(session: Session) -> list[LiveChat]:
    """The queue, longest waiting first."""
    return list(session.execute(select(LiveChat).where(LiveChat.status == "waiting").order_by(LiveChat.id)).scalars())


def take(session: Session, chat_id: int, user_id: int, now: datetime | None = None) -> LiveChat:
    """One case worker takes a waiting chat; raises LiveChatError if another was first. Taking it
    says the case worker is here (their chat is not ended for want of them before their page's
    next heartbeat)."""
    taken = session.execute(update(LiveChat).where(LiveChat.id == chat_id, LiveChat.status == "waiting")
                            .values(status="active", taken_at=_now(now), case_worker_id=user_id)
                            .execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise LiveChatError("samtalen er allerede tatt eller avsluttet")
    still_here(session, user_id, now)
    chat = session.get(LiveChat, chat_id)
    session.refresh(chat)
    _tell_the_assistant(session, chat, "pause", _now(now))
    return chat


def _tell_the_assistant(session: Session, chat: LiveChat, event: str, now: datetime) -> None:
    """Pause the assistant in the chat's conversation, or resume it (Rasa's events)."""
    conversation_store.append(session, chat.sender, [{"event": event, "timestamp": now.timestamp()}], now)


def post(session: Session, chat_id: int, author: str, text: str, now: datetime | None = None) -> Message:
    """A message in a chat that has not ended; stored encrypted."""
    if author not in AUTHORS:
        raise ValueError(f"author must be one of {AUTHORS}")
    text = clean_message(text).strip()
    if not text or len(text) > MAX_MESSAGE_CHARS:
        raise LiveChatError(f"en melding må ha 1–{MAX_MESSAGE_CHARS} tegn")
    # Locked while the message is added: an end at the same moment comes before (refused) or after.
    status = session.execute(select(LiveChat.status).where(LiveChat.id == chat_id).with_for_update()).scalar_one_or_none()
    if status is None or status == "ended":
        raise LiveChatError("samtalen er avsluttet")
    message = LiveChatMessage(chat_id=chat_id, author=author, sent_at=_now(now), text=text)
    session.add(message)
    session.flush()
    return Message(message.id, author, message.sent_at, text)


def messages_after(session: Session, chat_id: int, after_id: int = 0) -> list[Message]:
    """The chat's messages after ``after_id``, oldest first, decrypted."""
    rows = session.execute(select(LiveChatMessage).where(LiveChatMessage.chat_id == chat_id, LiveChatMessage.id > after_id)
                           .order_by(LiveChatMessage.id)).scalars()
    return [Message(row.id, row.author, row.sent_at, row.text) for row in rows]


def end(session: Session, chat_id: int, by: str, now: datetime | None = None,
        only_if: tuple[str, ...] = ("waiting", "active")) -> LiveChat:
    """End a chat (idempotent: ending an ended chat changes nothing). ``only_if``: end it only in
    these states (the sweep ends a waiting chat for want of a case worker, not one just taken)."""
    if by not in ENDINGS:
        raise ValueError(f"by must be one of {ENDINGS}")
    chat = session.get(LiveChat, chat_id)
    if chat is None:
        raise LiveChatError("fant ikke samtalen")
    for _attempt in range(3):  # a take at the same moment comes either before (then resume) or is refused
        status = session.execute(select(LiveChat.status).where(LiveChat.id == chat_id).with_for_update()).scalar_one()
        if status == "ended" or status not in only_if:
            break
        ended = session.execute(update(LiveChat).where(LiveChat.id == chat_id, LiveChat.status == status)
                                .values(status="ended", ended_at=_now(now), ended_by=by)
                                .execution_options(synchronize_session=False)).rowcount
        if ended:
            if status == "active":
                _tell_the_assistant(session, chat, "resume", _now(now))
            break
    session.refresh(chat)
    return chat


def close_unattended(session: Session, now: datetime | None = None) -> int:
    """End the chats no one will take or answer: waiting ones when the office has closed or no case
    worker is available any more, and taken ones whose case worker has gone (no Chat page of theirs
    is open: its heartbeat stopped). The family is told why and offered a call back (the widget
    reads ``ended_by``). Each ends only in the state it was chosen in (a take at the same moment
    wins). Returns how many ended (the caller commits)."""
    now = _now(now)
    open_now = office_open(session, now)
    present = select(CaseWorkerPresence.user_id).where(CaseWorkerPresence.present_until > now)
    nobody_waits = not open_now or available_case_workers(session, now) == 0
    ending = []
    if nobody_waits:
        ending += [(chat_id, "office_closed" if not open_now else "no_case_worker", "waiting") for chat_id in session.execute(
            select(LiveChat.id).where(LiveChat.status == "waiting")).scalars()]
    ending += [(chat_id, "no_case_worker", "active") for chat_id in session.execute(
        select(LiveChat.id).where(LiveChat.status == "active", LiveChat.case_worker_id.not_in(present))).scalars()]
    ended = 0
    for chat_id, reason, state in ending:
        ended += end(session, chat_id, reason, now, only_if=(state,)).ended_by == reason
    return ended


def purge_ended(session: Session, retention_days: int, now: datetime | None = None) -> int:
    """Delete chats (with their messages) that ended, or were left waiting, longer ago than the
    retention period; returns how many chats went (the caller commits)."""
    cutoff = _now(now) - timedelta(days=retention_days)
    old = select(LiveChat.id).where(func.coalesce(LiveChat.ended_at, LiveChat.queued_at) < cutoff).scalar_subquery()
    session.execute(delete(LiveChatMessage).where(LiveChatMessage.chat_id.in_(old)).execution_options(synchronize_session=False))
    return session.execute(delete(LiveChat).where(LiveChat.id.in_(old)).execution_options(synchronize_session=False)).rowcount
