"""/staff/export: download the whole knowledge base as one YAML file, and import an edited one.

An import can first be tried ("Kontroller"): the changes are worked out and listed, then rolled
back. "Importer og publiser" saves every changed record as a new version (who, when, why), so
each can be restored from its history page. The file is read in a stream with its own size
limit (the app's general request limit is kept small for the chat).
"""
from __future__ import annotations

import asyncio
import hmac
from datetime import date
from html import escape

from aiohttp import web

from knowledge.db import engine_for, new_session
from knowledge.staff import records, transfer
from web.staff import _html, _page, in_db, require

FILE_NAME = "veiviser-kunnskapsbase-{day}.yml"


@require("editor")
async def export_page(request: web.Request) -> web.Response:
    return _export_page(request)


def _export_page(request: web.Request, result: str = "", status: int = 200) -> web.Response:
    user = request["user"]
    body = (f"{result}<h2>Eksporter</h2><p>Hele kunnskapsbasen i én YAML-fil: kilder, kontaktpunkter med telefontider, "
            "tjenester med tekst på alle språk, og parameterne for sjekken. Formatet er det samme som seed-filene.</p>"
            '<p><a href="/staff/export/knowledge-base.yml" download>Last ned kunnskapsbasen (YAML)</a></p>'
            "<h2>Importer</h2><p>Last opp en redigert eksport. Hele filen kontrolleres først; er noe feil, endres ingenting. "
            "Bare det som er endret, lagres, som nye versjoner som kan gjenopprettes. Det som mangler i filen, slettes ikke.</p>"
            '<form method="post" action="/staff/export/import" enctype="multipart/form-data">'
            f'<input type="hidden" name="csrf" value="{escape(user["csrf"])}">'
            '<p><label for="i-file">Fil (YAML, høyst 2 MB)</label><br><input id="i-file" name="file" type="file" '
            'accept=".yml,.yaml,text/yaml" required></p>'
            '<p><label for="i-reason">Hvorfor importeres filen? (lagres i historikken)</label><br>'
            '<input id="i-reason" name="reason" required minlength="3" maxlength="500"></p>'
            '<p><button type="submit" name="mode" value="check">Kontroller (lagrer ingenting)</button> '
            '<button type="submit" name="mode" value="apply">Importer og publiser</button></p></form>')
    return _html(_page("Eksport og import", body, user, user["csrf"]), status=status)


@require("editor")
async def export_file(request: web.Request) -> web.Response:
    text = await in_db(request, transfer.export_yaml)
    name = FILE_NAME.format(day=date.today().isoformat())
    return web.Response(text=text, content_type="application/yaml", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def _read_form(request: web.Request) -> dict[str, bytes]:
    """The multipart form, each part capped (the file at transfer.MAX_BYTES)."""
    if not request.content_type.startswith("multipart/"):
        raise web.HTTPBadRequest(text="skjemaet må sendes som multipart/form-data")
    parts: dict[str, bytes] = {}
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None and len(parts) < 10:
            limit = transfer.MAX_BYTES + 1 if part.name == "file" else 2000
            data = bytearray()
            while chunk := await part.read_chunk(64 * 1024):
                data.extend(chunk)
                if len(data) > limit:
                    raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=len(data))
            parts[str(part.name)] = bytes(data)
    except (ValueError, LookupError, AssertionError) as exc:  # a body that is not multipart after all
        raise web.HTTPBadRequest(text="skjemaet kunne ikke leses") from exc
    return parts


@require("editor")
async def import_file(request: web.Request) -> web.Response:
    user = request["user"]
    try:
        form = await _read_form(request)
    except web.HTTPRequestEntityTooLarge:
        return _export_page(request, '<p role="alert" class="error">Filen er for stor (høyst 2 MB).</p>', status=413)
    if not hmac.compare_digest(form.get("csrf", b"").decode("utf-8", "replace"), user["csrf"]):
        raise web.HTTPForbidden(text="Skjemaet er utløpt eller ugyldig.")
    apply = form.get("mode") == b"apply"
    reason = form.get("reason", b"").decode("utf-8", "replace")
    settings = request.app["settings"]

    def work():  # its own session, not in_db: a trial run must roll back instead of committing
        data = transfer.parse(form.get("file", b""))
        with new_session(engine_for(settings.database_url)) as session:
            changes = transfer.import_document(session, data, user["name"], reason)
            session.commit() if apply else session.rollback()
            return changes

    try:
        changes = await asyncio.to_thread(work)
    except records.RecordError as error:
        return _export_page(request, f'<p role="alert" class="error">Ingenting er importert: {escape(str(error))}</p>', status=422)
    heading = "Importert og publisert" if apply else "Kontroll: dette ville blitt endret (ingenting er lagret)"
    listing = "<p>Ingen endringer: filen er lik kunnskapsbasen.</p>" if not changes else (
        "<ul>" + "".join(f"<li>{escape(change)}</li>" for change in changes) + "</ul>")
    return _export_page(request, f'<section role="status" aria-labelledby="result"><h2 id="result">{heading}</h2>{listing}</section>')


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/export", export_page)
    app.router.add_get("/staff/export/knowledge-base.yml", export_file)
    app.router.add_post("/staff/export/import", import_file)
