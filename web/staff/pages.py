"""The staff pages' templates: one Jinja2 environment with autoescaping, one layout, one menu.

Every value a template shows is escaped, so a family's message, a case worker's name or an
editor's text can never become markup in a colleague's browser, and its direction controls are
neutralised (``shown``); no staff HTML is built in Python.
``aiohttp_jinja2.render_template`` finds this environment on the app.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from knowledge.handoff.live_chat import aware
from knowledge.phone_hours import OSLO
from knowledge.staff import names

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"  # web/templates

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


def allowed(user: dict | None, roles: tuple[str, ...]) -> bool:
    """Whether ``user`` may open a page for ``roles`` (none: every signed-in user; admins: all)."""
    return user is not None and (not roles or user["role"] in roles or user["role"] == "admin")


def menu_for(user: dict | None) -> list[tuple[str, str]]:
    return [(path, label) for path, label, roles in MENU if allowed(user, roles)]


def local_time(moment, pattern: str = "%d.%m.%Y kl. %H:%M") -> str:
    """A stored time (UTC) as the staff read it: Norwegian local time."""
    return "" if moment is None else aware(moment).astimezone(OSLO).strftime(pattern)


#: Direction overrides, embeddings and isolates: typed into a name or a message they could reverse
#: what a case worker reads around them ("gpj.exe"). Shown as the replacement character instead, so
#: the page says something was there. Arabic and Tigrinya need none of them (the marks U+200E/F stay).
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd")


def shown(value: Any) -> Any:
    """Every value a template prints: bidi controls neutralised (then autoescaped by Jinja2)."""
    return value.translate(BIDI_CONTROLS) if isinstance(value, str) and not isinstance(value, Markup) else value


ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, finalize=shown,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENVIRONMENT.globals.update(menu_for=menu_for, names=names, allowed=allowed)
ENVIRONMENT.filters["local_time"] = local_time


def _context(request: web.Request, context: dict[str, Any]) -> dict[str, Any]:
    """The signed-in user, the CSRF token and the current path are in every page's context."""
    user = request.get("user")
    return {"user": user, "csrf": user["csrf"] if user else "", "current": request.path, **context}


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    """A templated staff page."""
    response = aiohttp_jinja2.render_template(name, request, _context(request, context), status=status)
    response.content_type = "text/html"
    return response


def message(request: web.Request, error: type[web.HTTPException], title: str, text: str, back: str | None = None,
            **extra: Any) -> web.HTTPException:
    """An HTTP error to raise whose body is a staff page saying what went wrong (and where to go)."""
    html = ENVIRONMENT.get_template("staff/message.html").render(_context(request, {"title": title, "message": text,
                                                                                     "back": back}))
    return error(text=html, content_type="text/html", **extra)


def setup(app: web.Application) -> None:
    app[aiohttp_jinja2.APP_KEY] = ENVIRONMENT
