"""The case workers' side of a person in the chat: availability, the queue of live chats, the chat
itself, and the callbacks queue (``knowledge.handoff``). Only case workers and admins.

Availability is a heartbeat: while the Chat page is open and the case worker has said they are
available, its script confirms it every 30 seconds; closing the page ends it within two minutes.
The chat page follows the chat with the same server-sent events the family's widget uses, and
works without JavaScript (forms that post and reload). Every page is a template (autoescaped);
every form carries the CSRF token. Nothing a family or a case worker writes is logged.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from aiohttp import web
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from knowledge.applications.models import Application
from knowledge.applications.store import view as application_view
from knowledge.db import engine_for, new_session
from knowledge.handoff import live_chat, transcript
from knowledge.handoff.callback_wording import TIMES_NB
from knowledge.handoff.live_chat import CaseWorkerPresence, LiveChat, LiveChatError, aware
from knowledge.offline import MAIN_CONTACT
from knowledge.phone_hours import describe_hours
from knowledge.queries import UnknownContact, get_contact, staff_titles
from knowledge.staff import names
from knowledge.staff.models import StaffUser
from web.database import in_db
from web.live_chat import Snapshot, snapshot, stream_chat
from web.staff.auth import check_csrf, require
from web.staff.pages import render

logger = logging.getLogger(__name__)

#: The call-backs the queue lists: those not done (oldest first), and the latest done ones.
OPEN_SHOWN, DONE_SHOWN = 1000, 100


@dataclass(frozen=True)
class QueueRow:
    id: int
    position: int
    language: str
    topic: str
    queued_at: datetime
    waited_minutes: int


@dataclass(frozen=True)
class ChatPage:
    id: int
    status: str
    language: str
    topic: str
    queued_at: datetime
    taken_at: datetime | None
    ended: str | None
    case_worker: str | None
    mine: bool
    conversation: list[transcript.Line]
    messages: list[live_chat.Message]
    last_message_id: int


def _waited(since: datetime, now: datetime) -> int:
    return max(0, int((now - aware(since)).total_seconds() // 60))


def _overview(session: Session, user_id: int) -> dict:
    now = datetime.now(timezone.utc)
    titles = staff_titles(session)
    queue = [QueueRow(chat.id, position, names.language(chat.language), titles.get(chat.topic or "", "ikke kjent"),
                      chat.queued_at, _waited(chat.queued_at, now))
             for position, chat in enumerate(live_chat.waiting(session), start=1)]
    mine = [(chat.id, names.language(chat.language), titles.get(chat.topic or "", "ikke kjent"), chat.taken_at)
            for chat in session.execute(select(LiveChat).where(LiveChat.status == "active", LiveChat.case_worker_id == user_id)
                                        .order_by(LiveChat.id)).scalars()]
    presence = session.get(CaseWorkerPresence, user_id)
    until = presence.available_until if presence else None
    available = until is not None and aware(until) > now
    try:
        hours = describe_hours(get_contact(session, MAIN_CONTACT, "nb").hours, "nb")
    except UnknownContact:
        hours = "ikke registrert"
    new_callbacks = session.execute(select(func.count()).select_from(Application).where(
        Application.kind == "callback", Application.handling == "new")).scalar_one()
    return {"queue": queue, "mine": mine, "available": available, "office_open": live_chat.office_open(session, now),
            "hours": hours, "others": live_chat.available_case_workers(session, now) - (1 if available else 0),
            "new_callbacks": new_callbacks, "contact_key": MAIN_CONTACT}


@require("case_worker")
async def chat_page(request: web.Request) -> web.Response:
    user = request["user"]

    def look(session: Session) -> dict:
        live_chat.still_here(session, user["user"])  # a Chat page open: the case worker is here
        return _overview(session, user["user"])

    data = await in_db(request, look)
    return render(request, "staff/chat.html", title="Chat med familier", taken_first=request.query.get("feil") == "tatt", **data)


@require("case_worker")
async def queue_fragment(request: web.Request) -> web.Response:
    """The queue alone, for the page's script to refresh it in place."""
    user = request["user"]
    data = await in_db(request, lambda session: _overview(session, user["user"]))
    return render(request, "staff/chat_queue.html", **data)


@require("case_worker")
async def availability(request: web.Request) -> web.Response:
    form = await check_csrf(request)
    available = form.get("available") == "1"
    await in_db(request, lambda session: live_chat.set_available(session, request["user"]["user"], available))
    logger.info("staff: chat availability=%s", available)
    raise web.HTTPSeeOther("/staff/chat")


@require("case_worker")
async def heartbeat(request: web.Request) -> web.Response:
    """An open Chat page says the case worker is still there (their chats go on), and keeps them
    available for new chats if they were."""
    await check_csrf(request)
    user_id = request["user"]["user"]
    return web.json_response({"available": await in_db(request, lambda session: live_chat.still_here(session, user_id))})


