"""Editors' pages: services and their texts per language, history with diffs and restore, and
the translation status. Saving publishes at once (the chat reads the knowledge base on every
answer). Norwegian pages for staff; every value shown is escaped, every input validated.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from aiohttp import web
from sqlalchemy import select

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import (
    SERVICE_TEXT_FIELDS,
    SOURCED_FIELDS,
    Service,
    ServiceContent,
    SourceDocument,
    sourced_fields,
    text_fields,
)
from knowledge.staff import contacts, content, sourcing
from knowledge.staff.content import FIELD_LABELS
from web.staff import _html, _page, check_csrf, in_db, require
from web.staff_history import HistoryEntry, history_list, version_to_restore

LANGUAGE_NAMES = {"nb": "Norsk (bokmål, kilde)", "en": "Engelsk", "ar": "Arabisk", "ti": "Tigrinja"}
STATUS_NAMES = {"source": "kilde", "reviewed": "kontrollert", "machine_drafted": "maskinoversatt utkast",
                "out_of_date": "utdatert (norsk er endret)", "missing": "mangler"}


def _key_language(request: web.Request) -> tuple[str, str]:
    key, language = request.match_info["key"], request.match_info["language"]
    if language not in ANSWER_LANGUAGES:
        raise web.HTTPNotFound(text="ukjent språk")
    return key, language


@require("editor")
async def services_page(request: web.Request) -> web.Response:
    user = request["user"]
    rows = await in_db(request, lambda session: content.translation_status(session, include_hidden=True))
    head = "".join(f'<th scope="col">{escape(LANGUAGE_NAMES[lang])}</th>' for lang in ANSWER_LANGUAGES)
    body_rows = "".join(
        f'<tr><th scope="row">{escape(title)}</th>' + "".join(
            f'<td><a href="/staff/services/{escape(key)}/{cell.language}">{escape(STATUS_NAMES[cell.status])}'
            f'<span class="visually-hidden"> – rediger {escape(title)} på {escape(LANGUAGE_NAMES[cell.language])}</span></a></td>'
            for cell in cells)
        + f'<td><a href="/staff/services/{escape(key)}/settings">Innstillinger<span class="visually-hidden"> for {escape(title)}'
          "</span></a></td></tr>"
        for key, title, cells in rows)
    body = ('<p>Velg en tekst for å redigere den. Lagring publiserer med en gang: chatten bruker den nye teksten fra neste melding.</p>'
            '<p><a href="/staff/translations">Se hva som trenger oversettelse eller kontroll</a> · '
            '<a href="/staff/services/new">Opprett en ny tjeneste</a></p>'
            f'<table><caption>Tjenester og status per språk</caption><thead><tr><th scope="col">Tjeneste</th>{head}'
            '<th scope="col">Kontakt, kilder, synlighet</th></tr></thead>'
            f"<tbody>{body_rows}</tbody></table>")
    return _html(_page("Tjenester", body, user, user["csrf"]))


@require("editor")
async def translations_page(request: web.Request) -> web.Response:
    user = request["user"]
    rows, contact_rows = await in_db(request, lambda session: (content.translation_status(session), contacts.translation_status(session)))
    items = [(key, title, cell) for key, title, cells in rows for cell in cells if cell.status in ("missing", "machine_drafted", "out_of_date")]
    body = ("<h2>Tjenester</h2>" + ("<p>Ingenting trenger oppmerksomhet.</p>" if not items else
            "<ul>" + "".join(f'<li><a href="/staff/services/{escape(key)}/{cell.language}">{escape(title)} – '
                             f'{escape(LANGUAGE_NAMES[cell.language])}</a>: {escape(STATUS_NAMES[cell.status])}</li>'
                             for key, title, cell in items) + "</ul>"))
    body += ("<h2>Kontaktpunkter</h2>" + ("<p>Ingenting trenger oppmerksomhet.</p>" if not contact_rows else
             "<ul>" + "".join(f'<li><a href="/staff/contacts/{escape(key)}">{escape(name)} – {escape(LANGUAGE_NAMES[language])}</a>: '
                              f"{escape(STATUS_NAMES[status])}</li>" for key, name, language, status in contact_rows) + "</ul>"))
    return _html(_page("Oversettelser som trenger oppmerksomhet", body, user, user["csrf"]))


@dataclass
class _Editing:
    """What the edit page shows besides the texts: the record's kind, each text's sources and the
    documents a new source can come from."""
    kind: str
    sources: dict[str, list[str]]
    documents: list[tuple[str, str]]


def _editing(session, key: str) -> _Editing:
    service = session.get(Service, key)
    if service is None:
        raise web.HTTPNotFound(text="ukjent tjeneste")
    sources = {field: ["; ".join(filter(None, (f"{s.document.title}, {s.section}", s.law)))
                       for s in service.sources if not s.fields or field in s.fields]
               for field in sourced_fields(service.kind)}
    documents = [(d.id, d.title) for d in session.execute(select(SourceDocument).order_by(SourceDocument.id)).scalars()]
    return _Editing(service.kind, sources, documents)


def _source_question(field: str, editing: _Editing, answer: sourcing.SourceAnswer | None) -> str:
    """For a changed Norwegian text: do its sources still say it, or which source does?"""
    label, chosen = escape(FIELD_LABELS[field]), answer.choice if answer else ""
    options = '<option value="">(velg dokument)</option>' + "".join(
        f'<option value="{escape(key)}"{" selected" if answer and answer.document == key else ""}>{escape(title)}</option>'
        for key, title in editing.documents)
    return (f'<fieldset class="source-question"><legend>Kilde for «{label}» (teksten er endret)</legend>'
            f'<p><input type="radio" id="sc-{field}-kept" name="source_choice_{field}" value="{sourcing.KEPT}"'
            f'{" checked" if chosen == sourcing.KEPT else ""}> <label for="sc-{field}-kept">Kildene som står over, sier fortsatt dette</label></p>'
            f'<p><input type="radio" id="sc-{field}-new" name="source_choice_{field}" value="{sourcing.NEW}"'
            f'{" checked" if chosen == sourcing.NEW else ""}> <label for="sc-{field}-new">Teksten bygger på en ny kilde:</label></p>'
            f'<p><label for="sd-{field}">Dokument</label><br><select id="sd-{field}" name="source_document_{field}">{options}</select></p>'
            f'<p><label for="ss-{field}">Avsnitt</label><br><input id="ss-{field}" name="source_section_{field}" maxlength="300" '
            f'value="{escape(answer.section if answer else "")}"></p>'
            f'<p><label for="sl-{field}">Lov (valgfritt)</label><br><input id="sl-{field}" name="source_law_{field}" maxlength="300" '
            f'value="{escape(answer.law if answer else "")}"></p></fieldset>')


def _form(user: dict, key: str, language: str, values: dict[str, str], status: str, editing: _Editing, message: str = "",
          ask: list[str] | None = None, answers: dict[str, sourcing.SourceAnswer] | None = None) -> str:
    direction = "rtl" if language == "ar" else "ltr"

    def text_field(field: str) -> str:
        html = (f'<p><label for="f-{field}">{escape(FIELD_LABELS[field])}</label><br>'
                + (f'<input id="f-{field}" name="{field}" lang="{language}" dir="{direction}" required maxlength="200" value="{escape(values.get(field, ""))}">'
                   if field == "title" else
                   f'<textarea id="f-{field}" name="{field}" lang="{language}" dir="{direction}" rows="4" cols="70" required '
                   f'aria-describedby="src-{field}">{escape(values.get(field, ""))}</textarea>') + "</p>")
        if field in editing.sources:
            html += (f'<p id="src-{field}" class="hint">Kilde: ' + escape("; ".join(editing.sources[field]) or "ingen") + "</p>")
        if field in (ask or []):
            html += _source_question(field, editing, (answers or {}).get(field))
        return html

    fields = "".join(text_field(field) for field in text_fields(editing.kind))
    choices = ["source"] if language == "nb" else ["machine_drafted", "reviewed"]
    options = "".join(f'<option value="{c}"{" selected" if c == status else ""}>{escape(STATUS_NAMES[c])}</option>' for c in choices)
    alert = f'<p role="alert" class="error">{escape(message)}</p>' if message else ""
    sources_note = ('<p>Endrer du hva en tekst sier (et ord eller et tall), spør siden hvilken kilde som sier det. Kildene '
                    f'for hele tjenesten endres under <a href="/staff/services/{escape(key)}/settings">Innstillinger</a>.</p>'
                    if language == "nb" else "")
    return (f'{alert}<p><a href="/staff/services/{escape(key)}/{language}/history">Historikk</a></p>{sources_note}'
            f'<form method="post" action="/staff/services/{escape(key)}/{language}">'
            f'<input type="hidden" name="csrf" value="{escape(user["csrf"])}">{fields}'
            f'<p><label for="f-status">Status</label><br><select id="f-status" name="status">{options}</select></p>'
            '<p><label for="f-reason">Hvorfor endres teksten? (lagres i historikken)</label><br>'
            f'<input id="f-reason" name="reason" required minlength="3" maxlength="500" value="{escape(values.get("_reason", ""))}"></p>'
            '<p><button type="submit">Lagre og publiser</button></p></form>')


@require("editor")
async def edit_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, language = _key_language(request)

    def load(session):
        editing = _editing(session, key)
        row = session.query(ServiceContent).filter_by(service_key=key, language=language).one_or_none()
        values = {f: getattr(row, f) for f in SERVICE_TEXT_FIELDS} if row else {}
        return values, (row.translation_status.value if row else ("source" if language == "nb" else "machine_drafted")), editing

    values, status, editing = await in_db(request, load)
    title = f"{values.get('title') or key} – {LANGUAGE_NAMES[language]}"
    return _html(_page(title, _form(user, key, language, values, status, editing), user, user["csrf"]))


@require("editor")
async def save_page(request: web.Request) -> web.Response:
    """Publish the texts; a changed Norwegian claim first asks for its source (knowledge.staff.sourcing)."""
    user = request["user"]
    key, language = _key_language(request)
    form = await check_csrf(request)
    values = {field: str(form.get(field, "")) for field in SERVICE_TEXT_FIELDS}
    status, reason = str(form.get("status", "")), str(form.get("reason", ""))
    answers = sourcing.answers_from_form(form, SOURCED_FIELDS)
    try:
        await in_db(request, lambda session: sourcing.save(session, key, language, values, status, user["name"], reason, answers))
    except content.ContentError as error:
        editing = await in_db(request, lambda session: _editing(session, key))
        ask = list(error.fields) if isinstance(error, sourcing.SourceNeeded) else [f for f in answers if f in editing.sources]
        page = _form(user, key, language, {**values, "_reason": reason}, status, editing, str(error), ask, answers)
        return _html(_page(f"{key} – {LANGUAGE_NAMES[language]}", page, user, user["csrf"]), status=422)
    raise web.HTTPSeeOther(f"/staff/services/{key}/{language}/history")


@require("editor")
async def history_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, language = _key_language(request)

    def load(session):
        versions = content.history(session, key, language)
        return [HistoryEntry(v.id, v.created_at, v.author, v.reason,
                             content.diff(versions[i + 1] if i + 1 < len(versions) else None, v),
                             [STATUS_NAMES.get(v.translation_status, v.translation_status)])
                for i, v in enumerate(versions)]

    entries = await in_db(request, load)
    body = (f'<p><a href="/staff/services/{escape(key)}/{language}">Rediger</a></p>'
            + history_list(user["csrf"], entries, FIELD_LABELS, f"/staff/services/{key}/{language}/restore", language))
    return _html(_page(f"Historikk: {key} – {LANGUAGE_NAMES[language]}", body, user, user["csrf"]))


@require("editor")
async def restore_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, language = _key_language(request)
    form = await check_csrf(request)
    version = version_to_restore(form)

    def work(session):
        old = session.get(content.ContentVersion, version)
        if old is None or old.service_key != key or old.language != language:
            raise content.ContentError("fant ikke versjonen")
        return content.restore(session, version, user["name"], str(form.get("reason", "")))

    try:
        await in_db(request, work)
    except content.ContentError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    raise web.HTTPSeeOther(f"/staff/services/{key}/{language}/history")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/services", services_page)
    app.router.add_get("/staff/translations", translations_page)
    app.router.add_get("/staff/services/{key}/{language}", edit_page)
    app.router.add_post("/staff/services/{key}/{language}", save_page)
    app.router.add_get("/staff/services/{key}/{language}/history", history_page)
    app.router.add_post("/staff/services/{key}/{language}/restore", restore_page)
