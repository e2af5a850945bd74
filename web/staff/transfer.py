"""/staff/export: download the whole knowledge base as one YAML file, and import an edited one.

An import can first be tried ("Kontroller"): the changes are worked out and listed, then rolled
back. "Importer og publiser" saves every changed record as a new version (who, when, why), so
each can be restored from its history page. The file is read in a stream with its own size
limit (the app's general request limit is kept small for the chat).
"""
from __future__ import annotations

import asyncio
from datetime import date

from aiohttp import web

from knowledge.db import engine_for, new_session
from knowledge.staff import records, transfer
from web.database import in_db
from web.staff.auth import csrf_matches, expired_form, require
from web.staff.pages import message, render

FILE_NAME = "veiviser-kunnskapsbase-{day}.yml"


@require("editor")
async def export_page(request: web.Request) -> web.Response:
    return _export_page(request)


def _export_page(request: web.Request, status: int = 200, **result) -> web.Response:
    """The page, with what an import did or would do (``changes``, ``applied``) or why it did nothing (``problem``)."""
    return render(request, "staff/export.html", status=status, title="Eksport og import",
                  **{"problem": "", "changes": None, "applied": False, "reason": "", **result})


@require("editor")
async def export_file(request: web.Request) -> web.Response:
    text = await in_db(request, transfer.export_yaml)
    name = FILE_NAME.format(day=date.today().isoformat())
    return web.Response(text=text, content_type="application/yaml", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def _read_form(request: web.Request) -> dict[str, bytes]:
    """The multipart form, each part capped (the file at transfer.MAX_BYTES)."""
    if not request.content_type.startswith("multipart/"):
        raise message(request, web.HTTPBadRequest, "Ugyldig skjema", "Skjemaet må sendes som multipart/form-data.", back="/staff/export")
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
        raise message(request, web.HTTPBadRequest, "Ugyldig skjema", "Skjemaet kunne ikke leses.", back="/staff/export") from exc
    return parts


@require("editor")
async def import_file(request: web.Request) -> web.Response:
    user = request["user"]
    try:
        form = await _read_form(request)
    except web.HTTPRequestEntityTooLarge:
        return _export_page(request, status=413, problem="Filen er for stor (høyst 2 MB).")
    if not csrf_matches(request, form.get("csrf", b"").decode("utf-8", "replace")):
        raise expired_form(request)
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
        return _export_page(request, status=422, problem=f"Ingenting er importert: {error}", reason=reason)
    return _export_page(request, changes=changes, applied=apply)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/export", export_page)
    app.router.add_get("/staff/export/knowledge-base.yml", export_file)
    app.router.add_post("/staff/export/import", import_file)