def may_see(chat: LiveChat, user: dict) -> bool:
    """A waiting chat (to read before taking it), the case worker's own, or any for an admin."""
    return chat.status == "waiting" or chat.case_worker_id == user["user"] or user["role"] == "admin"


def _allowed(session: Session, chat_id: int, user: dict) -> LiveChat | None:
    chat = session.get(LiveChat, chat_id)
    return chat if chat is not None and may_see(chat, user) else None


def _chat_page(session: Session, chat_id: int, user: dict) -> ChatPage | None:
    chat = _allowed(session, chat_id, user)
    if chat is None:
        return None
    live_chat.still_here(session, user["user"])
    worker = session.get(StaffUser, chat.case_worker_id) if chat.case_worker_id else None
    messages = live_chat.messages_after(session, chat.id)
    return ChatPage(chat.id, chat.status, names.language(chat.language), staff_titles(session).get(chat.topic or "", "ikke kjent"),
                    chat.queued_at, chat.taken_at, names.CHAT_ENDINGS.get(chat.ended_by or "") if chat.status == "ended" else None,
                    worker.username if worker else None, chat.case_worker_id == user["user"],
                    transcript.bot_conversation(session, chat.sender), messages, messages[-1].id if messages else 0)


def _chat_id(request: web.Request) -> int:
    return int(request.match_info["id"])


@require("case_worker")
async def chat_view(request: web.Request) -> web.Response:
    chat = await in_db(request, lambda session: _chat_page(session, _chat_id(request), request["user"]))
    if chat is None:
        return render(request, "staff/message.html", status=404, title="Fant ikke samtalen",
                      message="Samtalen finnes ikke, en annen saksbehandler har den, eller den er slettet etter "
                              "oppbevaringstiden.", back="/staff/chat")
    return render(request, "staff/chat_view.html", title=f"Samtale {chat.id}", chat=chat)


@require("case_worker")
async def take(request: web.Request) -> web.Response:
    await check_csrf(request)
    chat_id = _chat_id(request)
    try:
        await in_db(request, lambda session: live_chat.take(session, chat_id, request["user"]["user"]))
    except LiveChatError:
        raise web.HTTPSeeOther("/staff/chat?feil=tatt") from None
    logger.info("staff: took live chat %d", chat_id)
    raise web.HTTPSeeOther(f"/staff/chat/{chat_id}#melding")


def _may_write(session: Session, chat_id: int, user: dict) -> LiveChat:
    """The case worker who has the chat writes in it and ends it (and an admin)."""
    chat = session.get(LiveChat, chat_id)
    if chat is None or chat.status != "active":
        raise LiveChatError("samtalen er ikke aktiv")
    if chat.case_worker_id != user["user"] and user["role"] != "admin":
        raise LiveChatError("en annen saksbehandler har samtalen")
    live_chat.still_here(session, user["user"])
    return chat


@require("case_worker")
async def write(request: web.Request) -> web.Response:
    """The case worker's message; the page's script posts it and stays, a page without script reloads."""
    form = await check_csrf(request)
    chat_id, text = _chat_id(request), str(form.get("text", ""))
    wants_json = "application/json" in request.headers.get("Accept", "")

    def post(session: Session) -> int:
        _may_write(session, chat_id, request["user"])
        return live_chat.post(session, chat_id, "case_worker", text).id

    try:
        message_id = await in_db(request, post)
    except LiveChatError as error:
        if wants_json:
            return web.json_response({"error": str(error)}, status=409)
        return render(request, "staff/message.html", status=409, title="Meldingen ble ikke sendt",
                      message=f"Meldingen ble ikke sendt: {error}.", back=f"/staff/chat/{chat_id}")
    if wants_json:
        return web.json_response({"id": message_id}, status=201)
    raise web.HTTPSeeOther(f"/staff/chat/{chat_id}#melding")


@require("case_worker")
async def finish(request: web.Request) -> web.Response:
    await check_csrf(request)
    chat_id, user = _chat_id(request), request["user"]

    def end(session: Session) -> None:
        _may_write(session, chat_id, user)
        live_chat.end(session, chat_id, "case_worker")

    try:
        await in_db(request, end)
    except LiveChatError as error:
        return render(request, "staff/message.html", status=409, title="Samtalen ble ikke avsluttet",
                      message=f"Samtalen ble ikke avsluttet: {error}.", back="/staff/chat")
    logger.info("staff: user=%s ended live chat %d", user["user"], chat_id)
    raise web.HTTPSeeOther("/staff/chat")


