"""Signing in to the staff area: login, sessions, roles and the one CSRF check.

Sessions live in the database (knowledge.staff.sessions) and are checked on every request, so
logging out or deactivating a user ends them at once; the cookie holds only a random token, and
is HttpOnly, SameSite=Strict, limited to /staff, and Secure in production. Every form carries a CSRF
token (double-submit: the same random value in a cookie and in the form), checked by ``check_csrf``
(or ``csrf_matches`` for the streamed import form). Failed logins slow the answer down; five for one
name from one client, or twenty from one client, pause that client (knowledge.throttle); the
account itself is never locked. Pages are Norwegian, for the municipality's staff.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from knowledge.config import Settings
from knowledge.staff import sessions
from knowledge.staff.accounts import authenticate
from knowledge.throttle import PAUSE_MINUTES, LoginThrottle
from web.client_address import client_address
from web.database import in_db
from web.staff.pages import allowed, message, render

logger = logging.getLogger(__name__)
SESSION_COOKIE, CSRF_COOKIE = "veiviser_staff", "veiviser_csrf"
SESSION_HOURS = sessions.SESSION_HOURS
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# --- sessions and CSRF ----------------------------------------------------------------------------

def _settings(request: web.Request) -> Settings:
    return request.app["settings"]


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


def _csrf_token(request: web.Request) -> str:
    """The page's CSRF token: the session's, or (before login) the CSRF cookie's or a new random one."""
    user = current_user(request)
    if user:
        return user["csrf"]
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


async def read_form(request: web.Request) -> web.MultiDictProxy:
    """A posted form; a body that is not one (bad multipart, not UTF-8, an unknown charset) is a
    400, even before login."""
    try:
        return await request.post()
    except (ValueError, LookupError, UnicodeDecodeError, AssertionError) as exc:
        raise message(request, web.HTTPBadRequest, "Ugyldig skjema", "Skjemaet kunne ikke leses. Gå tilbake og prøv igjen.",
                      back="/staff" if current_user(request) else "/staff/login") from exc


def csrf_matches(request: web.Request, sent: str) -> bool:
    """Whether a form's token is this page's: the session's, or before login the CSRF cookie's."""
    user = current_user(request)
    expected = user["csrf"] if user else request.cookies.get(CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))


def expired_form(request: web.Request) -> web.HTTPException:
    return message(request, web.HTTPForbidden, "Skjemaet er utløpt", "Skjemaet er utløpt eller ugyldig. Last siden på nytt "
                   "og prøv igjen.", back="/staff" if current_user(request) else "/staff/login")


async def check_csrf(request: web.Request) -> web.MultiDictProxy:
    """The posted form, once its CSRF token is checked (a 403 page when it is not the page's)."""
    form = await read_form(request)
    if not csrf_matches(request, str(form.get("csrf", ""))):
        raise expired_form(request)
    return form


def require(*roles: str) -> Callable[[Handler], Handler]:
    """Only signed-in staff with one of ``roles`` (admins may do everything)."""
    def wrap(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            user = current_user(request)
            if user is None:
                raise web.HTTPSeeOther("/staff/login")
            if not allowed(user, roles):
                logger.info("staff: refused role=%s path=%s", user["role"], request.path)
                raise message(request, web.HTTPForbidden, "Ingen tilgang", "Du har ikke tilgang til denne siden.", back="/staff")
            return await handler(request)
        guarded.roles = roles  # type: ignore[attr-defined] - read by the route test
        return guarded
    return wrap


# --- login and the start page --------------------------------------------------------------------

def _login(request: web.Request, csrf: str, problem: str = "", username: str = "", status: int = 200) -> web.Response:
    return render(request, "staff/login.html", status=status, title="Logg inn", csrf=csrf, problem=problem, username=username)


async def login_page(request: web.Request) -> web.Response:
    if current_user(request):
        raise web.HTTPSeeOther("/staff")
    token = _csrf_token(request)
    response = _login(request, token)
    response.set_cookie(CSRF_COOKIE, token, max_age=3600, **_cookie_options(request))
    return response


async def login(request: web.Request) -> web.Response:
    form = await check_csrf(request)
    username, password = str(form.get("username", ""))[:100], str(form.get("password", ""))[:1000]
    throttle: LoginThrottle = request.app["login_throttle"]
    client = client_address(request)
    if throttle.paused(username, client):  # the same answer for every name, known or not
        logger.info("staff: login paused for a client")
        return _login(request, _csrf_token(request), f"For mange mislykkede forsøk fra denne maskinen. Vent {PAUSE_MINUTES} "
                      "minutter og prøv igjen.", username, status=429)

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
        return _login(request, _csrf_token(request), "Feil brukernavn eller passord.", username, status=401)
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
    return render(request, "staff/home.html", title="Start")


def add_routes(app: web.Application) -> None:
    app.middlewares.append(staff_session)
    app["login_throttle"] = LoginThrottle()
    app.router.add_get("/staff/login", login_page)
    app.router.add_post("/staff/login", login)
    app.router.add_post("/staff/logout", logout)
    app.router.add_get("/staff", home)
