"""The family's side of a live chat with a case worker (``knowledge.handoff.live_chat``).

The widget listens to ``GET /api/live/{sender}/events`` (server-sent events: ``state`` with the
chat's id, status, place in the queue and expected wait, and ``ended_by`` at the end; ``message``
for each message) and sends the family's messages to
``POST /api/live/{sender}/messages``; ``POST /api/live/{sender}/end`` leaves the queue or ends the chat. A message sent to the assistant while a case worker has the
conversation goes to the case worker too (``passed_to_case_worker``): the assistant is paused
then, and would answer nothing. The stream reads the database every half second, so a message
reaches the other side within a second whichever web process each side is connected to.
Nothing of what is written is logged.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from time import monotonic
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from knowledge.applications.store import conversation_key
from knowledge.db import new_session
from knowledge.handoff import live_chat
from knowledge.handoff.live_chat import LiveChat, LiveChatError, Message
from knowledge.handoff.transcript import TAPPED
from knowledge.text import neutral_direction
from web.json_body import bad_request, json_object
from web.sender import SENDER_RULE, is_sender

logger = logging.getLogger(__name__)

#: How often a stream looks for news (a message reaches the other side within a second).
POLL_SECONDS = 0.5
#: A stream ends after this long; the browser's EventSource reconnects and says where it was.
STREAM_SECONDS = 300
#: Whether a case worker has the conversation is looked up for at most this long before the
#: assistant is asked anyway (a locked or unreachable database must not hold up every turn).
PASS_ON_SECONDS = 0.3
#: A comment line this often keeps proxies from closing a quiet stream.
KEEP_ALIVE_SECONDS = 15


@dataclass
class Snapshot:
    """A chat as one look at the database finds it."""
    chat_id: int | None
    state: dict[str, Any] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)


def snapshot(session, chat: LiveChat | None, after: int) -> Snapshot:
    """A chat's state and its messages after ``after`` (the status "none" when there is no chat to show)."""
    if chat is None:
        return Snapshot(None, {"status": "none"})
    state = asdict(live_chat.place(session, chat))
    if chat.status == "ended":
        state["ended_by"] = chat.ended_by
    return Snapshot(chat.id, state, live_chat.messages_after(session, chat.id, after))


def _look(sender: str, chat_id: int | None, after: int) -> Snapshot:
    """The chat ``chat_id`` (after a reconnect: also once it has ended), else the conversation's open one."""
    with new_session() as session:
        chat = session.get(LiveChat, chat_id) if chat_id else None
        if chat is None or chat.conversation != conversation_key(sender):
            chat = live_chat.current_chat(session, sender)
        return snapshot(session, chat, after)


Look = Callable[[int | None, int], Snapshot]


def _sender(request: web.Request) -> str:
    sender = request.match_info["sender"]
    if not is_sender(sender):
        raise bad_request(SENDER_RULE)
    return sender


def _event(name: str, data: dict[str, Any], event_id: int | None = None) -> bytes:
    lines = [f"event: {name}"] + ([f"id: {event_id}"] if event_id is not None else [])
    return ("\n".join([*lines, f"data: {json.dumps(data, ensure_ascii=False)}"]) + "\n\n").encode()


async def events(request: web.Request) -> web.StreamResponse:
    """What is new in the family's chat, as server-sent events: ``state`` (waiting with place and
    expected minutes, active, ended), ``message`` (id, author, text, time) and, once, ``ended``."""
    sender = _sender(request)
    return await stream_chat(request, lambda chat_id, after: _look(sender, chat_id, after))


async def stream_chat(request: web.Request, look: Look, chat_id: int | None = None) -> web.StreamResponse:
    """A chat as server-sent events, for the family's widget and the case worker's page alike;
    ``look`` reads it (``?after=`` or ``Last-Event-ID`` say where a reconnect was). The family's
    stream names its chat with ``?chat=`` (``look`` checks it is theirs); the case worker's page
    gives ``chat_id``, the one its route allowed, and no query changes it."""
    try:
        after = int(request.headers.get("Last-Event-ID") or request.query.get("after") or 0)
        if chat_id is None and "chat" in request.query:
            chat_id = int(request.query["chat"])
    except ValueError:
        raise bad_request("after and chat must be whole numbers") from None
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    try:
        await _stream(response, look, chat_id, after)
    except ConnectionResetError:  # the page was closed
        pass
    return response


#: How soon a browser reconnects after a stream ends (each ends after STREAM_SECONDS, or with a restart).
RECONNECT_MS = 1000


