"""The family's side of a live chat in the web app: the event stream (place in the queue, a person
takes it, messages both ways, the end), the family's messages, and a message to the paused
assistant that goes to the case worker instead of getting "cannot answer"."""
from __future__ import annotations

import asyncio
import json
import secrets

import pytest

from knowledge.db import new_session
from knowledge.handoff import live_chat
from knowledge.handoff.live_chat import LiveChat
from knowledge.staff.accounts import create_user
from tests.web.test_chat_proxy import client_for, fake_rasa


def in_queue(sender: str, language: str = "en") -> int:
    with new_session() as session:
        chat_id = live_chat.ask(session, sender, language, "relief_care").chat_id
        session.commit()
        return chat_id


def taken(chat_id: int) -> int:
    with new_session() as session:
        worker = create_user(session, f"cw-{secrets.token_hex(4)}", secrets.token_urlsafe(16), "case_worker").id
        live_chat.take(session, chat_id, worker)
        session.commit()
        return worker


def written_by_case_worker(chat_id: int, text: str) -> None:
    with new_session() as session:
        live_chat.post(session, chat_id, "case_worker", text)
        session.commit()


def ended(chat_id: int) -> None:
    with new_session() as session:
        live_chat.end(session, chat_id, "case_worker")
        session.commit()


async def read_events(response, until: str, seconds: float = 5) -> list[tuple[str, dict]]:
    """Server-sent events until one named ``until`` (or the stream ends)."""
    found, name = [], None

    async def read() -> None:
        nonlocal name
        async for raw in response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                found.append((name, json.loads(line[6:])))
                if name == until or (name == "state" and found[-1][1].get("status") == until):
                    return
    await asyncio.wait_for(read(), seconds)
    return found


async def test_the_family_sees_its_place_a_person_taking_over_messages_both_ways_and_the_end(empty_queue):
    runner, rasa_url = await fake_rasa([])
    client = await client_for(rasa_url, background=False)  # no sweep: these chats have no case worker present
    sender = f"family{secrets.token_hex(6)}"
    try:
        chat_id = in_queue(sender)
        response = await client.get(f"/api/live/{sender}/events")
        assert response.headers["Content-Type"].startswith("text/event-stream")
        first = await read_events(response, "waiting")
        assert first[-1] == ("state", {"chat_id": chat_id, "status": "waiting", "position": 1, "expected_minutes": 8})

        taken(chat_id)
        assert (await read_events(response, "active"))[-1][1]["status"] == "active"
        sent = await client.post(f"/api/live/{sender}/messages", json={"text": "Hei, takk <b>!</b> \u202egpj.exe"})
        assert sent.status == 201
        written_by_case_worker(chat_id, "Hei! Jeg heter Kari og er saksbehandler.")
        messages = [data for name, data in await read_events(response, "message") if name == "message"]
        messages += [data for name, data in await read_events(response, "message") if name == "message"]
        assert [(m["author"], m["text"]) for m in messages][:2] == [
            ("family", "Hei, takk <b>!</b> \ufffdgpj.exe"),  # a direction override cannot reorder what the reader sees
            ("case_worker", "Hei! Jeg heter Kari og er saksbehandler.")]

        ended(chat_id)
        last = await read_events(response, "ended")
        assert last[-1][1]["status"] == "ended" and last[-1][1]["ended_by"] == "case_worker"
        refused = await client.post(f"/api/live/{sender}/messages", json={"text": "hallo?"})
        assert refused.status == 409
        again = await client.get(f"/api/live/{sender}/events?chat={chat_id}&after={messages[0]['id']}")  # a reconnect
        replayed = await read_events(again, "ended")
        assert [d["text"] for n, d in replayed if n == "message"] == ["Hei! Jeg heter Kari og er saksbehandler."]
        assert replayed[-1][1]["ended_by"] == "case_worker"
        other = await client.get(f"/api/live/family{secrets.token_hex(6)}/events?chat={chat_id}")  # not this family's chat
        assert await read_events(other, "none") == [("state", {"status": "none"})]
    finally:
        await client.close()
        await runner.cleanup()


