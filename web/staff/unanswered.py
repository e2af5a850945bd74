"""The questions Veiviser could not answer, for editors (``/staff/unanswered``): grouped by
likeness, filtered by language, period, reason and whether they are handled, a page at a time,
every question of a group visible, and each group linked to the service or signpost it was about
(so it becomes training data: ``export.yml``). Families' questions only; test traffic is kept off.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from aiohttp import web

from knowledge import unanswered
from knowledge.phone_hours import OSLO
from knowledge.queries import list_services, service_keys, staff_titles
from knowledge.staff import names
from web.database import in_db
from web.staff.auth import check_csrf, require
from web.staff.pages import message, render

#: Groups on one page.
PER_PAGE = 20
HANDLED = {"apne": False, "handterte": True, "alle": None}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def chosen(request: web.Request) -> tuple[unanswered.Filter, dict, list[str]]:
    """The filter from the page's form (``?sprak=&arsak=&status=&fra=&til=``); a wrong value is said, not obeyed."""
    query, problems = request.query, []
    language = query.get("sprak") or None
    reason = query.get("arsak") or None
    status = query.get("status") or "apne"
    if language not in (None, *names.LANGUAGES):
        problems.append("Ukjent språk: viser alle språk.")
        language = None
    if reason not in (None, *names.UNANSWERED_REASONS):
        problems.append("Ukjent årsak: viser alle årsaker.")
        reason = None
    if status not in HANDLED:
        problems.append("Ukjent status: viser de åpne.")
        status = "apne"
    start, end = _day(query.get("fra")), _day(query.get("til"))
    if (query.get("fra") and start is None) or (query.get("til") and end is None):
        problems.append("Datoene må skrives som åååå-mm-dd.")
    since = datetime.combine(start, time.min, OSLO) if start else None
    until = datetime.combine(end + timedelta(days=1), time.min, OSLO) if end else None
    values = {"sprak": language or "", "arsak": reason or "", "status": status,
              "fra": start.isoformat() if start else "", "til": end.isoformat() if end else ""}
    return unanswered.Filter(language, reason, HANDLED[status], since, until), values, problems


def _choices(session) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[str, str]]:
    """What a group can be linked to (the shown services and signposts), and every title to name a link by."""
    return ([(view.key, view.title) for view in list_services(session, "nb")],
            [(view.key, view.title) for view in list_services(session, "nb", "signpost")], staff_titles(session))


@require("editor")
async def page(request: web.Request) -> web.Response:
    only, values, problems = chosen(request)
    try:
        number = max(1, int(request.query.get("side") or 1))
    except ValueError:
        number = 1
    groups, (services, signposts, titles) = await in_db(request, lambda session: (unanswered.groups(session, only=only), _choices(session)))
    pages = max(1, -(-len(groups) // PER_PAGE))
    number = min(number, pages)
    link = lambda n: "/staff/unanswered?" + urlencode({**{k: v for k, v in values.items() if v}, "side": n})  # noqa: E731
    return render(request, "staff/unanswered.html", title="Ubesvarte spørsmål", groups=groups[(number - 1) * PER_PAGE:number * PER_PAGE],
                  total=len(groups), first=(number - 1) * PER_PAGE, page=number, pages=pages, link=link, values=values,
                  problems=problems, reasons=names.UNANSWERED_REASONS, guesses=names.GUESSES, languages=names.LANGUAGES, services=services,
                  signposts=signposts, titles=titles,
                  retention_days=request.app["settings"].unanswered_retention_days, back=request.path_qs)


@require("editor")
async def handle(request: web.Request) -> web.Response:
    form = await check_csrf(request)
    try:
        ids = [int(i) for i in str(form.get("ids", "")).split(",") if i.strip()][:5000]
    except ValueError:
        raise message(request, web.HTTPBadRequest, "Ikke lagret", "Skjemaet kunne ikke leses.", back="/staff/unanswered") from None
    service = str(form.get("service", "")) or None

    def mark(session):
        if service and service not in service_keys(session):
            return False
        unanswered.mark_handled(session, ids, service)
        return True

    if not await in_db(request, mark):
        raise message(request, web.HTTPBadRequest, "Ikke lagret", "Den tjenesten finnes ikke.", back="/staff/unanswered")
    back = str(form.get("back", ""))
    raise web.HTTPSeeOther(back if back.startswith("/staff/unanswered") and "//" not in back else "/staff/unanswered")


@require("editor")
async def export(request: web.Request) -> web.Response:
    return web.Response(text=await in_db(request, unanswered.export_candidates), content_type="application/x-yaml",
                        headers={"Content-Disposition": 'attachment; filename="nlu-candidates.yml"'})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff/unanswered", page)
    app.router.add_post("/staff/unanswered/handle", handle)
    app.router.add_get("/staff/unanswered/export.yml", export)
