"""Case workers' list of applications from Veiviser, and each one's PDF and JSON."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from knowledge.applications.delivery import document_of
from knowledge.applications.document import render_json, render_pdf
from knowledge.applications.models import Application
from knowledge.queries import staff_titles
from knowledge.staff import names
from web.database import in_db
from web.staff.auth import require
from web.staff.pages import message, render

logger = logging.getLogger(__name__)


@require("case_worker")
async def applications(request: web.Request) -> web.Response:
    """The applications, newest first: services and language by their Norwegian names, local time."""
    def rows(session):
        titles = staff_titles(session)
        found = (session.query(Application).filter(Application.kind == "application")  # callbacks have their own queue
                 .order_by(Application.submitted_at.desc()).limit(500).all())
        return [{"reference": a.reference, "submitted_at": a.submitted_at,
                 "services": ", ".join(titles.get(key, key) for key in a.services),
                 "language": names.language(a.language), "status": names.DELIVERY.get(a.status, a.status)}
                for a in found]

    return render(request, "staff/applications.html", title="Innkomne søknader", rows=await in_db(request, rows))


@require("case_worker")
async def download(request: web.Request) -> web.Response:
    reference, kind = request.match_info["reference"], request.match_info["kind"]

    def document(session):
        application = session.query(Application).filter_by(reference=reference).first()
        return None if application is None else document_of(application)

    data = await in_db(request, document)
    if data is None:
        raise message(request, web.HTTPNotFound, "Fant ikke søknaden", "Det finnes ingen søknad med den referansen.",
                      back="/staff/applications")
    logger.info("staff: download kind=%s user=%s", kind, request["user"]["user"])
    body = await asyncio.to_thread(render_pdf, data, request.app["settings"]) if kind == "pdf" else render_json(data)
    return web.Response(body=body, content_type="application/pdf" if kind == "pdf" else "application/json",
                        headers={"Content-Disposition": f'attachment; filename="{reference}.{kind}"'})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/applications", applications)
    app.router.add_get(r"/staff/applications/{reference:VV-\d{4}-[A-Z0-9]{6}}/application.{kind:pdf|json}", download)
