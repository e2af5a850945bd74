"""Editors' pages: services and their texts per language, history with diffs and restore, and
the translation status. Saving publishes at once (the chat reads the knowledge base on every
answer). Norwegian pages for staff; every value shown is escaped, every input validated.
"""
from __future__ import annotations

from html import escape

from aiohttp import web

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import SERVICE_TEXT_FIELDS, Service, ServiceContent
from knowledge.staff import contacts, content
from web.staff import _check_csrf, _html, _page, in_db, require
from web.staff_history import HistoryEntry, history_list, version_to_restore

FIELD_LABELS = {"title": "Tittel", "summary": "Kort oppsummering", "description": "Beskrivelse", "who_for": "Hvem kan få det",
                "how_to_apply": "Slik søker dere", "cost": "Pris", "decided_by": "Hvem bestemmer"}
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


def _form(user: dict, key: str, language: str, values: dict[str, str], status: str, message: str = "") -> str:
    direction = "rtl" if language == "ar" else "ltr"
    fields = "".join(
        f'<p><label for="f-{field}">{escape(FIELD_LABELS[field])}</label><br>'
        + (f'<input id="f-{field}" name="{field}" lang="{language}" dir="{direction}" required maxlength="200" value="{escape(values.get(field, ""))}">'
           if field == "title" else
           f'<textarea id="f-{field}" name="{field}" lang="{language}" dir="{direction}" rows="4" cols="70" required>{escape(values.get(field, ""))}</textarea>')
        + "</p>" for field in SERVICE_TEXT_FIELDS)
    choices = ["source"] if language == "nb" else ["machine_drafted", "reviewed"]
    options = "".join(f'<option value="{c}"{" selected" if c == status else ""}>{escape(STATUS_NAMES[c])}</option>' for c in choices)
    alert = f'<p role="alert" class="error">{escape(message)}</p>' if message else ""
    return (f'{alert}<p><a href="/staff/services/{escape(key)}/{language}/history">Historikk</a></p>'
            f'<form method="post" action="/staff/services/{escape(key)}/{language}">'
            f'<input type="hidden" name="csrf" value="{escape(user["csrf"])}">{fields}'
            f'<p><label for="f-status">Status</label><br><select id="f-status" name="status">{options}</select></p>'
            '<p><label for="f-reason">Hvorfor endres teksten? (lagres i historikken)</label><br>'
            '<input id="f-reason" name="reason" required minlength="3" maxlength="500"></p>'
            '<p><button type="submit">Lagre og publiser</button></p></form>')


@require("editor")
async def edit_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, language = _key_language(request)

    def load(session):
        if session.get(Service, key) is None:
            raise web.HTTPNotFound(text="ukjent tjeneste")
        row = session.query(ServiceContent).filter_by(service_key=key, language=language).one_or_none()
        values = {f: getattr(row, f) for f in SERVICE_TEXT_FIELDS} if row else {}
        return values, (row.translation_status.value if row else ("source" if language == "nb" else "machine_drafted"))

    values, status = await in_db(request, load)
    title = f"{values.get('title') or key} – {LANGUAGE_NAMES[language]}"
    return _html(_page(title, _form(user, key, language, values, status), user, user["csrf"]))


@require("editor")
async def save_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, language = _key_language(request)
    form = await _check_csrf(request)
    values = {field: str(form.get(field, "")) for field in SERVICE_TEXT_FIELDS}
    status, reason = str(form.get("status", "")), str(form.get("reason", ""))
    try:
        await in_db(request, lambda session: content.save(session, key, language, values, status, user["name"], reason))
    except content.ContentError as error:
        return _html(_page(f"{key} – {LANGUAGE_NAMES[language]}", _form(user, key, language, values, status, str(error)), user,
                           user["csrf"]), status=422)
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
    form = await _check_csrf(request)
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