async def _stream(response: web.StreamResponse, look: Look, chat_id: int | None, after: int) -> None:
    shown, started, quiet_since = None, monotonic(), monotonic()
    await response.write(f"retry: {RECONNECT_MS}\n\n".encode())
    while monotonic() - started < STREAM_SECONDS:
        try:
            snapshot = await asyncio.to_thread(look, chat_id, after)
        except SQLAlchemyError as error:
            logger.warning("live chat: database unavailable (%s)", type(error).__name__)
            await response.write(_event("state", {"status": "unavailable"}))
            break
        chat_id = snapshot.chat_id
        for message in snapshot.messages:
            after = message.id
            sent_at = live_chat.aware(message.sent_at)
            await response.write(_event("message", {"id": message.id, "author": message.author,
                                                    "text": neutral_direction(message.text),
                                                    "sent_at": sent_at.isoformat()}, message.id))
            quiet_since = monotonic()
        if snapshot.state != shown:  # after the messages: "ended" is the last thing a stream says
            shown = snapshot.state
            await response.write(_event("state", shown))
            quiet_since = monotonic()
        if shown.get("status") in ("none", "ended"):
            await response.write(b"retry: 3600000\n\n")  # nothing more will come: a browser need not reconnect
            break
        if monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
            await response.write(b": still here\n\n")
            quiet_since = monotonic()
        await asyncio.sleep(POLL_SECONDS)


def _family_writes(session, sender: str, text: str) -> int | None:
    """The one way a family's message goes into its chat: only while a case worker has it (while
    waiting, the assistant still answers); a tapped button goes as "tapped a button", never as its
    payload. Returns the message's id, or None when there is no such chat."""
    chat = live_chat.current_chat(session, sender)
    if chat is None or chat.status != "active":
        return None
    message = live_chat.post(session, chat.id, "family", TAPPED if text.lstrip().startswith("/") else text)
    session.commit()
    return message.id


def _post(sender: str, text: str) -> int:
    with new_session() as session:
        message_id = _family_writes(session, sender, text)
        if message_id is None:
            raise LiveChatError("no chat")
        return message_id


async def send(request: web.Request) -> web.Response:
    """The family's message in its chat (waiting or with a case worker)."""
    sender, body = _sender(request), await json_object(request)
    text = body.get("text")
    if not isinstance(text, str):
        raise bad_request("text must be a string")
    try:
        message_id = await asyncio.to_thread(_post, sender, text)
    except SQLAlchemyError as error:
        logger.warning("live chat: a message could not be stored (%s)", type(error).__name__)
        return web.json_response({"error": "the message could not be sent just now; try again"}, status=503)
    except LiveChatError:
        return web.json_response({"error": "no case worker has this conversation now, or the text is empty or too long"},
                                 status=409)
    return web.json_response({"id": message_id}, status=201)


def _leave(sender: str) -> bool:
    with new_session() as session:
        chat = live_chat.current_chat(session, sender)
        if chat is None:
            return False
        live_chat.end(session, chat.id, "family")
        session.commit()
        return True


async def leave(request: web.Request) -> web.Response:
    """The family leaves the queue, or ends the chat with the case worker; the assistant answers again."""
    sender = _sender(request)
    try:
        ended = await asyncio.to_thread(_leave, sender)
    except SQLAlchemyError as error:
        logger.warning("live chat: could not end a chat (%s)", type(error).__name__)
        return web.json_response({"error": "the chat could not be ended just now; try again"}, status=503)
    return web.json_response({"ended": ended})


#: "Start over" in the widget: the family leaves the chat, and the assistant starts afresh.
START_OVER = "/restart"


def _pass_on(sender: str, text: str) -> bool:
    with new_session() as session:
        chat = live_chat.current_chat(session, sender)
        if chat is None:
            return False
        if text.strip() == START_OVER:
            live_chat.end(session, chat.id, "family")
            session.commit()
            return False  # and on to the assistant, which forgets the conversation
        if not text.strip():
            return False
        return _family_writes(session, sender, text) is not None


#: Whether any conversation has an open chat is looked up at most this often per web process; a
#: turn looks for its own chat only when one has. (Looking on every turn cost a tenth of the two
#: replicas' throughput in `make bench`.)
ANY_OPEN_SECONDS = 1.0


class _OpenChats:
    """The last answer to "is any chat open?", and when it was given."""
    looked_at = float("-inf")
    any = False


def _any_open() -> bool:
    with new_session() as session:
        return live_chat.any_open(session)


async def _some_chat_is_open() -> bool:
    if monotonic() - _OpenChats.looked_at >= ANY_OPEN_SECONDS:
        try:
            _OpenChats.any = await asyncio.wait_for(asyncio.to_thread(_any_open), PASS_ON_SECONDS)
        except (SQLAlchemyError, asyncio.TimeoutError):
            _OpenChats.any = False  # the database cannot say: the assistant answers as usual
        _OpenChats.looked_at = monotonic()
    return _OpenChats.any


async def passed_to_case_worker(sender: str, text: str, surely: bool = False) -> bool:
    """True when a case worker has this conversation and the message went to them, not to the
    assistant. Asked before the assistant (the pause event the assistant reads may arrive late),
    when some chat is open (looked up once a second); and with ``surely``, whatever that says, once
    the paused assistant has answered nothing. False when there is no such chat, for "Start over"
    (which ends the chat), or when the database cannot say (the assistant answers as usual)."""
    if not surely and not await _some_chat_is_open():
        return False
    try:
        return await asyncio.wait_for(asyncio.to_thread(_pass_on, sender, text), PASS_ON_SECONDS)
    except (SQLAlchemyError, LiveChatError, asyncio.TimeoutError):
        return False


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/live/{sender}/events", events)
    app.router.add_post("/api/live/{sender}/messages", send)
    app.router.add_post("/api/live/{sender}/end", leave)
