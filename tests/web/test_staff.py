"""The staff area: login with CSRF, lock-out, roles on every route, and the case workers'
applications list and downloads."""
from __future__ import annotations

import html
import io
import json
import os
import re
from datetime import datetime, timezone

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pypdf import PdfReader

from knowledge.applications.store import record_consent, submit_application
from knowledge.config import load_settings
from knowledge.db import default_engine, new_session
from knowledge.staff.accounts import AccountError, create_user
from knowledge.staff.models import StaffUser
from knowledge.throttle import PAIR_FAILURES
from tests.web.conftest import PASSWORD
from web.app import create_app
from web.staff.auth import SESSION_COOKIE


async def csrf(client, path="/staff/login") -> str:
    page = await (await client.get(path)).text()
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


async def login(client, username, password=PASSWORD):
    token = await csrf(client)
    return await client.post("/staff/login", data={"username": username, "password": password, "csrf": token}, allow_redirects=False)


def application() -> str:
    settings = load_settings(os.environ)
    with new_session(default_engine()) as session:
        consent = record_consent(session, "staff-test", True, "ar", "1", settings)
        payload = {"guardian": {"name": "Amira Haddad", "phone": "+47 40000000", "email": "", "address": "Trondheim"},
                   "child": {"name": "Åse Ødegård", "birth_date": "15.03.2019", "identity_number": "15031951264"},
                   "services": [{"key": "relief_care", "title_nb": "Avlastning"}], "need_language": "ar",
                   "need_description": "ابني يحتاج إلى رعاية", "consent": {"decided_at": datetime.now(timezone.utc).isoformat(), "text_version": "1"}}
        stored = submit_application(session, consent, payload, ["relief_care"], "ar", settings)
        session.commit()
        return stored.reference


async def test_login_needs_the_csrf_token(client):
    response = await client.post("/staff/login", data={"username": "kari.case", "password": PASSWORD}, allow_redirects=False)
    assert response.status == 403


async def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    response = await login(client, "kari.case", "wrong-password-here")
    assert response.status == 401 and "Feil brukernavn eller passord" in await response.text()
    response = await login(client, "nobody.here", "wrong-password-here")
    assert response.status == 401 and "Feil brukernavn eller passord" in await response.text()


async def test_repeated_failures_pause_the_client_the_same_way_for_known_and_unknown_names(client):
    for name in ("lock.me", "no.such.person"):
        for _ in range(PAIR_FAILURES):
            assert (await login(client, name, "not-the-password")).status == 401
        response = await login(client, name, PASSWORD)  # even the right password, from this client, for now
        assert response.status == 429 and "Vent" in await response.text()
    assert (await login(client, "kari.case")).status == 303  # another name from the same client still works