@require("case_worker")
async def chat_events(request: web.Request) -> web.StreamResponse:
    chat_id, user = _chat_id(request), request["user"]
    if await in_db(request, lambda session: _allowed(session, chat_id, user)) is None:
        raise web.HTTPNotFound()

    def look(_chat_id: int | None, after: int) -> Snapshot:
        """Checked on every look: a chat a colleague takes while this page previews it stops here."""
        with new_session(engine_for(request.app["settings"].database_url)) as session:
            return snapshot(session, _allowed(session, chat_id, user), after)

    return await stream_chat(request, look, chat_id)


# --- callbacks ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CallbackRow:
    reference: str
    submitted_at: datetime
    name: str
    phone: str
    best_time: str
    language: str
    interpreter: str
    topic: str
    service: str | None
    handling: str
    handled_by: str | None
    handled_at: datetime | None


def _row(application: Application, staff: dict[int, str]) -> CallbackRow:
    stored = application_view(application)
    payload = stored.payload
    interpreter = payload.get("interpreter_language")
    return CallbackRow(
        stored.reference, stored.submitted_at, payload["guardian"].get("name") or "", payload["guardian"].get("phone") or "",
        TIMES_NB.get(payload.get("best_time"), payload.get("best_time") or "ikke oppgitt"), names.language(payload.get("language")),
        f"Ja, {names.language(interpreter)}" if payload.get("interpreter_needed") else "Nei", payload.get("topic") or "",
        (payload.get("service") or {}).get("title_nb"), application.handling or "new",
        staff.get(application.handled_by_id), application.handled_at)


def _callbacks(session: Session) -> dict:
    """Every call-back not done yet, oldest first; then the latest done ones, newest first."""
    callbacks = select(Application).where(Application.kind == "callback")
    open_ones = session.execute(callbacks.where(Application.handling != "done").order_by(Application.submitted_at)
                                .limit(OPEN_SHOWN)).scalars().all()
    done = session.execute(callbacks.where(Application.handling == "done").order_by(Application.handled_at.desc())
                           .limit(DONE_SHOWN + 1)).scalars().all()
    staff = {user.id: user.username for user in session.execute(select(StaffUser)).scalars()}
    return {"rows": [_row(application, staff) for application in open_ones],
            "done": [_row(application, staff) for application in done[:DONE_SHOWN]],
            "more_done": len(done) > DONE_SHOWN, "done_shown": DONE_SHOWN}


@require("case_worker")
async def callbacks_page(request: web.Request) -> web.Response:
    lists = await in_db(request, _callbacks)
    return render(request, "staff/callbacks.html", title="Tilbakeringinger", handling_names=names.HANDLING,
                  conflict=request.query.get("feil") == "endret", **lists)


def _handle(session: Session, reference: str, to: str, expected: str, user_id: int) -> bool | None:
    """Move a call-back from ``expected`` to ``to`` (who and when; "new" again forgets them). Only
    from the state the case worker saw: two who tap "Ta" at once cannot both take it. None: no
    such call-back; False: someone changed it first."""
    if session.execute(select(Application.id).where(Application.reference == reference,
                                                    Application.kind == "callback")).scalar_one_or_none() is None:
        return None
    who, when = (None, None) if to == "new" else (user_id, datetime.now(timezone.utc))
    changed = session.execute(update(Application).where(Application.reference == reference, Application.kind == "callback",
                                                        func.coalesce(Application.handling, "new") == expected)
                              .values(handling=to, handled_by_id=who, handled_at=when)
                              .execution_options(synchronize_session=False)).rowcount
    return changed == 1


@require("case_worker")
async def handle_callback(request: web.Request) -> web.Response:
    form = await check_csrf(request)
    reference, to, expected = request.match_info["reference"], request.match_info["to"], str(form.get("from", ""))
    changed = await in_db(request, lambda session: _handle(session, reference, to, expected, request["user"]["user"]))
    if changed is None:
        raise web.HTTPNotFound()
    if not changed:
        raise web.HTTPSeeOther(f"/staff/callbacks?feil=endret#{reference}")
    logger.info("staff: user=%s marked callback %s %s", request["user"]["user"], reference, to)
    raise web.HTTPSeeOther(f"/staff/callbacks#{reference}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/chat", chat_page)
    app.router.add_get("/staff/chat/queue", queue_fragment)
    app.router.add_post("/staff/chat/availability", availability)
    app.router.add_post("/staff/chat/presence", heartbeat)
    app.router.add_get(r"/staff/chat/{id:\d{1,9}}", chat_view)
    app.router.add_post(r"/staff/chat/{id:\d{1,9}}/take", take)
    app.router.add_post(r"/staff/chat/{id:\d{1,9}}/messages", write)
    app.router.add_post(r"/staff/chat/{id:\d{1,9}}/end", finish)
    app.router.add_get(r"/staff/chat/{id:\d{1,9}}/events", chat_events)
    app.router.add_get("/staff/callbacks", callbacks_page)
    app.router.add_post(r"/staff/callbacks/{reference:VV-\d{4}-[A-Z0-9]{6}}/{to:taken|done|new}", handle_callback)
