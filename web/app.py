"""The web app (:8000): chat proxy, health, and the public page."""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import text

from knowledge.config import Settings, load_settings
from knowledge.db import default_engine
from knowledge.eligibility.parameters import use_database as use_published_parameters
from knowledge.language_detection import warm_up
from knowledge.throttle import ChatLimit
from web.background import background_work
from web.chat_proxy import UNREACHABLE, chat
from web.eligibility_api import add_routes as add_eligibility_routes
from web.feedback_api import add_routes as add_feedback_routes
from web.headers import add_headers
from web.live_chat import add_routes as add_live_chat_routes
from web.replicas import Replicas
from web.staff import add_routes as add_staff_routes
from web.widget import add_routes as add_widget_routes

STATIC_DIR = Path(__file__).resolve().parent / "static"


#: /health answers within this long even when the database hangs.
HEALTH_DATABASE_SECONDS = 1.0


def _database_state() -> str:
    """"ok" only when the database takes a write: a read-only or locked database cannot store an
    application, though it still answers SELECT 1. The write changes nothing and is rolled back."""
    with default_engine().connect() as connection:
        with connection.begin() as transaction:
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    return "ok"


async def _rasa_state(http: aiohttp.ClientSession, url: str) -> str:
    try:
        async with http.get(f"{url}/", timeout=aiohttp.ClientTimeout(total=3)) as response:
            return "ok" if response.status == 200 else f"http {response.status}"
    except UNREACHABLE:
        return "unavailable"


async def health(request: web.Request) -> web.Response:
    """Liveness of the web app and the state of what it depends on."""
    status = {"web": "ok"}
    try:
        status["database"] = await asyncio.wait_for(asyncio.to_thread(_database_state), HEALTH_DATABASE_SECONDS)
    except Exception:  # noqa: BLE001 - report, don't crash
        status["database"] = "unavailable"
    states = await asyncio.gather(*(_rasa_state(request.app["http"], url) for url in request.app["replicas"].urls))
    ok = states.count("ok")
    status["rasa"] = "ok" if ok == len(states) else "unavailable" if not ok else f"{ok} of {len(states)} replicas ok"
    healthy = status["database"] == "ok"
    return web.json_response(status, status=200 if healthy else 503)


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def _warm_language_models(app: web.Application) -> None:
    """The chat proxy's own reply names the language it detects; its models load in seconds, so
    before the first family rather than in front of one."""
    await asyncio.to_thread(warm_up)


async def _http_session(app: web.Application):
    app["http"] = aiohttp.ClientSession()
    yield
    await app["http"].close()


def create_app(settings: Settings | None = None, background: bool = True) -> web.Application:
    app = web.Application(client_max_size=256 * 1024)
    add_headers(app)  # first: every answer gets them
    app["settings"] = settings or load_settings()
    use_published_parameters(app["settings"].database_url)  # editors' published thresholds apply at once
    app.cleanup_ctx.append(_http_session)
    app.on_startup.append(_warm_language_models)
    if background:  # outbox retries and the retention job
        app.cleanup_ctx.append(background_work)
    app.router.add_get("/", index)
    app.router.add_get("/health", health)
    app.router.add_post("/api/chat", chat)
    app["chat_limit"] = ChatLimit(app["settings"].chat_limit_per_client)
    app["replicas"] = Replicas(app["settings"].rasa_urls)
    add_eligibility_routes(app)
    add_feedback_routes(app)
    add_live_chat_routes(app)
    add_staff_routes(app)
    add_widget_routes(app)
    app.router.add_static("/static/", STATIC_DIR)
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    web.run_app(create_app(settings), host=settings.web_host, port=settings.web_port, access_log=None)


if __name__ == "__main__":
    main()
