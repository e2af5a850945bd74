"""The staff's dashboard, ``/staff/insight`` (editors and admins): the figures of a chosen period
(``knowledge.insight.figures``) as bar charts people read at a glance, each with its data table,
and as CSV. Everything is drawn here (SVG in the page), nothing is fetched from elsewhere.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from aiohttp import web

from knowledge.insight.figures import csv_rows, figures
from knowledge.phone_hours import OSLO
from knowledge.queries import staff_titles
from knowledge.staff import names
from web.database import in_db
from web.staff.auth import require
from web.staff.pages import render

#: The period shown when none is chosen, and the longest one that may be asked for.
DEFAULT_DAYS, LONGEST_DAYS = 30, 400


def period(request: web.Request) -> tuple[date, date, str | None]:
    """The chosen days (``?fra=`` and ``?til=``, ISO dates); a wrong one gives the default and says why."""
    today = datetime.now(OSLO).date()
    start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    try:
        start = date.fromisoformat(request.query["fra"]) if request.query.get("fra") else start
        end = date.fromisoformat(request.query["til"]) if request.query.get("til") else end
    except ValueError:
        return today - timedelta(days=DEFAULT_DAYS - 1), today, "Datoene må skrives som åååå-mm-dd. Viser de siste 30 dagene."
    if end < start:
        return today - timedelta(days=DEFAULT_DAYS - 1), today, "Fra-datoen må være før til-datoen. Viser de siste 30 dagene."
    if (end - start).days >= LONGEST_DAYS:
        return end - timedelta(days=LONGEST_DAYS - 1), end, f"Perioden kan være høyst {LONGEST_DAYS} dager. Viser de siste {LONGEST_DAYS}."
    return start, end, None


@require("editor")
async def dashboard(request: web.Request) -> web.Response:
    start, end, problem = period(request)
    result, titles = await in_db(request, lambda session: (figures(session, start, end), staff_titles(session)))
    return render(request, "staff/insight.html", title="Innsikt", figures=result, titles=titles, problem=problem,
                  languages=names.LANGUAGES, result_names=names.TURN_RESULTS, outcome_names=names.CHECK_OUTCOMES,
                  sent_names=names.SENT)


@require("editor")
async def export(request: web.Request) -> web.Response:
    start, end, _problem = period(request)
    result, titles = await in_db(request, lambda session: (figures(session, start, end), staff_titles(session)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("tall", "nøkkel", "detalj", "verdi"))
    writer.writerows(csv_rows(result, titles))
    return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="veiviser-innsikt-{start}-{end}.csv"'})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/insight", dashboard)
    app.router.add_get("/staff/insight.csv", export)
