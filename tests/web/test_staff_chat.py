"""The case worker's Chat and Callbacks pages: availability, the queue, the bot conversation with
the forms' answers hidden, taking a chat (once), writing, ending (the assistant resumes), and the
callbacks queue; every value a family wrote is escaped; CSRF and roles hold."""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone

from knowledge import conversation_store
from knowledge.applications.models import Application
from knowledge.applications.store import record_consent, submit_application
from knowledge.config import load_settings
from knowledge.db import default_engine, new_session
from knowledge.handoff import live_chat
from knowledge.handoff.live_chat import LiveChat
from tests.web.test_live_chat import read_events
from tests.web.test_staff import csrf, login

HOSTILE = '<script>alert("x")</script> "quoted" \u202eevil'


def a_family_waiting(language: str = "ar") -> tuple[int, str]:
    sender = f"family{secrets.token_hex(6)}"
    with new_session(default_engine()) as session:
        conversation_store.append(session, sender, [
            {"event": "user", "text": HOSTILE}, {"event": "bot", "text": "Avlastning er …"},
            {"event": "active_loop", "name": "application_form"}, {"event": "user", "text": "15031951264"},
            {"event": "active_loop", "name": None}, {"event": "user", "text": "Kan jeg snakke med en person?"}])
        chat_id = live_chat.ask(session, sender, language, "relief_care").chat_id
        session.commit()
    return chat_id, sender


def events_of(sender: str) -> list[str]:
    with new_session(default_engine()) as session:
        return [event["event"] for event in conversation_store.read(session, sender).events]


async def test_availability_is_chosen_on_the_page_and_kept_by_its_heartbeat(client, empty_queue):
    await login(client, "kari.case")
    page = await (await client.get("/staff/chat")).text()
    assert "Du er ikke tilgjengelig for chat" in page and 'aria-current="page"' in page
    token = await csrf(client, "/staff/chat")
    response = await client.post("/staff/chat/availability", data={"csrf": token, "available": "1"}, allow_redirects=False)
    assert response.status == 303
    assert "Du er tilgjengelig for chat" in await (await client.get("/staff/chat")).text()
    beat = await client.post("/staff/chat/presence", data={"csrf": token})
    assert (await beat.json()) == {"available": True}
    await client.post("/staff/chat/availability", data={"csrf": token, "available": "0"})
    assert (await (await client.post("/staff/chat/presence", data={"csrf": token})).json()) == {"available": False}


async def test_a_case_worker_sees_the_queue_takes_a_chat_writes_and_ends_it(client, empty_queue):
    chat_id, sender = a_family_waiting()
    await login(client, "kari.case")
    queue = await (await client.get("/staff/chat/queue")).text()
    assert "arabisk" in queue and "Avlastning" in queue and f"/staff/chat/{chat_id}" in queue
    page = await (await client.get(f"/staff/chat/{chat_id}")).text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "15031951264" not in page and "vises ikke" in page  # the application's answers are hidden
    token = await csrf(client, f"/staff/chat/{chat_id}")
    assert (await client.post(f"/staff/chat/{chat_id}/take", data={}, allow_redirects=False)).status == 403  # no CSRF token
    taken = await client.post(f"/staff/chat/{chat_id}/take", data={"csrf": token}, allow_redirects=False)
    assert taken.status == 303 and taken.headers["Location"].startswith(f"/staff/chat/{chat_id}")
    assert events_of(sender)[-1] == "pause"  # the assistant is paused in that conversation

    sent = await client.post(f"/staff/chat/{chat_id}/messages", data={"csrf": token, "text": "Hei! Jeg heter Kari."},
                             headers={"Accept": "application/json"})
    assert sent.status == 201
    plain = await client.post(f"/staff/chat/{chat_id}/messages", data={"csrf": token, "text": HOSTILE}, allow_redirects=False)
    assert plain.status == 303  # without the page's script: back to the page
    page = await (await client.get(f"/staff/chat/{chat_id}")).text()
    assert "Hei! Jeg heter Kari." in page and "<script>alert" not in page
    stream = await client.get(f"/staff/chat/{chat_id}/events")
    seen = await read_events(stream, "active")
    assert [data["text"] for name, data in seen if name == "message"][0] == "Hei! Jeg heter Kari."
    stream.close()

    ended = await client.post(f"/staff/chat/{chat_id}/end", data={"csrf": token}, allow_redirects=False)
    assert ended.status == 303
    with new_session(default_engine()) as session:
        assert session.get(LiveChat, chat_id).ended_by == "case_worker"
    assert events_of(sender)[-1] == "resume"  # and the assistant answers again
    refused = await client.post(f"/staff/chat/{chat_id}/messages", data={"csrf": token, "text": "hallo?"},
                                headers={"Accept": "application/json"})
    assert refused.status == 409