async def test_a_message_to_the_paused_assistant_goes_to_the_case_worker(empty_queue):
    runner, rasa_url = await fake_rasa([])  # a paused Rasa answers nothing
    client = await client_for(rasa_url, background=False)  # no sweep: these chats have no case worker present
    sender = f"family{secrets.token_hex(6)}"
    try:
        chat_id = in_queue(sender, "ar")
        waiting = await client.post("/api/chat", json={"sender": sender, "message": "مرحبا"})
        assert "Veiviser" in (await waiting.json())[0]["text"]  # not taken yet: the assistant's own fallback
        taken(chat_id)
        response = await client.post("/api/chat", json={"sender": sender, "message": "هل أنت هنا؟"})
        assert response.status == 200 and await response.json() == []
        with new_session() as session:
            assert [m.text for m in live_chat.messages_after(session, chat_id)] == ["هل أنت هنا؟"]  # only what came after
        restarted = await client.post("/api/chat", json={"sender": sender, "message": "/restart"})  # "Start over"
        assert restarted.status == 200 and await restarted.json() != []  # on to the assistant
        with new_session() as session:
            assert session.get(LiveChat, chat_id).ended_by == "family"
    finally:
        await client.close()
        await runner.cleanup()


@pytest.mark.parametrize("path,body,status", [
    ("/api/live/short/events", None, 400),
    ("/api/live/familyNoChat123/events", None, 200),  # a stream that says there is no chat, and ends
    ("/api/live/familyNoChat123/messages", {"text": "hei"}, 409),
    ("/api/live/familyNoChat123/messages", {"text": 5}, 400),
    ("/api/live/bad%20sender%21/messages", {"text": "hei"}, 400),
])
async def test_bad_requests_get_a_clear_answer(empty_queue, path, body, status):
    runner, rasa_url = await fake_rasa([])
    client = await client_for(rasa_url, background=False)  # no sweep: these chats have no case worker present
    try:
        response = await (client.get(path) if body is None else client.post(path, json=body))
        assert response.status == status
        if path.endswith("familyNoChat123/events"):
            assert await read_events(response, "none") == [("state", {"status": "none"})]
    finally:
        await client.close()
        await runner.cleanup()


async def test_whether_any_chat_is_open_is_looked_up_once_a_second_not_on_every_turn(empty_queue, monkeypatch):
    from web import live_chat as web_live_chat

    looked = []
    real = web_live_chat._any_open
    monkeypatch.setattr(web_live_chat, "_any_open", lambda: looked.append(1) or real())
    monkeypatch.setattr(web_live_chat._OpenChats, "looked_at", float("-inf"))
    for _ in range(20):
        assert not await web_live_chat.passed_to_case_worker("familyNoChat123", "hei")
    assert looked == [1]
    chat_id = in_queue("familyOpen1234")
    taken(chat_id)
    assert await web_live_chat.passed_to_case_worker("familyOpen1234", "hei", surely=True)  # after the assistant said nothing


async def test_a_restart_of_the_web_app_mid_chat_loses_nothing(empty_queue):
    """The stream ends with the old process; the browser reconnects to the new one with the id of
    the last message it saw and gets what came meanwhile; the family's next message still reaches
    the case worker, not the paused assistant."""
    runner, rasa_url = await fake_rasa([])  # the paused assistant answers nothing
    sender = f"family{secrets.token_hex(6)}"
    chat_id = in_queue(sender, "ti")
    taken(chat_id)
    first = await client_for(rasa_url, background=False)
    try:
        stream = await first.get(f"/api/live/{sender}/events")
        written_by_case_worker(chat_id, "ሰላም! ኣነ ሓላፊ ጉዳይ እየ።")
        seen = [data for name, data in await read_events(stream, "message") if name == "message"]
    finally:
        await first.close()  # the web app stops (a deploy, a crash)
    written_by_case_worker(chat_id, "Are you still there?")  # while nothing served the family
    second = await client_for(rasa_url, background=False)
    try:
        again = await second.get(f"/api/live/{sender}/events?chat={chat_id}", headers={"Last-Event-ID": str(seen[-1]["id"])})
        missed = [data["text"] for name, data in await read_events(again, "message") if name == "message"]
        assert missed == ["Are you still there?"]
        reply = await second.post("/api/chat", json={"sender": sender, "message": "ኣለኹ፡ የቐንየለይ"})
        assert reply.status == 200 and await reply.json() == []  # it went to the case worker
        with new_session() as session:
            assert live_chat.messages_after(session, chat_id)[-1].text == "ኣለኹ፡ የቐንየለይ"
    finally:
        await second.close()
        await runner.cleanup()
