"""The staff area under /staff: login, sessions, and the case workers' list of applications.

Sessions live in the database (knowledge.staff.sessions) and are checked on every request, so
logging out or deactivating a user ends them at once; the cookie holds only a random token, and
is HttpOnly, SameSite=Strict, limited to /staff, and Secure in production. Every form carries a CSRF
token (double-submit: the same random value in a cookie and in the form). Failed logins slow the
answer down; five for one name from one client, or twenty from one client, pause that client
(knowledge.throttle); the account itself is never locked. Pages are Norwegian, for the
municipality's staff; every value shown is escaped.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from knowledge.applications.delivery import document_of
from knowledge.applications.document import LANGUAGE_NAMES_NB, render_json, render_pdf
from knowledge.applications.models import Application
from knowledge.config import Settings
from knowledge.db import engine_for, new_session
from knowledge.queries import list_services
from knowledge.staff import sessions
from knowledge.staff.accounts import authenticate
from knowledge.staff.models import StaffUser
from knowledge.throttle import PAUSE_MINUTES, LoginThrottle
from web import templates
from web.client_address import client_address

logger = logging.getLogger(__name__)
SESSION_COOKIE, CSRF_COOKIE = "veiviser_staff", "veiviser_csrf"
SESSION_HOURS = sessions.SESSION_HOURS
ROLE_NAMES = {"editor": "redaktør", "case_worker": "saksbehandler", "admin": "administrator"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- sessions and CSRF ----------------------------------------------------------------------------

def _settings(request: web.Request) -> Settings:
    return request.app["settings"]


def in_db(request: web.Request, work: Callable[[Session], Any]) -> Awaitable[Any]:
    """Run ``work(session)`` in a thread (SQLAlchemy is synchronous), commit, and return its result."""
    settings = _settings(request)

    def run():
        with new_session(engine_for(settings.database_url)) as session:
            result = work(session)
            session.commit()
            return result

    return asyncio.to_thread(run)


def current_user(request: web.Request) -> dict | None:
    """The signed-in user of this request, as the database has it now (set by ``staff_session``)."""
    return request.get("user")


@web.middleware
async def staff_session(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Look the session up once per staff request: a session that was ended, has expired, or whose
    user was deactivated opens nothing, and the role is the one the user has now."""
    if request.path.startswith("/staff"):
        token = request.cookies.get(SESSION_COOKIE)
        found = await in_db(request, lambda session: sessions.find(session, token)) if token else None
        request["user"] = ({"user": found.user, "name": found.name, "role": found.role, "csrf": found.csrf}
                           if found else None)
    return await handler(request)


def _cookie_options(request: web.Request) -> dict:
    return {"httponly": True, "samesite": "Strict", "path": "/staff", "secure": _settings(request).production or request.secure}


def _csrf_token(request: web.Request, response: web.StreamResponse | None = None) -> str:
    """The page's CSRF token: the session's, or (before login) a random one set in its own cookie."""
    user = current_user(request)
    if user:
        return user["csrf"]
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    if response is not None:
        response.set_cookie(CSRF_COOKIE, token, max_age=3600, **_cookie_options(request))
    return token


async def read_form(request: web.Request) -> web.MultiDictProxy:
    """A posted form; a body that is not one (bad multipart, not UTF-8, an unknown charset) is a
    400, even before login."""
    try:
        return await request.post()
    except (ValueError, LookupError, UnicodeDecodeError, AssertionError) as exc:
        raise web.HTTPBadRequest(text=_page("Ugyldig skjema", "<p>Skjemaet kunne ikke leses. "
                                            "<a href=\"/staff/login\">Prøv igjen</a>.</p>"), content_type="text/html") from exc


