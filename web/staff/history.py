"""The one history and restore view every versioned record shares (service texts, contact points,
eligibility parameters, service settings).

A record kind says where its pages are and how to read and restore its versions (``Versioned``);
this module gives each the same page: versions newest first, numbered within the record (1 is where
it started: the seed's, dated when the seed was loaded, or the editor's who created it), who, when and why, what changed from the
version before word by word, and a form to restore an older one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.staff.records import Change, RecordError, changes, text_of
from web.database import in_db
from web.staff.auth import check_csrf, require
from web.staff.pages import message, render

#: Unchanged text longer than this, between two changes, is shortened to its ends.
CONTEXT_CHARACTERS = 120


@dataclass(frozen=True)
class Version:
    """One version as the history page shows it."""
    id: int  # the database's, sent by the restore form
    number: int  # within the record: 1 is the oldest
    created_at: datetime
    author: str
    reason: str
    changes: list[Change]  # from the version before
    contents: list[tuple[str, str]] = field(default_factory=list)  # the first version's fields, shown whole
    details: list[str] = field(default_factory=list)  # e.g. a text's translation status


@dataclass(frozen=True)
class History:
    title: str
    edit_url: str
    versions: list[Version]  # newest first
    labels: dict[str, str]  # field name -> Norwegian label
    language: str | None = None  # the texts' language, for lang and dir

    def language_of(self, field: str) -> str | None:
        """A field's language: the record's, or its own ("ar.name" on a contact point is Arabic)."""
        prefix = field.split(".", 1)[0]
        return prefix if "." in field and prefix in ANSWER_LANGUAGES else self.language


def versions_of(rows: list[Any], values: Callable[[Any], dict[str, Any]], fields: tuple[str, ...],
                details: Callable[[Any], list[str]] = lambda row: []) -> list[Version]:
    """``rows`` (newest first, with id, created_at, author, reason) as versions, each compared with the one before."""
    shown = [values(row) for row in rows]
    found = []
    for index, (row, now) in enumerate(zip(rows, shown, strict=True)):
        first = index == len(rows) - 1
        found.append(Version(row.id, len(rows) - index, row.created_at, row.author, row.reason,
                             [] if first else changes(shown[index + 1], now, fields),
                             [(name, text_of(now.get(name))) for name in fields if text_of(now.get(name))] if first else [],
                             details(row)))
    return found


@dataclass(frozen=True)
class Versioned:
    """A kind of versioned record: its pages' address (``{key}`` and the like from the route), how
    to load its history (None: no such record), and how to restore one of its versions (raising
    ``RecordError`` when the version is not this record's)."""
    route: str
    load: Callable[[Session, dict[str, str]], History | None]
    restore: Callable[[Session, dict[str, str], int, str, str], Any]


def shortened(parts: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The parts of a change with long unchanged stretches cut to the words next to a change."""
    half, last = CONTEXT_CHARACTERS // 2, len(parts) - 1
    result = []
    for index, (kind, text) in enumerate(parts):
        if kind == "same" and len(text) > CONTEXT_CHARACTERS:
            start = "" if index == 0 else text[:half].rsplit(" ", 1)[0]
            end = "" if index == last else text[-half:].split(" ", 1)[-1].rstrip()
            cut = " … ".join(filter(None, (start, end))) if start and end else f"{start} …" if start else f"… {end}"
            text = cut + (" " if text[-1:].isspace() else "")  # the space before the next change stays
        result.append((kind, text))
    return result


def version_to_restore(request: web.Request, form) -> int:
    """The version a restore form sent (the database's id)."""
    text = str(form.get("version", ""))
    if not (text.isdigit() and len(text) <= 9):  # a number the database can hold
        raise message(request, web.HTTPBadRequest, "Ikke gjenopprettet", "Skjemaet sa ikke hvilken versjon.",
                      back=request.path.removesuffix("/restore") + "/history")
    return int(text)


def add_routes(app: web.Application, versioned: Versioned) -> None:
    """``{route}/history`` and ``{route}/restore`` for one kind of record."""

    @require("editor")
    async def history_page(request: web.Request) -> web.Response:
        found = await in_db(request, lambda session: versioned.load(session, dict(request.match_info)))
        if found is None:
            raise message(request, web.HTTPNotFound, "Fant ikke siden", "Det finnes ikke noe med det navnet.", back="/staff")
        return render(request, "staff/history.html", title=f"Historikk: {found.title}", history=found, shortened=shortened,
                      restore_url=request.path.removesuffix("/history") + "/restore")

    @require("editor")
    async def restore_page(request: web.Request) -> web.Response:
        form = await check_csrf(request)
        version, match = version_to_restore(request, form), dict(request.match_info)
        try:
            await in_db(request, lambda session: versioned.restore(session, match, version, request["user"]["name"],
                                                                   str(form.get("reason", ""))))
        except RecordError as error:
            raise message(request, web.HTTPBadRequest, "Ikke gjenopprettet", str(error),
                          back=request.path.removesuffix("/restore") + "/history") from None
        raise web.HTTPSeeOther(request.path.removesuffix("/restore") + "/history")

    app.router.add_get(versioned.route + "/history", history_page)
    app.router.add_post(versioned.route + "/restore", restore_page)
