"""Every staff page, rendered with hostile values in every field a family, an editor or an import
can fill, shows them as text: markup escaped, quotes unable to leave an attribute, and
right-to-left overrides unable to reorder what a case worker reads.

The values go straight into the database where that is how they would arrive (a family's message,
a call-back, a feedback comment), and through the editors' own functions where those are the way
in. Every GET route under /staff is visited: a new route this test does not know fails it, so a
new page cannot skip the check. The error pages that echo a form back are posted to as well.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aiohttp import FormData
from sqlalchemy import and_, delete, func, or_, select

from knowledge.applications.models import Application
from knowledge.applications.store import record_consent, submit_application
from knowledge.config import load_settings
from knowledge.db import default_engine, new_session
from knowledge.feedback import AnswerFeedback
from knowledge.handoff import live_chat
from knowledge.insight.usage import OSLO, UsageTurn
from knowledge.models import ContactPoint, Service
from knowledge.seed import write_contact
from knowledge.staff import contacts, content, parameters, services
from knowledge.staff.content import ContentVersion
from knowledge.staff.models import StaffUser
from knowledge.staff.records import RecordVersion
from knowledge.unanswered import UnansweredQuestion
from tests.web.test_staff import login
from tests.web.test_staff_records import token_of

RTL_OVERRIDE = "\u202e"
HOSTILE = f'"><script>alert(1)</script>\'<img src=x onerror=alert(2)>{RTL_OVERRIDE}gpj.exe'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
KEY, PARAMETER = "hostile_probe", "bpa.right_min_weekly_hours"
EVERYWHERE = {"synchronize_session": False}  # bulk deletes by criteria the session cannot evaluate
TEXTS = {"title": f"Probe {HOSTILE}", "summary": HOSTILE, "description": HOSTILE, "who_for": HOSTILE, "how_to_apply": HOSTILE,
         "cost": HOSTILE, "decided_by": HOSTILE, "after_applying": HOSTILE, "appeal": HOSTILE}


def _seed_hostile_records() -> dict[str, str]:
    """A hidden service, a contact point, a parameter version, an application, a call-back, a live
    chat, an unanswered question, a feedback comment, a count and a staff user, all hostile."""
    settings = load_settings(os.environ)
    with new_session(default_engine()) as session:
        if session.get(Service, KEY) is None:
            services.create(session, KEY, {"order": 998, "contact": "hvk_0_18", "active": True,
                                           "sources": [{"document": "brosjyre-hvk-2025", "section": HOSTILE, "law": HOSTILE}]},
                            TEXTS, HOSTILE, HOSTILE)
            content.save(session, KEY, "ar", TEXTS, "machine_drafted", HOSTILE, HOSTILE)
            services.save_settings(session, KEY, {**services.settings_of(session.get(Service, KEY)), "active": False}, HOSTILE, HOSTILE)
        if session.get(ContactPoint, KEY) is None:
            entry = {"key": KEY, "phone": "73 00 00 00", "email": "probe@example.org", "digital_channel": HOSTILE[:100],
                     "postal_address": HOSTILE, "visiting_address": HOSTILE, "by_appointment_only": True,
                     "source": {"document": "brosjyre-hvk-2025", "section": HOSTILE},
                     "phone_hours": [{"days": ["mon"], "opens": "09:00", "closes": "11:00"}],
                     "content": {language: {"status": "source" if language == "nb" else "machine_drafted", "name": f"Kontakt {HOSTILE}",
                                            "role": HOSTILE} for language in ("nb", "en", "ar", "ti")}}
            write_contact(session, entry)
            session.flush()
            contacts.save(session, KEY, {**contacts.get(session, KEY), "phone": "73 00 00 01"}, HOSTILE, HOSTILE)
        rows = [(day.isoformat(), f"{value:g}") for day, value in parameters.current(session, PARAMETER).values]
        parameters.save(session, PARAMETER, rows + [("2031-01-01", "25")], HOSTILE, HOSTILE)
        parameters.save(session, PARAMETER, rows, HOSTILE, HOSTILE)

        consent = record_consent(session, "hostile-test", True, "ar", "1", settings)
        payload = {"guardian": {"name": HOSTILE, "phone": "+47 40000000", "email": "", "address": HOSTILE},
                   "child": {"name": HOSTILE, "birth_date": "15.03.2019", "identity_number": "15031951264"},
                   "services": [{"key": KEY, "title_nb": TEXTS["title"]}], "need_language": "ar", "need_description": HOSTILE,
                   "consent": {"decided_at": datetime.now(timezone.utc).isoformat(), "text_version": "1"}}
        application = submit_application(session, consent, payload, [KEY], "ar", settings)
        callback_consent = record_consent(session, "hostile-callback", True, "ti", "1", settings)
        callback = submit_application(session, callback_consent, {
            "kind": "callback", "guardian": {"name": HOSTILE, "phone": "+47 40000000"}, "best_time": HOSTILE, "language": "ti",
            "interpreter_needed": True, "interpreter_language": "ti", "topic": HOSTILE, "topic_language": "ti", "service": {"key": KEY, "title_nb": TEXTS["title"]},
            "consent": {"decided_at": datetime.now(timezone.utc).isoformat(), "text_version": "1"}}, [], "ti", settings, kind="callback")

        user = session.query(StaffUser).filter_by(username=HOSTILE[:64]).one_or_none()
        if user is None:  # a name the account form would refuse, as if an old import had brought it
            user = StaffUser(username=HOSTILE[:64], password_hash="!", role="case_worker", active=False)
            session.add(user)
            session.flush()
        callback.handling, callback.handled_by_id, callback.handled_at = "taken", user.id, datetime.now(timezone.utc)

        live_chat.ask(session, "hostile-waiting", "ar", KEY)  # the queue shows the topic's (hostile) title
        chat = session.get(live_chat.LiveChat, live_chat.ask(session, "hostile-sender", "ar", KEY).chat_id)
        chat.status, chat.case_worker_id, chat.taken_at = "active", user.id, datetime.now(timezone.utc)
        live_chat.post(session, chat.id, "family", HOSTILE)
        live_chat.post(session, chat.id, "case_worker", HOSTILE)

        session.add(UnansweredQuestion(text=HOSTILE, language="nb", intent=HOSTILE[:64], confidence=0.1, reason="not_understood",
                                       service_key=KEY))
        session.add(AnswerFeedback(language="nb", card="service_card", key=KEY, aspect="service", helpful=False, comment=HOSTILE))
        session.add(UsageTurn(day=datetime.now(OSLO).date(), conversation="hostile", language="nb", result="answered",
                              subject_kind="service", subject=KEY, check_outcome="likely_eligible"))
        session.commit()
        return {"reference": application.reference, "callback": callback.reference, "chat": str(chat.id)}


#: Routes whose answer is not an HTML page (a file or an event stream), read by their own tests.
NOT_PAGES = {"/staff/applications/{reference}/application.{kind}", "/staff/chat/{id}/events", "/staff/insight.csv",
             "/staff/unanswered/export.yml", "/staff/export/knowledge-base.yml"}
#: How to fill each route's variable parts; every {…} a /staff route has must be here.
FILL = {"{id}": "chat", "{key}": None, "{language}": ("nb", "en", "ar", "ti")}


def _urls(app, made: dict[str, str]) -> list[str]:
    urls = []
    for route in app.router.routes():
        info = route.get_info()
        path = info.get("path") or info.get("formatter") or ""
        if route.method != "GET" or not path.startswith("/staff") or path in NOT_PAGES:
            continue
        if "{key}" in path:
            path = path.replace("{key}", PARAMETER if path.startswith("/staff/parameters") else KEY)
        path = path.replace("{id}", made["chat"])
        assert "{" not in path.replace("{language}", ""), f"a new staff route this test cannot fill: {path}"
        urls += [path.replace("{language}", language) for language in FILL["{language}"]] if "{language}" in path else [path]
    return urls


def assert_safe(page: str, where: str) -> None:
    """No tag and no attribute from a value, and no override: a quote that left its attribute would
    bring the ``<script>`` or the ``<img … onerror>`` after it into the page as markup."""
    for raw in ("<script>alert", "<img src=x", "onerror=alert(2)>", HOSTILE):
        assert raw not in page, f"{raw!r} reached {where} unescaped"
    assert RTL_OVERRIDE not in page, f"a right-to-left override reached {where}"


def _remove_hostile_records(made: dict[str, str], parameter_versions_before: int) -> None:
    """Everything the module stored, so later tests see the knowledge base as the seed left it."""
    with new_session(default_engine()) as session:
        session.execute(delete(RecordVersion).where(
            or_(and_(RecordVersion.kind.in_(("service", "contact")), RecordVersion.key == KEY),
                and_(RecordVersion.kind == "parameter", RecordVersion.key == PARAMETER, RecordVersion.id > parameter_versions_before))), execution_options=EVERYWHERE)
        session.execute(delete(ContentVersion).where(ContentVersion.service_key == KEY), execution_options=EVERYWHERE)
        for row in (session.get(Service, KEY), session.get(ContactPoint, KEY)):
            if row is not None:
                session.delete(row)  # with its texts, sources and phone hours
        chats = select(live_chat.LiveChat.id).where(live_chat.LiveChat.topic == KEY)
        session.execute(delete(live_chat.LiveChatMessage).where(live_chat.LiveChatMessage.chat_id.in_(chats)), execution_options=EVERYWHERE)
        session.execute(delete(live_chat.LiveChat).where(live_chat.LiveChat.topic == KEY), execution_options=EVERYWHERE)
        session.execute(delete(Application).where(Application.reference.in_((made["reference"], made["callback"]))), execution_options=EVERYWHERE)
        session.execute(delete(UnansweredQuestion).where(UnansweredQuestion.service_key == KEY), execution_options=EVERYWHERE)
        session.execute(delete(AnswerFeedback).where(AnswerFeedback.key == KEY), execution_options=EVERYWHERE)
        session.execute(delete(UsageTurn).where(UsageTurn.subject == KEY), execution_options=EVERYWHERE)
        session.execute(delete(StaffUser).where(StaffUser.username == HOSTILE[:64]), execution_options=EVERYWHERE)
        session.commit()


@pytest.fixture(scope="module")
def made(users):
    with new_session(default_engine()) as session:
        before = session.execute(select(func.max(RecordVersion.id))).scalar() or 0
    made = _seed_hostile_records()
    yield made
    _remove_hostile_records(made, before)


async def test_every_staff_page_shows_hostile_values_as_text(client, made):
    await login(client, "ada.admin")
    shown = []
    for url in _urls(client.server.app, made):
        response = await client.get(url)
        page = await response.text()
        assert response.status == 200 and response.content_type == "text/html", url
        assert_safe(page, url)
        if ESCAPED in page:
            shown.append(url)
    must_show = {"/staff/applications", "/staff/callbacks", f"/staff/chat/{made['chat']}", "/staff/chat", "/staff/insight",
                 "/staff/unanswered", "/staff/contacts", f"/staff/contacts/{KEY}", f"/staff/contacts/{KEY}/history",
                 f"/staff/parameters/{PARAMETER}/history", "/staff/services", "/staff/translations", f"/staff/services/{KEY}/nb",
                 f"/staff/services/{KEY}/ar", f"/staff/services/{KEY}/nb/history", f"/staff/services/{KEY}/ar/history",
                 f"/staff/services/{KEY}/settings", f"/staff/services/{KEY}/settings/history", "/staff/users"}
    assert must_show <= set(shown), f"pages that should show the values but do not: {sorted(must_show - set(shown))}"


async def test_forms_that_echo_their_input_escape_it(client, made):
    await login(client, "ada.admin")
    text_form = await (await client.get(f"/staff/services/{KEY}/nb")).text()
    token = token_of(text_form)
    echoes = {
        f"/staff/services/{KEY}/nb": {**TEXTS, "title": "", "status": "source", "reason": HOSTILE, "csrf": token},
        f"/staff/contacts/{KEY}": {"phone": HOSTILE, "name_nb": HOSTILE, "role_nb": HOSTILE, "status_nb": "source",
                                   "hours_mon": HOSTILE, "reason": HOSTILE, "csrf": token},
        f"/staff/parameters/{PARAMETER}": {"valid_from": HOSTILE[:20], "value": HOSTILE[:20], "reason": HOSTILE, "csrf": token},
        "/staff/services/new": {"key": HOSTILE, "order": HOSTILE, "source_section": HOSTILE, "source_law": HOSTILE, **TEXTS,
                                "reason": HOSTILE, "csrf": token},
        f"/staff/services/{KEY}/settings": {"order": HOSTILE, "contact": HOSTILE, "reason": HOSTILE, "csrf": token},
        "/staff/users": {"username": HOSTILE, "password": "short", "role": HOSTILE, "csrf": token},
    }
    for url, data in echoes.items():
        response = await client.post(url, data=data)
        page = await response.text()
        assert response.status == 422, (url, response.status)
        assert_safe(page, f"POST {url}")
    form = FormData()
    form.add_field("csrf", token)
    form.add_field("reason", HOSTILE)
    form.add_field("mode", "check")
    form.add_field("file", f"services:\n  - key: {HOSTILE}\n".encode(), filename="kb.yml", content_type="text/yaml")
    imported = await client.post("/staff/export/import", data=form)
    assert imported.status == 422
    assert_safe(await imported.text(), "the import's answer")
    await client.post("/staff/logout", data={"csrf": token})
    refused = await client.post("/staff/login", data={"username": HOSTILE, "password": "x", "csrf": "wrong"})
    assert refused.status == 403
    assert_safe(await refused.text(), "an expired login form")


def test_no_html_is_built_in_python_in_web():
    """Staff HTML lives in templates only: no tag in a Python string in web/ (the static files aside)."""
    import re

    tag = re.compile(r"""["'][^"'\n]*<(?:/?[a-z][a-z0-9]*)(?:\s[^"'\n]*)?>""")
    web = Path(__file__).resolve().parents[2] / "web"
    found = [f"{path}:{number}" for path in sorted(web.rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if tag.search(line) and not line.lstrip().startswith("#")]
    assert not found, found
