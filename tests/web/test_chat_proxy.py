"""The web app's chat proxy: validation, and a message instead of silence when Rasa cannot answer."""
from __future__ import annotations

import asyncio
import os
import re
import socket
import time
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from knowledge.config import load_settings
from knowledge.text import MAX_MESSAGE_CHARS
from web.app import create_app

SENDER = "widget-test-0001"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def client_for(rasa_url: str, background: bool = True) -> TestClient:
    settings = load_settings({**os.environ, "VEIVISER_RASA_URLS": rasa_url})
    client = TestClient(TestServer(create_app(settings, background=background)))
    await client.start_server()
    return client


async def fake_rasa(replies, delay: float = 0.0, seen: list | None = None) -> tuple[web.AppRunner, str]:
    """A stand-in that answers like Rasa does when its action server is down ([] ), or hangs for ``delay``."""
    async def webhook(request):
        if seen is not None:
            seen.append(await request.json())
        await asyncio.sleep(delay)
        return web.json_response(replies)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/", lambda _request: web.Response(text="Hello from Rasa"))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("message,metadata,expected", [
    ("Hva er avlastning?", {}, "Veiviser kan ikke svare akkurat nå"),
    ("What is relief care?", {}, "Veiviser cannot answer right now"),
    ("ما هي الرعاية المؤقتة؟", {}, "Veiviser"),
    ("anything", {"language": "ti"}, "Veiviser"),
])
async def test_rasa_unreachable_gives_a_message_in_the_users_language(message, metadata, expected):
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        response = await client.post("/api/chat", json={"sender": SENDER, "message": message, "metadata": metadata})
        assert response.status == 200
        replies = await response.json()
        assert expected in replies[0]["text"] and "94 83 72 85" in replies[0]["text"]
    finally:
        await client.close()


async def test_empty_rasa_answer_becomes_a_message():
    runner, url = await fake_rasa([])
    client = await client_for(url)
    try:
        replies = await (await client.post("/api/chat", json={"sender": SENDER, "message": "What is BPA?"})).json()
        assert "Veiviser cannot answer right now" in replies[0]["text"]
    finally:
        await client.close()
        await runner.cleanup()


async def test_rasa_answers_are_passed_through():
    runner, url = await fake_rasa([{"recipient_id": SENDER, "text": "hei"}])
    client = await client_for(url)
    try:
        replies = await (await client.post("/api/chat", json={"sender": SENDER, "message": "hei"})).json()
        assert replies == [{"recipient_id": SENDER, "text": "hei"}]
    finally:
        await client.close()
        await runner.cleanup()


@pytest.mark.parametrize("body,status", [
    ({"message": "hei"}, 400),
    ({"sender": "x", "message": "hei"}, 400),
    ({"sender": SENDER, "message": 12}, 400),
    ({"sender": SENDER, "message": "hei", "metadata": "en"}, 400),
    ({"sender": SENDER, "message": "a" * (MAX_MESSAGE_CHARS + 1)}, 413),
    ({"sender": SENDER + "\n", "message": "hei"}, 400),
    ([1, 2], 400),
])
async def test_bad_requests_are_refused_clearly(body, status):
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        response = await client.post("/api/chat", json=body)
        assert response.status == status
    finally:
        await client.close()


async def test_health_reports_rasa_down_but_database_up():
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        response = await client.get("/health")
        assert response.status == 200
        assert await response.json() == {"web": "ok", "database": "ok", "rasa": "unavailable"}
    finally:
        await client.close()