async def test_login_sets_a_protected_session_cookie_and_logout_clears_it(client):
    response = await login(client, "kari.case")
    assert response.status == 303 and response.headers["Location"] == "/staff"
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/staff"
    home = await client.get("/staff")
    assert home.status == 200 and "kari.case" in await home.text()
    assert home.headers["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    token = await csrf(client, "/staff")
    out = await client.post("/staff/logout", data={"csrf": token}, allow_redirects=False)
    assert out.status == 303
    assert (await client.get("/staff", allow_redirects=False)).status == 303


async def test_logging_out_ends_the_session_even_for_a_copy_of_the_cookie(client):
    """A copied cookie (a shared computer, a stolen laptop) opens nothing once its owner logged out."""
    response = await login(client, "kari.case")
    stolen = response.cookies[SESSION_COOKIE].value
    token = await csrf(client, "/staff")
    await client.post("/staff/logout", data={"csrf": token}, allow_redirects=False)
    again = await client.get("/staff/applications", allow_redirects=False, headers={"Cookie": f"{SESSION_COOKIE}={stolen}"})
    assert again.status == 303 and again.headers["Location"] == "/staff/login"


async def test_deactivating_a_user_ends_their_sessions_at_once(client, users):
    with new_session(default_engine()) as session:
        try:
            create_user(session, "leaving.editor", PASSWORD, "editor")
        except AccountError:
            pass
        target = session.query(StaffUser).filter_by(username="leaving.editor").one()
        target.active, target_id = True, target.id
        session.commit()
    leaving = TestClient(TestServer(create_app(load_settings(), background=False)))
    await leaving.start_server()
    try:
        await login(leaving, "leaving.editor")
        assert (await leaving.get("/staff/services", allow_redirects=False)).status == 200
        await login(client, "ada.admin")
        token = await csrf(client, "/staff/users")
        done = await client.post(f"/staff/users/{target_id}/deactivate", data={"csrf": token}, allow_redirects=False)
        assert done.status == 303
        assert (await leaving.get("/staff/services", allow_redirects=False)).status == 303  # at once, not in 8 hours
    finally:
        await leaving.close()


async def test_the_role_is_read_from_the_database_on_every_request(client):
    await login(client, "ed.itor")
    assert (await client.get("/staff/services", allow_redirects=False)).status == 200
    with new_session(default_engine()) as session:
        session.query(StaffUser).filter_by(username="ed.itor").one().role = "case_worker"
        session.commit()
    try:
        assert (await client.get("/staff/services", allow_redirects=False)).status == 403
    finally:
        with new_session(default_engine()) as session:
            session.query(StaffUser).filter_by(username="ed.itor").one().role = "editor"
            session.commit()


async def test_a_forged_session_cookie_is_ignored(client):
    response = await client.get("/staff", allow_redirects=False, headers={"Cookie": f"{SESSION_COOKIE}=gAAAAAforged"})
    assert response.status == 303


STAFF_ROUTES = [("GET", "/staff", None), ("GET", "/staff/applications", "case_worker"),
                ("GET", "/staff/chat", "case_worker"), ("GET", "/staff/chat/queue", "case_worker"),
                ("POST", "/staff/chat/availability", "case_worker"), ("POST", "/staff/chat/presence", "case_worker"),
                ("GET", "/staff/chat/1", "case_worker"), ("POST", "/staff/chat/1/take", "case_worker"),
                ("POST", "/staff/chat/1/messages", "case_worker"), ("POST", "/staff/chat/1/end", "case_worker"),
                ("GET", "/staff/chat/1/events", "case_worker"), ("GET", "/staff/callbacks", "case_worker"),
                ("POST", "/staff/callbacks/VV-2026-ABCDEF/done", "case_worker"),
                ("GET", "/staff/insight", "editor"), ("GET", "/staff/insight.csv", "editor"),
                ("GET", "/staff/applications/VV-2026-ABCDEF/application.pdf", "case_worker"),
                ("GET", "/staff/applications/VV-2026-ABCDEF/application.json", "case_worker"),
                ("GET", "/staff/unanswered", "editor"), ("POST", "/staff/unanswered/handle", "editor"),
                ("GET", "/staff/unanswered/export.yml", "editor"), ("GET", "/staff/services", "editor"),
                ("GET", "/staff/translations", "editor"), ("GET", "/staff/services/bpa/ar", "editor"),
                ("POST", "/staff/services/bpa/ar", "editor"), ("GET", "/staff/services/bpa/ar/history", "editor"),
                ("POST", "/staff/services/bpa/ar/restore", "editor"), ("GET", "/staff/users", "admin"),
                ("POST", "/staff/users", "admin"), ("POST", "/staff/users/1/deactivate", "admin"),
                ("GET", "/staff/contacts", "editor"), ("GET", "/staff/contacts/hvk_0_18", "editor"),
                ("POST", "/staff/contacts/hvk_0_18", "editor"), ("GET", "/staff/contacts/hvk_0_18/history", "editor"),
                ("POST", "/staff/contacts/hvk_0_18/restore", "editor"), ("GET", "/staff/parameters", "editor"),
                ("GET", "/staff/parameters/bpa.max_age", "editor"), ("POST", "/staff/parameters/bpa.max_age", "editor"),
                ("GET", "/staff/parameters/bpa.max_age/history", "editor"),
                ("POST", "/staff/parameters/bpa.max_age/restore", "editor"), ("GET", "/staff/services/new", "editor"),
                ("POST", "/staff/services/new", "editor"), ("GET", "/staff/services/bpa/settings", "editor"),
                ("POST", "/staff/services/bpa/settings", "editor"), ("GET", "/staff/services/bpa/settings/history", "editor"),
                ("POST", "/staff/services/bpa/settings/restore", "editor"), ("GET", "/staff/export", "editor"),
                ("GET", "/staff/export/knowledge-base.yml", "editor"), ("POST", "/staff/export/import", "editor")]
WRONG_ROLE = {"case_worker": "ed.itor", "editor": "kari.case", "admin": "ed.itor"}


def test_every_staff_route_is_listed_here():
    app = create_app(load_settings(), background=False)
    found = {(route.method, re.sub(r"\{.*", "", route.resource.canonical)) for route in app.router.routes()
             if route.resource and route.resource.canonical.startswith("/staff") and route.method in ("GET", "POST")}
    public = {("GET", "/staff/login"), ("POST", "/staff/login"), ("POST", "/staff/logout")}
    def canonical(path: str) -> str:  # the concrete path back to its route's prefix, as computed for `found`
        for pattern, prefix in ((r"VV-.*", ""), (r"/chat/\d+.*", "/chat/"), (r"/users/1/.*", "/users/"), (r"/services/bpa/.*", "/services/"),
                                (r"/contacts/hvk_0_18.*", "/contacts/"), (r"/parameters/bpa\.max_age.*", "/parameters/")):
            path = re.sub(pattern, prefix, path)
        return path

    listed = {(method, canonical(path)) for method, path, _ in STAFF_ROUTES}
    assert found - public == listed


@pytest.mark.parametrize("method,path,role", STAFF_ROUTES)
async def test_anonymous_visitors_are_sent_to_the_login(client, method, path, role):
    response = await client.request(method, path, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/staff/login"


@pytest.mark.parametrize("method,path,role", [r for r in STAFF_ROUTES if r[2]])
async def test_the_wrong_role_is_refused(client, method, path, role):
    await login(client, WRONG_ROLE[role])
    assert (await client.request(method, path, allow_redirects=False)).status == 403


async def test_case_worker_lists_and_downloads_applications(client):
    reference = application()
    await login(client, "kari.case")
    page = await (await client.get("/staff/applications")).text()
    assert reference in page and "Avlastning" in page and "arabisk" in page  # names a case worker reads, not keys
    assert "relief_care" not in page and ">ar<" not in page and "norsk tid" in page
    assert "Åse" not in page and "15031951264" not in page  # the list shows no personal data
    pdf = await client.get(f"/staff/applications/{reference}/application.pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(await pdf.read())).pages)
    assert "Åse Ødegård" in text and "ابني يحتاج إلى رعاية" in text
    data = json.loads(await (await client.get(f"/staff/applications/{reference}/application.json")).read())
    assert data["reference"] == reference and data["child"]["identity_number"] == "15031951264"
    assert (await client.get("/staff/applications/VV-2026-ZZZZZZ/application.pdf")).status == 404


async def test_admin_may_see_applications_too(client):
    await login(client, "ada.admin")
    assert (await client.get("/staff/applications")).status == 200


def test_account_rules():
    with new_session(default_engine()) as session:
        with pytest.raises(AccountError, match="12"):
            create_user(session, "short.pw", "too-short", "editor")
        with pytest.raises(AccountError, match="role"):
            create_user(session, "bad.role", PASSWORD, "superuser")
        with pytest.raises(AccountError, match="username"):
            create_user(session, "<script>", PASSWORD, "editor")


async def test_editor_handles_unanswered_questions_and_exports_candidates(client):
    from knowledge import unanswered

    with new_session(default_engine()) as session:
        first = unanswered.record(session, "Kan Kari få hjelp med leksene etter skolen?", "nb", "ask_service", 0.3, "not_understood")
        second = unanswered.record(session, "Kan Ola få hjelp med leksene etter skolen?", "nb", "ask_service", 0.2, "not_understood")
        session.commit()
        ids = {first.id, second.id}
    await login(client, "ed.itor")
    page = await (await client.get("/staff/unanswered")).text()
    assert "leksene" in page and "Kan Kari" not in page and "Kan Ola" not in page
    assert "Veiviser forsto ikke spørsmålet" in page and "Veiviser trodde det var om en tjeneste" in page
    assert "ask_service" not in page  # no internal names
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    group_ids = next(m for m in re.findall(r'name="ids" value="([^"]+)"', page) if ids <= {int(i) for i in m.split(",")})
    response = await client.post("/staff/unanswered/handle", data={"csrf": token, "ids": group_ids, "service": "extended_after_school"},
                                 allow_redirects=False)
    assert response.status == 303
    assert "leksene" not in await (await client.get("/staff/unanswered")).text()
    handled = await (await client.get("/staff/unanswered?status=handterte")).text()
    assert "leksene" in handled and 'href="/staff/services/extended_after_school/nb"' in handled  # linked to the service
    export = await (await client.get("/staff/unanswered/export.yml")).text()
    assert "leksene" in export and "service: extended_after_school" in export
    bad = await client.post("/staff/unanswered/handle", data={"csrf": token, "ids": group_ids, "service": "<script>"})
    assert bad.status == 400


async def test_editor_edits_arabic_summary_and_the_chat_answer_changes_at_once(client):
    from actions.actions import ActionAnswerService
    from tests.actions.test_actions import run, tracker

    await login(client, "ed.itor")
    form = await (await client.get("/staff/services/companion_card/ar")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    values = {name: html.unescape(value) for name, value in re.findall(r'<input id="f-\w+" name="(\w+)"[^>]* value="([^"]*)"', form)}
    values.update({name: html.unescape(text) for name, text in re.findall(r'<textarea id="f-\w+" name="(\w+)"[^>]*>(.*?)</textarea>', form, re.S)})
    values.update({"summary": "بطاقة المرافق تتيح لمرافق واحد الدخول مجانا. <script>alert(1)</script>", "status": "reviewed",
                   "reason": "Kontrollert av oversetter", "csrf": token})
    saved = await client.post("/staff/services/companion_card/ar", data=values, allow_redirects=False)
    assert saved.status == 303
    history = await (await client.get("/staff/services/companion_card/ar/history")).text()
    assert "Kontrollert av oversetter" in history and "<script>alert(1)</script>" not in history and "&lt;script&gt;" in history
    messages, _ = await run(ActionAnswerService(), tracker("ما هي بطاقة المرافق؟", "ask_service",
                                                           [{"entity": "service", "value": "companion_card"}], slots={"language": "ar"}))
    assert "تتيح لمرافق واحد الدخول مجانا" in messages[0]["text"]
    bad = await client.post("/staff/services/companion_card/ar", data={**values, "title": ""})
    assert bad.status == 422 and "tomt" in await bad.text()


async def test_admin_creates_and_deactivates_a_user_who_then_cannot_log_in(client):
    await login(client, "ada.admin")
    page = await (await client.get("/staff/users")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    short = await client.post("/staff/users", data={"csrf": token, "username": "ny.bruker", "password": "kort", "role": "editor"})
    assert short.status == 422 and "12" in await short.text()
    created = await client.post("/staff/users", data={"csrf": token, "username": "ny.bruker", "password": PASSWORD, "role": "editor"})
    assert created.status == 200 and "ny.bruker er opprettet" in await created.text()
    page = await (await client.get("/staff/users")).text()
    [user_id] = [number for number, form in re.findall(r'action="/staff/users/(\d+)/deactivate">(.*?)</form>', page, re.S)
                 if "Deaktiver<span class=\"visually-hidden\"> ny.bruker<" in form]
    assert (await client.post(f"/staff/users/{user_id}/deactivate", data={"csrf": token}, allow_redirects=False)).status == 303
    other = TestClient(TestServer(create_app(load_settings(), background=False)))
    await other.start_server()
    try:
        assert (await login(other, "ny.bruker")).status == 401
    finally:
        await other.close()


@pytest.mark.parametrize("body,content_type", [
    (b"username=\xff\xfe&password=x&csrf=y", "application/x-www-form-urlencoded"),
    (b"--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nkari", "multipart/form-data; boundary=x"),
    (b"username=kari", "application/x-www-form-urlencoded; charset=klingon"),
    (b"not multipart at all", "multipart/form-data"),
])
async def test_a_malformed_login_body_is_a_400_not_a_500(client, body, content_type):
    response = await client.post("/staff/login", data=body, headers={"Content-Type": content_type})
    assert response.status in (400, 403), await response.text()


async def test_an_id_too_big_for_the_database_is_not_found(client):
    await login(client, "ada.admin")
    token = await csrf(client, "/staff/users")
    response = await client.post("/staff/users/" + "9" * 400 + "/deactivate", data={"csrf": token}, allow_redirects=False)
    assert response.status == 404


async def test_the_unanswered_list_is_filtered_and_paged_and_keeps_test_traffic_off(client):
    from knowledge import unanswered
    from knowledge.unanswered import UnansweredQuestion

    words = ("avlastning støttekontakt skole buss ferie natt lege hjelp barnehage sommer penger søknad svar time trening "
             "svømming mat medisin koordinator fysioterapi ergoterapi tolk klage vedtak bolig helsestasjon legevakt "
             "hjelpemidler rullestol assistanse foreldre søsken besteforeldre kveld helg jul påske leksene konsert kino "
             "kafe sykehus diagnose epilepsi").split()  # words Veiviser knows, so redaction keeps them
    with new_session(default_engine()) as session:
        session.query(UnansweredQuestion).delete()
        for number in range(22):  # 22 questions with no word in common: 22 groups, two pages of twenty
            unanswered.record(session, f"{words[2 * number]} og {words[2 * number + 1]}?", "ar" if number == 7 else "nb",
                              "nlu_fallback", 0.1, "out_of_scope" if number == 8 else "not_understood")
        unanswered.record(session, "make eval sitt spørsmål om avlastning", "nb", "ask_service", 0.2, "not_understood", "test")
        session.commit()
    await login(client, "ed.itor")
    first = await (await client.get("/staff/unanswered")).text()
    assert "side 1 av 2" in first and "make eval" not in first and first.count('class="group-title"') == 20
    last = await (await client.get("/staff/unanswered?side=2")).text()
    assert last.count('class="group-title"') == 2 and 'aria-current="page">2<' in last
    arabic = await (await client.get("/staff/unanswered?sprak=ar")).text()
    assert arabic.count('class="group-title"') == 1 and f"{words[14]} og {words[15]}" in arabic
    outside = await (await client.get("/staff/unanswered?arsak=out_of_scope")).text()
    assert outside.count('class="group-title"') == 1 and "utenfor det Veiviser svarer på" in outside
    wrong = await (await client.get("/staff/unanswered?sprak=xx&fra=2026-02-31")).text()
    assert "Ukjent språk" in wrong and "Datoene må skrives som åååå-mm-dd" in wrong
    with new_session(default_engine()) as session:
        session.query(UnansweredQuestion).delete()
        session.commit()
