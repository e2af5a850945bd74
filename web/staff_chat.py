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
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from knowledge.applications.document import LANGUAGE_NAMES_NB
from knowledge.applications.models import Application
from knowledge.applications.store import view as application_view
from knowledge.handoff import live_chat, transcript
from knowledge.handoff.callback_wording import TIMES_NB
from knowledge.handoff.live_chat import CaseWorkerPresence, LiveChat, LiveChatError
from knowledge.offline import MAIN_CONTACT
from knowledge.phone_hours import describe_hours
from knowledge.queries import UnknownContact, get_contact, list_services
from knowledge.staff.models import StaffUser
from web.live_chat import look_by_id, stream_chat
from web.staff import check_csrf, in_db, require
from web.templates import render

logger = logging.getLogger(__name__)

HANDLING_NB = {"new": "Ny", "taken": "Tatt", "done": "Ferdig"}
ENDINGS_NB = {"family": "familien avsluttet", "case_worker": "saksbehandler avsluttet",
              "office_closed": "kontoret stengte", "no_case_worker": "ingen saksbehandler tilgjengelig"}
#: How many callbacks the queue lists (newest last among those not done; done ones after).
CALLBACKS_SHOWN = 300


def _language(code: str | None) -> str:
    return LANGUAGE_NAMES_NB.get(code or "", code or "ukjent")


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


def _titles(session: Session) -> dict[str, str]:
    return {service.key: service.title for service in list_services(session, "nb")}


def _waited(since: datetime, now: datetime) -> int:
    aware = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
    return max(0, int((now - aware).total_seconds() // 60))


def _overview(session: Session, user_id: int) -> dict:
    now = datetime.now(timezone.utc)
    titles = _titles(session)
    queue = [QueueRow(chat.id, position, _language(chat.language), titles.get(chat.topic or "", "ikke kjent"),
                      chat.queued_at, _waited(chat.queued_at, now))
             for position, chat in enumerate(live_chat.waiting(session), start=1)]
    mine = [(chat.id, _language(chat.language), titles.get(chat.topic or "", "ikke kjent"), chat.taken_at)
            for chat in session.execute(select(LiveChat).where(LiveChat.status == "active", LiveChat.case_worker_id == user_id)
                                        .order_by(LiveChat.id)).scalars()]
    presence = session.get(CaseWorkerPresence, user_id)
    until = presence.available_until if presence else None
    available = until is not None and (until if until.tzinfo else until.replace(tzinfo=timezone.utc)) > now
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
    data = await in_db(request, lambda session: _overview(session, user["user"]))
    return render(request, "staff/chat.html", title="Chat med familier", **data)


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


def _chat_page(session: Session, chat_id: int, user: dict) -> ChatPage | None:
    chat = session.get(LiveChat, chat_id)
    if chat is None:
        return None
    worker = session.get(StaffUser, chat.case_worker_id) if chat.case_worker_id else None
    messages = live_chat.messages_after(session, chat.id)
    return ChatPage(chat.id, chat.status, _language(chat.language), _titles(session).get(chat.topic or "", "ikke kjent"),
                    chat.queued_at, chat.taken_at, ENDINGS_NB.get(chat.ended_by or "") if chat.status == "ended" else None,
                    worker.username if worker else None, chat.case_worker_id == user["user"],
                    transcript.bot_conversation(session, chat.sender), messages, messages[-1].id if messages else 0)


def _chat_id(request: web.Request) -> int:
    return int(request.match_info["id"])


@require("case_worker")
async def chat_view(request: web.Request) -> web.Response:
    chat = await in_db(request, lambda session: _chat_page(session, _chat_id(request), request["user"]))
    if chat is None:
        return render(request, "staff/message.html", status=404, title="Fant ikke samtalen",
                      message="Samtalen finnes ikke. Den kan være slettet etter oppbevaringstiden.")
    return render(request, "staff/chat_view.html", title=f"Samtale {chat.id}", chat=chat,
                  error=request.query.get("feil") == "tatt")


@require("case_worker")
async def take(request: web.Request) -> web.Response:
    await check_csrf(request)
    chat_id = _chat_id(request)
    try:
        await in_db(request, lambda session: live_chat.take(session, chat_id, request["user"]["user"]))
    except LiveChatError:
        raise web.HTTPSeeOther(f"/staff/chat/{chat_id}?feil=tatt") from None
    logger.info("staff: took live chat %d", chat_id)
    raise web.HTTPSeeOther(f"/staff/chat/{chat_id}#melding")


def _may_write(session: Session, chat_id: int, user: dict) -> LiveChat:
    chat = session.get(LiveChat, chat_id)
    if chat is None or chat.status != "active":
        raise LiveChatError("samtalen er ikke aktiv")
    if chat.case_worker_id != user["user"] and user["role"] != "admin":
        raise LiveChatError("en annen saksbehandler har samtalen")
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
    chat_id = _chat_id(request)
    try:
        await in_db(request, lambda session: live_chat.end(session, chat_id, "case_worker"))
    except LiveChatError:
        raise web.HTTPNotFound() from None
    logger.info("staff: ended live chat %d", chat_id)
    raise web.HTTPSeeOther("/staff/chat")


@require("case_worker")
async def chat_events(request: web.Request) -> web.StreamResponse:
    return await stream_chat(request, look_by_id, _chat_id(request))


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


def _callbacks(session: Session) -> list[CallbackRow]:
    order = case((Application.handling == "done", 1), else_=0)
    found = session.execute(select(Application).where(Application.kind == "callback")
                            .order_by(order, Application.submitted_at).limit(CALLBACKS_SHOWN)).scalars().all()
    names = {user.id: user.username for user in session.execute(select(StaffUser)).scalars()}
    rows = []
    for application in found:
        stored = application_view(application)
        payload = stored.payload
        interpreter = payload.get("interpreter_language")
        rows.append(CallbackRow(
            stored.reference, stored.submitted_at, payload["guardian"].get("name") or "", payload["guardian"].get("phone") or "",
            TIMES_NB.get(payload.get("best_time"), payload.get("best_time") or "ikke oppgitt"), _language(payload.get("language")),
            f"Ja, {_language(interpreter)}" if payload.get("interpreter_needed") else "Nei", payload.get("topic") or "",
            (payload.get("service") or {}).get("title_nb"), application.handling or "new",
            names.get(application.handled_by_id), application.handled_at))
    return rows


@require("case_worker")
async def callbacks_page(request: web.Request) -> web.Response:
    rows = await in_db(request, _callbacks)
    return render(request, "staff/callbacks.html", title="Tilbakeringinger", rows=rows, handling_names=HANDLING_NB)


def _handle(session: Session, reference: str, to: str, user_id: int) -> bool:
    application = session.execute(select(Application).where(Application.reference == reference,
                                                            Application.kind == "callback")).scalar_one_or_none()
    if application is None:
        return False
    application.handling, application.handled_by_id, application.handled_at = to, user_id, datetime.now(timezone.utc)
    return True


@require("case_worker")
async def handle_callback(request: web.Request) -> web.Response:
    await check_csrf(request)
    reference, to = request.match_info["reference"], request.match_info["to"]
    if not await in_db(request, lambda session: _handle(session, reference, to, request["user"]["user"])):
        raise web.HTTPNotFound()
    logger.info("staff: callback %s marked %s", reference, to)
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