def test_a_text_rasa_split_at_blank_lines_is_one_message_again():
    from web.chat_proxy import rejoin_texts

    split = [{"recipient_id": "a", "text": "Title"}, {"recipient_id": "a", "text": "First paragraph."},
             {"recipient_id": "a", "text": "Last.", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
             {"recipient_id": "a", "custom": {"type": "service_card"}}, {"recipient_id": "a", "text": "After the card"}]
    assert rejoin_texts(split) == [
        {"recipient_id": "a", "text": "Title\n\nFirst paragraph."},
        {"recipient_id": "a", "text": "Last.", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
        {"recipient_id": "a", "custom": {"type": "service_card"}}, {"recipient_id": "a", "text": "After the card"}]


async def test_a_frozen_rasa_still_gives_the_family_a_reply_within_five_seconds():
    """Python 3.10's asyncio.TimeoutError is not TimeoutError: the proxy must catch both."""
    runner, url = await fake_rasa([], delay=60)
    client = await client_for(url)
    try:
        started = time.monotonic()
        response = await client.post("/api/chat", json={"sender": SENDER, "message": "Hva er avlastning?",
                                                         "metadata": {"replied_in": "nb"}})
        assert response.status == 200 and time.monotonic() - started < 5
        assert "Veiviser kan ikke svare akkurat nå" in (await response.json())[0]["text"]
    finally:
        await client.close()
        await runner.cleanup()


async def test_a_broken_emoji_and_control_characters_are_cleaned_at_the_door():
    seen: list = []
    runner, url = await fake_rasa([{"recipient_id": SENDER, "text": "ok"}], seen=seen)
    client = await client_for(url)
    try:
        body = '{"sender": "' + SENDER + '", "message": "hjelp \\ud83d til\\u0000 s\\u00f8nnen min\\r\\n"}'
        response = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
        assert response.status == 200
        assert seen[0]["message"] == "hjelp \ufffd til sønnen min\n"
    finally:
        await client.close()
        await runner.cleanup()


def test_the_widget_and_the_web_app_share_one_message_limit():
    widget = (Path(__file__).resolve().parents[2] / "web" / "static" / "widget" / "veiviser.js").read_text(encoding="utf-8")
    assert int(re.search(r"const MAX_INPUT = (\d+);", widget).group(1)) == MAX_MESSAGE_CHARS
    assert f"only the first {MAX_MESSAGE_CHARS} characters" in widget


@pytest.mark.parametrize("data,content_type,status", [
    ('{"sender": "' + SENDER + '", "message": "hei"}', "text/plain", 415),  # a cross-site form cannot post
    ('{"sender": "' + SENDER + '", "message": "hei"}', "application/json; charset=utf-16", 400),
    ("[" * 50_000 + "]" * 50_000, "application/json", 400),
    ('{"sender": "' + SENDER + '", "message": NaN}', "application/json", 400),
])
async def test_malformed_chat_bodies_get_a_clear_4xx(data, content_type, status):
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        response = await client.post("/api/chat", data=data.encode(), headers={"Content-Type": content_type})
        assert response.status == status
    finally:
        await client.close()


async def test_every_area_has_its_security_headers_and_no_server_version():
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    try:
        page = await client.get("/")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"] and page.headers["X-Frame-Options"] == "DENY"
        api = await client.post("/api/chat", json={"sender": "x"})
        assert api.status == 400 and api.headers["Content-Security-Policy"].startswith("default-src 'none'")
        widget = await client.get("/static/widget/veiviser.js")
        assert widget.headers["X-Content-Type-Options"] == "nosniff" and "X-Frame-Options" not in widget.headers
        for response in (page, api, widget, await client.get("/staff/login"), await client.get("/health")):
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Server"] == "Veiviser", response.headers["Server"]
    finally:
        await client.close()


async def test_health_says_the_database_is_unavailable_when_it_cannot_take_a_write():
    """A locked database still answers SELECT 1, but cannot store an application."""
    settings = load_settings()
    client = await client_for(f"http://127.0.0.1:{free_port()}")
    if settings.database_url.startswith("sqlite"):
        import sqlite3

        lock = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=1)
        lock.execute("BEGIN EXCLUSIVE")
    else:  # PostgreSQL (VEIVISER_TEST_DATABASE=postgresql): reads go on, writes wait
        from sqlalchemy import text

        from knowledge.db import engine_for

        lock = engine_for(settings.database_url).connect()
        lock.begin()
        lock.execute(text("LOCK TABLE alembic_version IN EXCLUSIVE MODE"))
    try:
        started = time.monotonic()
        response = await client.get("/health")
        assert response.status == 503 and (await response.json())["database"] == "unavailable"
        assert time.monotonic() - started < 5
    finally:
        lock.rollback()
        lock.close()
        await client.close()


async def test_a_replica_that_cannot_be_reached_is_passed_over_for_the_next():
    runner, url = await fake_rasa([{"recipient_id": SENDER, "text": "from the second replica"}])
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = load_settings({**os.environ, "VEIVISER_RASA_URLS": f"{dead},{url}",
                              "VEIVISER_REDIS_URL": "redis://127.0.0.1:1/0"})
    client = TestClient(TestServer(create_app(settings, background=False)))
    await client.start_server()
    try:
        senders = [f"{SENDER}-{n}" for n in range(6)]
        for sender in senders:  # whichever replica each conversation belongs to
            response = await client.post("/api/chat", json={"sender": sender, "message": "hei"})
            assert [m.get("text") for m in await response.json()] == ["from the second replica"]
        health = await (await client.get("/health")).json()
        assert health["rasa"] == "1 of 2 replicas ok"
    finally:
        await client.close()
        await runner.cleanup()


async def test_a_replica_that_took_the_message_but_did_not_answer_is_not_asked_twice():
    seen_slow, seen_other = [], []
    slow_runner, slow = await fake_rasa([], delay=60, seen=seen_slow)
    other_runner, other = await fake_rasa([{"recipient_id": SENDER, "text": "other"}], seen=seen_other)
    settings = load_settings({**os.environ, "VEIVISER_RASA_URLS": f"{slow},{other}",
                              "VEIVISER_REDIS_URL": "redis://127.0.0.1:1/0", "VEIVISER_RASA_TIMEOUT": "1"})
    client = TestClient(TestServer(create_app(settings, background=False)))
    await client.start_server()
    try:
        sender = next(s for s in (f"{SENDER}-{n}" for n in range(50)) if client.app["replicas"].order_for(s)[0] == slow)
        response = await client.post("/api/chat", json={"sender": sender, "message": "Send søknaden"})
        assert "Veiviser" in (await response.json())[0]["text"]  # the phone, not a second send
        assert len(seen_slow) == 1 and seen_other == []
        response = await client.post("/api/chat", json={"sender": sender, "message": "hei"})  # the next goes on
        assert [m.get("text") for m in await response.json()] == ["other"]
    finally:
        await client.close()
        await slow_runner.cleanup()
        await other_runner.cleanup()


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted_and_nobody_else_can_choose_it():
    from aiohttp.test_utils import make_mocked_request

    from web.client_address import client_address

    def address(remote: str, forwarded: str, trusted: str) -> str:
        app = web.Application()
        app["settings"] = load_settings({**os.environ, "VEIVISER_TRUSTED_PROXIES": trusted})
        request = make_mocked_request("POST", "/api/chat", headers={"X-Forwarded-For": forwarded}, app=app)
        return client_address(request.clone(remote=remote))

    assert address("10.0.0.2", "203.0.113.7, 198.51.100.9", "10.0.0.2") == "198.51.100.9"  # what our proxy saw
    assert address("192.0.2.1", "198.51.100.9", "10.0.0.2") == "192.0.2.1"  # not our proxy: the header is ignored
    assert address("10.0.0.2", "not an address", "10.0.0.2") == "10.0.0.2"
    with pytest.raises(Exception, match="VEIVISER_TRUSTED_PROXIES"):
        load_settings({**os.environ, "VEIVISER_TRUSTED_PROXIES": "proxy.example"})