async def test_a_chat_taken_by_a_colleague_cannot_be_taken_again(client, empty_queue):
    chat_id, _ = a_family_waiting("en")
    with new_session(default_engine()) as session:
        from knowledge.staff.models import StaffUser

        colleague = session.query(StaffUser).filter_by(username="lock.me").one().id
        live_chat.take(session, chat_id, colleague)
        session.commit()
    await login(client, "kari.case")
    token = await csrf(client, f"/staff/chat/{chat_id}")
    again = await client.post(f"/staff/chat/{chat_id}/take", data={"csrf": token}, allow_redirects=False)
    assert again.status == 303 and again.headers["Location"] == "/staff/chat?feil=tatt"
    page = await (await client.get(again.headers["Location"])).text()
    assert "En annen saksbehandler tok samtalen først" in page
    hidden = await client.get(f"/staff/chat/{chat_id}")  # a colleague's chat is theirs: not shown, not streamed, not ended
    assert hidden.status == 404 and "en annen saksbehandler har den" in await hidden.text()
    assert (await client.get(f"/staff/chat/{chat_id}/events")).status == 404
    assert (await client.post(f"/staff/chat/{chat_id}/end", data={"csrf": token})).status == 409
    with new_session(default_engine()) as session:
        assert session.get(LiveChat, chat_id).status == "active"
    writes = await client.post(f"/staff/chat/{chat_id}/messages", data={"csrf": token, "text": "hei"},
                               headers={"Accept": "application/json"})
    assert writes.status == 409  # it is the colleague's chat


async def test_editors_have_no_chat_and_an_unknown_chat_is_a_clear_404(client):
    await login(client, "ed.itor")
    assert (await client.get("/staff/chat")).status == 403
    await client.post("/staff/logout", data={"csrf": await csrf(client, "/staff")})
    await login(client, "kari.case")
    missing = await client.get("/staff/chat/999999999")
    assert missing.status == 404 and "Fant ikke samtalen" in await missing.text()


def a_callback(topic: str = HOSTILE) -> str:
    settings = load_settings(os.environ)
    with new_session(default_engine()) as session:
        consent = record_consent(session, "callback-staff-test", True, "ti", "1", settings)
        payload = {"kind": "callback", "guardian": {"name": "ለተብርሃን <b>ተስፋይ</b>", "phone": "+47 40000000"},
                   "best_time": "afternoon", "best_time_nb": "ettermiddag", "language": "ti", "interpreter_needed": True,
                   "interpreter_language": "ti", "topic": topic, "topic_language": "ti", "service": None,
                   "consent": {"decided_at": datetime.now(timezone.utc).isoformat(), "text_version": "1"}}
        stored = submit_application(session, consent, payload, [], "ti", settings, kind="callback")
        session.commit()
        return stored.reference


async def test_callbacks_are_listed_with_the_interpreter_and_handled_new_taken_done(client):
    reference = a_callback()
    await login(client, "kari.case")
    page = await (await client.get("/staff/callbacks")).text()
    row = page[page.index(f'id="{reference}"'):]
    row = row[:row.index("</tr>")]
    assert "Ja, tigrinja" in row and "ettermiddag" in row and "Ny" in row and "+47 40000000" in row
    assert "<script>" not in row and "<b>" not in row and "&lt;b&gt;" in row
    assert reference not in await (await client.get("/staff/applications")).text()  # not an application for services
    token = await csrf(client, "/staff/callbacks")
    taken = await client.post(f"/staff/callbacks/{reference}/taken", data={"csrf": token, "from": "new"}, allow_redirects=False)
    assert taken.status == 303
    late = await client.post(f"/staff/callbacks/{reference}/taken", data={"csrf": token, "from": "new"}, allow_redirects=False)
    assert late.headers["Location"].startswith("/staff/callbacks?feil=endret")  # a colleague's page from before: refused
    with new_session(default_engine()) as session:
        stored = session.query(Application).filter_by(reference=reference).one()
        assert stored.handling == "taken" and stored.handled_by_id is not None and stored.handled_at is not None
    page = await (await client.get("/staff/callbacks")).text()
    row = page[page.index(f'id="{reference}"'):]
    assert "Tatt" in row[:row.index("</tr>")] and "kari.case" in row[:row.index("</tr>")]
    await client.post(f"/staff/callbacks/{reference}/done", data={"csrf": token, "from": "taken"})
    with new_session(default_engine()) as session:
        assert session.query(Application).filter_by(reference=reference).one().handling == "done"
    assert (await client.post(f"/staff/callbacks/{reference}/done", data={})).status == 403  # no CSRF token