async def check_csrf(request: web.Request) -> web.MultiDictProxy:
    form = await read_form(request)
    user = current_user(request)
    expected = user["csrf"] if user else request.cookies.get(CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(str(form.get("csrf", "")), expected):
        raise web.HTTPForbidden(text=_page("Skjemaet er utløpt", "<p>Skjemaet er utløpt eller ugyldig. "
                                           "<a href=\"/staff/login\">Prøv igjen</a>.</p>"), content_type="text/html")
    return form


def require(*roles: str) -> Callable[[Handler], Handler]:
    """Only signed-in staff with one of ``roles`` (admins may do everything)."""
    def wrap(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            user = current_user(request)
            if user is None:
                raise web.HTTPSeeOther("/staff/login")
            if roles and user["role"] not in roles and user["role"] != "admin":
                logger.info("staff: refused role=%s path=%s", user["role"], request.path)
                raise web.HTTPForbidden(text=_page("Ingen tilgang", "<p>Du har ikke tilgang til denne siden.</p>", user),
                                        content_type="text/html")
            request["user"] = user
            return await handler(request)
        guarded.roles = roles  # type: ignore[attr-defined] - read by the route test
        return guarded
    return wrap


# --- pages ------------------------------------------------------------------------------------

def _page(title: str, body: str, user: dict | None = None, csrf: str = "") -> str:
    """A page built here inside the staff layout (``web.templates``); ``body`` is already escaped HTML."""
    return templates.page(title, body, user, csrf)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html")


def _login_form(csrf: str, message: str = "", username: str = "") -> str:
    alert = f'<p role="alert" class="error">{escape(message)}</p>' if message else ""
    return f"""{alert}<form method="post" action="/staff/login">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<p><label for="username">Brukernavn</label><br><input id="username" name="username" autocomplete="username" required value="{escape(username)}"></p>
<p><label for="password">Passord</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Logg inn</button></p></form>"""


async def login_page(request: web.Request) -> web.Response:
    if current_user(request):
        raise web.HTTPSeeOther("/staff")
    response = _html("")
    csrf = _csrf_token(request, response)
    response.text = _page("Logg inn", _login_form(csrf))
    return response


async def login(request: web.Request) -> web.Response:
    form = await check_csrf(request)
    username, password = str(form.get("username", ""))[:100], str(form.get("password", ""))[:1000]
    throttle: LoginThrottle = request.app["login_throttle"]
    client = client_address(request)
    if throttle.paused(username, client):  # the same answer for every name, known or not
        logger.info("staff: login paused for a client")
        message = f"For mange mislykkede forsøk fra denne maskinen. Vent {PAUSE_MINUTES} minutter og prøv igjen."
        return _html(_page("Logg inn", _login_form(_csrf_token(request), message, username)), status=429)

    def check(session):
        result = authenticate(session, username, password)
        user = result.user
        return (user.id, user.username, user.role) if user else None

    started = time.monotonic()
    user = await in_db(request, check)
    if user is None:
        throttle.failed(username, client)
        await asyncio.sleep(max(0.0, min(3.0, 0.5 * throttle.failures(username, client)) - (time.monotonic() - started)))
        logger.info("staff: login refused")
        return _html(_page("Logg inn", _login_form(_csrf_token(request), "Feil brukernavn eller passord.", username)), status=401)
    throttle.succeeded(username, client)
    user_id, name, role = user
    old = request.cookies.get(SESSION_COOKIE)

    def begin(session):
        sessions.end(session, old)  # a new session on every login, never the one a stranger may have planted
        return sessions.start(session, user_id)

    token = await in_db(request, begin)
    response = web.HTTPSeeOther("/staff")
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, **_cookie_options(request))
    response.del_cookie(CSRF_COOKIE, path="/staff")
    logger.info("staff: login role=%s", role)
    raise response


async def logout(request: web.Request) -> web.Response:
    await check_csrf(request)
    token = request.cookies.get(SESSION_COOKIE)
    await in_db(request, lambda session: sessions.end(session, token))  # the cookie opens nothing any more
    response = web.HTTPSeeOther("/staff/login")
    response.del_cookie(SESSION_COOKIE, path="/staff")
    raise response


@require()
async def home(request: web.Request) -> web.Response:
    user = request["user"]
    items = []
    if user["role"] in ("case_worker", "admin"):
        items += ['<li><a href="/staff/chat">Chat med familier</a></li>',
                  '<li><a href="/staff/callbacks">Tilbakeringinger</a></li>',
                  '<li><a href="/staff/applications">Innkomne søknader</a></li>']
    if user["role"] in ("editor", "admin"):
        items += ['<li><a href="/staff/services">Tjenester og oversettelser</a></li>',
                  '<li><a href="/staff/contacts">Kontaktpunkter og telefontider</a></li>',
                  '<li><a href="/staff/parameters">Parametere for sjekk av rettigheter</a></li>',
                  '<li><a href="/staff/unanswered">Ubesvarte spørsmål</a></li>',
                  '<li><a href="/staff/insight">Innsikt: bruk, svar og tilbakemeldinger</a></li>',
                  '<li><a href="/staff/export">Eksport og import av kunnskapsbasen</a></li>']
    body = f"<p>Du er logget inn som {escape(user['name'])} ({escape(ROLE_NAMES.get(user['role'], user['role']))}).</p>"
    if items:
        body += f"<ul>{''.join(items)}</ul>"
    return _html(_page("Start", body, user, user["csrf"]))


#: What a case worker reads in the list (not internal keys).
DELIVERY_NB = {"delivered": "Levert", "submitted": "Venter på levering"}


@require("case_worker")
async def applications(request: web.Request) -> web.Response:
    """The applications, newest first: services and language by their Norwegian names, local time."""
    def rows(session):
        titles = {service.key: service.title for service in list_services(session, "nb")}
        found = (session.query(Application).filter(Application.kind == "application")  # callbacks have their own queue
                 .order_by(Application.submitted_at.desc()).limit(500).all())
        return [{"reference": a.reference, "submitted_at": a.submitted_at,
                 "services": ", ".join(titles.get(key, key) for key in a.services),
                 "language": LANGUAGE_NAMES_NB.get(a.language, a.language), "status": DELIVERY_NB.get(a.status, a.status)}
                for a in found]

    return templates.render(request, "staff/applications.html", title="Innkomne søknader", rows=await in_db(request, rows))


@require("case_worker")
async def download(request: web.Request) -> web.Response:
    reference, kind = request.match_info["reference"], request.match_info["kind"]
    settings = _settings(request)

    def document(session):
        application = session.query(Application).filter_by(reference=reference).first()
        return None if application is None else document_of(application)

    data = await in_db(request, document)
    if data is None:
        raise web.HTTPNotFound(text=_page("Fant ikke søknaden", "<p>Det finnes ingen søknad med den referansen.</p>", request["user"]),
                               content_type="text/html")
    logger.info("staff: download kind=%s user=%s", kind, request["user"]["user"])
    body = await asyncio.to_thread(render_pdf, data, settings) if kind == "pdf" else render_json(data)
    return web.Response(body=body, content_type="application/pdf" if kind == "pdf" else "application/json",
                        headers={"Content-Disposition": f'attachment; filename="{reference}.{kind}"'})


def add_routes(app: web.Application) -> None:
    app.middlewares.append(staff_session)
    app["login_throttle"] = LoginThrottle()
    app.router.add_get("/staff/login", login_page)
    app.router.add_post("/staff/login", login)
    app.router.add_post("/staff/logout", logout)
    app.router.add_get("/staff", home)
    app.router.add_get("/staff/applications", applications)
    app.router.add_get(r"/staff/applications/{reference:VV-\d{4}-[A-Z0-9]{6}}/application.{kind:pdf|json}", download)
    add_user_routes(app)


__all__ = ["StaffUser", "add_routes", "current_user", "require"]


# --- users (admin) ----------------------------------------------------------------------------------

def _users_body(user: dict, users: list, message: str = "", ok: str = "") -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(u.username)}</th><td>{escape(ROLE_NAMES.get(u.role, u.role))}</td>'
        f'<td>{"aktiv" if u.active else "deaktivert"}</td>'
        f'<td>{escape(u.last_login_at.strftime("%d.%m.%Y %H:%M")) if u.last_login_at else "aldri"}</td><td>'
        + (f'<form method="post" action="/staff/users/{u.id}/deactivate"><input type="hidden" name="csrf" value="{escape(user["csrf"])}">'
           f'<button type="submit">Deaktiver<span class="visually-hidden"> {escape(u.username)}</span></button></form>'
           if u.active and u.id != user["user"] else "") + "</td></tr>"
        for u in users)
    options = "".join(f'<option value="{role}">{escape(name)}</option>' for role, name in ROLE_NAMES.items())
    alert = f'<p role="alert" class="error">{escape(message)}</p>' if message else (f'<p role="status">{escape(ok)}</p>' if ok else "")
    return (f"{alert}<table><caption>Brukere</caption><thead><tr><th scope=\"col\">Brukernavn</th><th scope=\"col\">Rolle</th>"
            f"<th scope=\"col\">Status</th><th scope=\"col\">Sist innlogget</th><th scope=\"col\">Handling</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><h2>Ny bruker</h2>"
            f'<form method="post" action="/staff/users"><input type="hidden" name="csrf" value="{escape(user["csrf"])}">'
            '<p><label for="u-name">Brukernavn</label><br><input id="u-name" name="username" required maxlength="64" autocomplete="off"></p>'
            '<p><label for="u-password">Passord (minst 12 tegn)</label><br><input id="u-password" name="password" type="password" '
            'required minlength="12" autocomplete="new-password"></p>'
            f'<p><label for="u-role">Rolle</label><br><select id="u-role" name="role">{options}</select></p>'
            '<p><button type="submit">Opprett bruker</button></p></form>')


