"""Editors' pages for the services' texts: the table of services and their status per language,
what needs a translator, and the edit page (a changed Norwegian claim asks for its source). Saving
publishes at once (the chat reads the knowledge base on every answer); the history is
``web.staff.history``'s.
"""
from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import (
    SERVICE_TEXT_FIELDS,
    SOURCED_FIELDS,
    Service,
    ServiceContent,
    sourced_fields,
    text_fields,
)
from knowledge.staff import contacts, content, names, services, sourcing
from knowledge.staff.content import FIELD_LABELS
from web.database import in_db
from web.staff import history
from web.staff.auth import check_csrf, require
from web.staff.pages import message, render


def _key_language(request: web.Request) -> tuple[str, str]:
    key, language = request.match_info["key"], request.match_info["language"]
    if language not in ANSWER_LANGUAGES:
        raise message(request, web.HTTPNotFound, "Ukjent språk", "Tekstene finnes på norsk, engelsk, arabisk og tigrinja.",
                      back="/staff/services")
    return key, language


@require("editor")
async def services_page(request: web.Request) -> web.Response:
    rows = await in_db(request, lambda session: content.translation_status(session, include_hidden=True))
    return render(request, "staff/services.html", title="Tjenester", rows=rows, languages=ANSWER_LANGUAGES)


@require("editor")
async def translations_page(request: web.Request) -> web.Response:
    rows, contact_rows = await in_db(request, lambda session: (content.translation_status(session), contacts.translation_status(session)))
    items = [(key, title, cell) for key, title, cells in rows for cell in cells if cell.status in ("missing", "machine_drafted", "out_of_date")]
    return render(request, "staff/translations.html", title="Oversettelser som trenger oppmerksomhet", items=items,
                  contact_rows=contact_rows)


@dataclass
class Editing:
    """What the edit page shows besides the texts: the record's kind, each text's sources and the
    documents a new source can come from."""
    kind: str
    title: str
    sources: dict[str, list[str]]
    documents: list[tuple[str, str]]


def _editing(session, key: str) -> Editing | None:
    service = session.get(Service, key)
    if service is None:
        return None
    sources = {field: ["; ".join(filter(None, (f"{s.document.title}, {s.section}", s.law)))
                       for s in service.sources if not s.fields or field in s.fields]
               for field in sourced_fields(service.kind)}
    return Editing(service.kind, services.title_nb(service), sources, sourcing.documents(session))


async def _found(request: web.Request, key: str) -> Editing:
    editing = await in_db(request, lambda session: _editing(session, key))
    if editing is None:
        raise message(request, web.HTTPNotFound, "Ukjent tjeneste", "Det finnes ingen tjeneste med den nøkkelen.", back="/staff/services")
    return editing


def _form(request: web.Request, key: str, language: str, values: dict[str, str], status: str, editing: Editing,
          problem: str = "", ask: list[str] | None = None, answers: dict[str, sourcing.SourceAnswer] | None = None,
          reason: str = "", code: int = 200) -> web.Response:
    return render(request, "staff/service_texts.html", status=code,
                  title=f"{values.get('title') or editing.title} – {names.language(language)}",
                  key=key, language=language, values=values, status_chosen=status, editing=editing, problem=problem,
                  ask=ask or [], answers=answers or {}, reason=reason, fields=text_fields(editing.kind), labels=FIELD_LABELS,
                  choices=["source"] if language == "nb" else ["machine_drafted", "reviewed"], sourcing=sourcing)


@require("editor")
async def edit_page(request: web.Request) -> web.Response:
    key, language = _key_language(request)
    editing = await _found(request, key)

    def load(session):
        row = session.query(ServiceContent).filter_by(service_key=key, language=language).one_or_none()
        values = {f: getattr(row, f) or "" for f in SERVICE_TEXT_FIELDS} if row else {}
        return values, (row.translation_status.value if row else ("source" if language == "nb" else "machine_drafted"))

    values, status = await in_db(request, load)
    return _form(request, key, language, values, status, editing)


@require("editor")
async def save_page(request: web.Request) -> web.Response:
    """Publish the texts; a changed Norwegian claim first asks for its source (knowledge.staff.sourcing)."""
    key, language = _key_language(request)
    form = await check_csrf(request)
    values = {field: str(form.get(field, "")) for field in SERVICE_TEXT_FIELDS}
    status, reason = str(form.get("status", "")), str(form.get("reason", ""))
    answers = sourcing.answers_from_form(form, SOURCED_FIELDS)
    try:
        await in_db(request, lambda session: sourcing.save(session, key, language, values, status, request["user"]["name"],
                                                           reason, answers))
    except content.ContentError as error:
        editing = await _found(request, key)
        ask = list(error.fields) if isinstance(error, sourcing.SourceNeeded) else [f for f in answers if f in editing.sources]
        return _form(request, key, language, values, status, editing, str(error), ask, answers, reason, code=422)
    raise web.HTTPSeeOther(f"/staff/services/{key}/{language}/history")


def _texts_history(session, match: dict[str, str]) -> history.History | None:
    key, language = match["key"], match["language"]
    service = session.get(Service, key) if language in ANSWER_LANGUAGES else None
    if service is None:
        return None
    versions = content.history(session, key, language)
    return history.History(
        f"{services.title_nb(service)} – {names.language(language)}", f"/staff/services/{key}/{language}",
        history.versions_of(versions, lambda v: v.fields, SERVICE_TEXT_FIELDS,
                            lambda v: [names.TRANSLATION_STATUS.get(v.translation_status, v.translation_status)]),
        FIELD_LABELS, language)


def _texts_restore(session, match: dict[str, str], version: int, author: str, reason: str) -> None:
    content.restore(session, version, author, reason, key=match["key"], language=match["language"])


TEXTS = history.Versioned("/staff/services/{key}/{language}", _texts_history, _texts_restore)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/services", services_page)
    app.router.add_get("/staff/translations", translations_page)
    app.router.add_get("/staff/services/{key}/{language}", edit_page)
    app.router.add_post("/staff/services/{key}/{language}", save_page)
    history.add_routes(app, TEXTS)
