"""The staff pages' templates: one Jinja2 environment with autoescaping, one layout, one menu.

Every value a template shows is escaped, so a family's message, a case worker's name or an
editor's text can never become markup in a colleague's browser, and its direction controls are
neutralised (``shown``); no staff HTML is built in Python.
``aiohttp_jinja2.render_template`` finds this environment on the app.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup

from knowledge.handoff.live_chat import aware
from knowledge.phone_hours import OSLO
from knowledge.staff import names
from knowledge.text import neutral_direction

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"  # web/templates

@dataclass(frozen=True)
class Area:
    path: str
    label: str  # in the menu
    description: str  # on the start page
    roles: tuple[str, ...]  # who sees it (none: everybody signed in; admins see everything)


#: The staff area: the menu and the start page both list it from here.
MENU = (
    Area("/staff", "Start", "", ()),
    Area("/staff/chat", "Chat", "Chat med familier", ("case_worker",)),
    Area("/staff/callbacks", "Tilbakeringinger", "Tilbakeringinger", ("case_worker",)),
    Area("/staff/applications", "Søknader", "Innkomne søknader", ("case_worker",)),
    Area("/staff/services", "Tjenester", "Tjenester og oversettelser", ("editor",)),
    Area("/staff/contacts", "Kontaktpunkter", "Kontaktpunkter og telefontider", ("editor",)),
    Area("/staff/parameters", "Parametere", "Parametere for sjekk av rettigheter", ("editor",)),
    Area("/staff/unanswered", "Ubesvarte spørsmål", "Ubesvarte spørsmål", ("editor",)),
    Area("/staff/insight", "Innsikt", "Innsikt: bruk, svar og tilbakemeldinger", ("editor",)),
    Area("/staff/export", "Eksport og import", "Eksport og import av kunnskapsbasen", ("editor",)),
    Area("/staff/users", "Brukere", "Brukere og roller", ("admin",)),
)


def allowed(user: dict | None, roles: tuple[str, ...]) -> bool:
    """Whether ``user`` may open a page for ``roles`` (none: every signed-in user; admins: all)."""
    return user is not None and (not roles or user["role"] in roles or user["role"] == "admin")


def menu_for(user: dict | None) -> list[Area]:
    return [area for area in MENU if allowed(user, area.roles)]


def local_time(moment, pattern: str = "%d.%m.%Y kl. %H:%M") -> str:
    """A stored time (UTC) as the staff read it: Norwegian local time."""
    return "" if moment is None else aware(moment).astimezone(OSLO).strftime(pattern)


def shown(value: Any) -> Any:
    """Every value a template prints: direction controls neutralised (then autoescaped by Jinja2)."""
    return neutral_direction(value) if isinstance(value, str) and not isinstance(value, Markup) else value


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