def _all_users(session: Session) -> list:
    return session.query(StaffUser).order_by(StaffUser.username).all()  # sessions keep loaded values after commit


@require("admin")
async def users_page(request: web.Request) -> web.Response:
    user = request["user"]
    users = await in_db(request, _all_users)
    return _html(_page("Brukere", _users_body(user, users), user, user["csrf"]))


@require("admin")
async def create_user_page(request: web.Request) -> web.Response:
    from knowledge.staff.accounts import AccountError, create_user

    user = request["user"]
    form = await check_csrf(request)

    def create(session):
        return create_user(session, str(form.get("username", "")), str(form.get("password", "")), str(form.get("role", ""))).username

    try:
        name = await in_db(request, create)
    except AccountError as error:
        users = await in_db(request, _all_users)
        return _html(_page("Brukere", _users_body(user, users, message=str(error)), user, user["csrf"]), status=422)
    logger.info("staff: user created by=%s", user["user"])
    users = await in_db(request, _all_users)
    return _html(_page("Brukere", _users_body(user, users, ok=f"Brukeren {name} er opprettet."), user, user["csrf"]))


@require("admin")
async def deactivate_user_page(request: web.Request) -> web.Response:
    user = request["user"]
    await check_csrf(request)
    target = int(request.match_info["id"])
    if target == user["user"]:
        raise web.HTTPBadRequest(text="du kan ikke deaktivere deg selv")

    def deactivate(session):
        found = session.get(StaffUser, target)
        if found is None:
            raise web.HTTPNotFound(text="fant ikke brukeren")
        found.active = False
        sessions.end_all(session, target)  # signed out everywhere, at once

    await in_db(request, deactivate)
    raise web.HTTPSeeOther("/staff/users")


def add_user_routes(app: web.Application) -> None:
    app.router.add_get("/staff/users", users_page)
    app.router.add_post("/staff/users", create_user_page)
    app.router.add_post(r"/staff/users/{id:\d{1,9}}/deactivate", deactivate_user_page)  # no id too big for the database
