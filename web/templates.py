"""The staff pages' templates: one Jinja2 environment with autoescaping, one layout.

Every value a template shows is escaped unless the code marks it as HTML (``Markup``), so a
family's message or a case worker's name can never become markup in a colleague's browser. The
older pages, still built in Python, are put inside the same layout (``page``); issue 17 moves them
onto templates one by one. ``aiohttp_jinja2.render_template`` finds this environment on the app.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from knowledge.handoff.live_chat import aware

TEMPLATES = Path(__file__).resolve().parent / "templates"
OSLO = ZoneInfo("Europe/Oslo")

#: The staff menu: path, label, and the roles that see it (admins see everything).
MENU: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/staff", "Start", ()),
    ("/staff/chat", "Chat", ("case_worker",)),
    ("/staff/callbacks", "Tilbakeringinger", ("case_worker",)),
    ("/staff/applications", "Søknader", ("case_worker",)),
    ("/staff/services", "Tjenester", ("editor",)),
    ("/staff/contacts", "Kontaktpunkter", ("editor",)),
    ("/staff/parameters", "Parametere", ("editor",)),
    ("/staff/unanswered", "Ubesvarte spørsmål", ("editor",)),
    ("/staff/insight", "Innsikt", ("editor",)),
    ("/staff/export", "Eksport og import", ("editor",)),
    ("/staff/users", "Brukere", ("admin",)),
)


def menu_for(user: dict | None) -> list[tuple[str, str]]:
    if not user:
        return []
    return [(path, label) for path, label, roles in MENU if not roles or user["role"] in roles or user["role"] == "admin"]


def local_time(moment, pattern: str = "%d.%m.%Y kl. %H:%M") -> str:
    """A stored time (UTC) as the staff read it: Norwegian local time."""
    return "" if moment is None else aware(moment).astimezone(OSLO).strftime(pattern)


ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENVIRONMENT.globals["menu_for"] = menu_for
ENVIRONMENT.filters["local_time"] = local_time


def page(title: str, body: str | Markup, user: dict | None = None, csrf: str = "", current: str = "") -> str:
    """A page built in Python (``body`` is HTML its builder escaped) inside the one layout."""
    return ENVIRONMENT.get_template("staff/layout.html").render(title=title, body=Markup(body), user=user, csrf=csrf,
                                                               current=current)


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    """A templated staff page; the signed-in user and the CSRF token are always in its context."""
    user = request.get("user")
    context = {"user": user, "csrf": user["csrf"] if user else "", "current": request.path, **context}
    response = aiohttp_jinja2.render_template(name, request, context, status=status)
    response.content_type = "text/html"
    return response


def setup(app: web.Application) -> None:
    app[aiohttp_jinja2.APP_KEY] = ENVIRONMENT
