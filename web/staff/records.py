"""Editors' pages for contact points (with phone hours), the dated eligibility parameters and
service settings (including creating a service). Saving publishes at once; every record's history
and restore is ``web.staff.history``'s. Every input is validated by ``knowledge.staff``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import SERVICE_TEXT_FIELDS, Service
from knowledge.seed import WEEKDAYS
from knowledge.service_keys import SERVICE_KEYS
from knowledge.staff import contacts, names, parameters, records, services, sourcing
from knowledge.staff.content import FIELD_LABELS
from knowledge.staff.parameters import UNITS
from web.database import in_db
from web.staff import history
from web.staff.auth import check_csrf, require
from web.staff.pages import message, render

DAY_NAMES = dict(zip(WEEKDAYS, names.WEEKDAYS, strict=True))
CONTACT_LABELS = {**contacts.FIELD_NAMES, **{f"hours.{day}": f"telefontid {name}" for day, name in DAY_NAMES.items()},
                  "source": "kilde", **{f"{lang}.{field}": f"{label} ({names.language(lang)})"
                                        for lang in ANSWER_LANGUAGES for field, label in
                                        (("status", "status"), ("name", "navn"), ("role", "rolle"))}}
SETTING_LABELS = {"kind": "type", "order": "rekkefølge", "contact": "kontaktpunkt", "apply": "søknadsvei", "decided_by": "avgjøres av",
                  "active": "vises i chatten", "sources": "kilder"}
NEW_VALUE_ROWS = 2


def _page_record(restore: Callable[..., Any]) -> Callable[..., Any]:
    """``restore`` limited to the record the history page is about (its ``{key}``)."""
    return lambda session, match, version, author, reason: restore(session, version, author, reason, key=match["key"])


# --- contact points ------------------------------------------------------------------------------

@require("editor")
async def contacts_page(request: web.Request) -> web.Response:
    found = await in_db(request, contacts.all_contacts)
    rows = [(c, "; ".join(f"{DAY_NAMES[d][:3]} {t}" for d, t in contacts.hours_by_day(c).items() if t) or "–") for c in found]
    return render(request, "staff/contacts.html", title="Kontaktpunkter", rows=rows)


def _contact_form(request: web.Request, key: str, entry: dict, hours: dict[str, str], problem: str = "", reason: str = "",
                  status: int = 200, name: str | None = None) -> web.Response:
    """The edit form; after a refused save it keeps what the editor wrote, under the saved name."""
    title = f"Kontaktpunkt: {name or entry['content']['nb']['name']}"
    return render(request, "staff/contact.html", status=status, title=title, key=key,
                  entry=entry, hours=hours, problem=problem, reason=reason, days=[(day, DAY_NAMES[day]) for day in WEEKDAYS],
                  languages=ANSWER_LANGUAGES)


async def _contact(request: web.Request) -> tuple[str, dict]:
    key = request.match_info["key"]
    try:
        return key, await in_db(request, lambda session: contacts.get(session, key))
    except contacts.ContactError:
        raise message(request, web.HTTPNotFound, "Ukjent kontaktpunkt", "Det finnes ikke noe kontaktpunkt med den nøkkelen.",
                      back="/staff/contacts") from None


@require("editor")
async def contact_edit_page(request: web.Request) -> web.Response:
    key, entry = await _contact(request)
    return _contact_form(request, key, entry, contacts.hours_by_day(entry))


@require("editor")
async def contact_save(request: web.Request) -> web.Response:
    key, before = await _contact(request)
    form = await check_csrf(request)
    hours = {day: str(form.get(f"hours_{day}", ""))[:100] for day in WEEKDAYS}
    entry = {**before, **{name: str(form.get(name, "")).strip() or None
                          for name in ("phone", "email", "digital_channel", "postal_address", "visiting_address")},
             "by_appointment_only": form.get("by_appointment_only") == "1",
             "content": {language: {"status": str(form.get(f"status_{language}", "")),
                                    "name": str(form.get(f"name_{language}", "")), "role": str(form.get(f"role_{language}", ""))}
                         for language in ANSWER_LANGUAGES}}
    reason = str(form.get("reason", ""))
    try:
        entry["phone_hours"] = contacts.hours_from_text(hours, {d: n.capitalize() for d, n in DAY_NAMES.items()})
        await in_db(request, lambda session: contacts.save(session, key, entry, request["user"]["name"], reason))
    except records.RecordError as error:
        return _contact_form(request, key, entry, hours, str(error), reason, status=422, name=before["content"]["nb"]["name"])
    raise web.HTTPSeeOther(f"/staff/contacts/{key}/history")


def _contact_history(session, match: dict[str, str]) -> history.History | None:
    try:
        entry = contacts.get(session, match["key"])
    except contacts.ContactError:
        return None
    versions = history.versions_of(contacts.history(session, match["key"]), lambda v: contacts.flat(v.data), contacts.DIFF_FIELDS)
    return history.History(entry["content"]["nb"]["name"], f"/staff/contacts/{match['key']}", versions, CONTACT_LABELS)


CONTACTS = history.Versioned("/staff/contacts/{key}", _contact_history, _page_record(contacts.restore))


# --- eligibility parameters --------------------------------------------------------------------

@require("editor")
async def parameters_page(request: web.Request) -> web.Response:
    found = await in_db(request, parameters.all_current)
    return render(request, "staff/parameters.html", title="Parametere", parameters=found)


async def _parameter(request: web.Request):
    name = request.match_info["key"]
    try:
        return await in_db(request, lambda session: parameters.current(session, name))
    except parameters.ParameterError:
        raise message(request, web.HTTPNotFound, "Ukjent parameter", "Det finnes ingen parameter med det navnet.",
                      back="/staff/parameters") from None


def _parameter_form(request: web.Request, parameter, rows: list[tuple[str, str]], problem: str = "", reason: str = "",
                    status: int = 200) -> web.Response:
    low, high, whole = UNITS[parameter.unit]
    service = parameter.name.split(".")[0]
    return render(request, "staff/parameter.html", status=status, title=parameter.title_nb, parameter=parameter,
                  rows=[*rows, *([("", "")] * NEW_VALUE_ROWS)], low=low, high=high, whole=whole, problem=problem, reason=reason,
                  service=service if service in SERVICE_KEYS else None)


@require("editor")
async def parameter_edit_page(request: web.Request) -> web.Response:
    parameter = await _parameter(request)
    return _parameter_form(request, parameter, [(day.isoformat(), f"{value:g}") for day, value in parameter.values])


@require("editor")
async def parameter_save(request: web.Request) -> web.Response:
    parameter = await _parameter(request)
    form = await check_csrf(request)
    days, values = form.getall("valid_from", []), form.getall("value", [])
    rows = [(str(day)[:20], str(value)[:20]) for day, value in zip(days, values, strict=False)][: parameters.MAX_VALUES + NEW_VALUE_ROWS]
    reason = str(form.get("reason", ""))
    try:
        await in_db(request, lambda session: parameters.save(session, parameter.name, rows, request["user"]["name"], reason))
    except records.RecordError as error:
        return _parameter_form(request, parameter, [row for row in rows if row[0] or row[1]], str(error), reason, status=422)
    raise web.HTTPSeeOther(f"/staff/parameters/{parameter.name}/history")


def _parameter_history(session, match: dict[str, str]) -> history.History | None:
    try:
        parameter = parameters.current(session, match["key"])
    except parameters.ParameterError:
        return None

    def values(version) -> dict:
        return {"values": [f"{v['value']:g} fra {v['valid_from']}" for v in version.data["values"]]}

    versions = history.versions_of(parameters.history(session, parameter.name), values, ("values",))
    return history.History(parameter.title_nb, f"/staff/parameters/{parameter.name}", versions, {"values": "Verdier"})


PARAMETERS = history.Versioned("/staff/parameters/{key}", _parameter_history, _page_record(parameters.restore))


# --- services: create and settings -------------------------------------------------------------

def _choices(session) -> dict[str, list[tuple[str, str]]]:
    return {"contact_rows": [(c["key"], c["content"]["nb"]["name"]) for c in contacts.all_contacts(session)],
            "documents": sourcing.documents(session)}


def _settings_from_form(form) -> dict:
    order = str(form.get("order", "")).strip()
    laws = form.getall("source_law", [])
    sources = [{"document": str(d), "section": str(s)[:300], "fields": [str(f) for f in form.getall(f"source_fields_{i}", [])],
                "law": str(laws[i])[:300] if i < len(laws) else None}
               for i, (d, s) in enumerate(zip(form.getall("source_document", []), form.getall("source_section", []), strict=False))
               ][: services.MAX_SOURCES + 1]
    return {"order": int(order) if order.isdigit() else order, "contact": str(form.get("contact", "")),
            "apply": str(form.get("apply", "")), "decided_by": str(form.get("decided_by_contact", "")) or None,
            "active": form.get("active") == "1", "sources": sources}


async def _settings_page(request: web.Request, template: str, title: str, status: int = 200, **context: Any) -> web.Response:
    choices = await in_db(request, _choices)
    data = context.pop("data")
    return render(request, template, status=status, title=title, data=data,
                  sources=[*(data.get("sources") or []), {"document": "", "section": ""}], field_names=services.FIELD_NAMES,
                  apply_names=services.APPLY_NAMES, labels=FIELD_LABELS, text_fields=SERVICE_TEXT_FIELDS, **choices, **context)


@require("editor")
async def service_new_page(request: web.Request) -> web.Response:
    return await _settings_page(request, "staff/service_new.html", "Ny tjeneste", data={"order": 200, "active": True}, texts={},
                                key="", problem="", reason="")


@require("editor")
async def service_create(request: web.Request) -> web.Response:
    form = await check_csrf(request)
    key = str(form.get("key", "")).strip()[:64]
    data = _settings_from_form(form)
    texts = {field: str(form.get(field, "")) for field in SERVICE_TEXT_FIELDS}
    reason = str(form.get("reason", ""))
    try:
        await in_db(request, lambda session: services.create(session, key, data, texts, request["user"]["name"], reason))
    except records.RecordError as error:
        return await _settings_page(request, "staff/service_new.html", "Ny tjeneste", status=422, data=data, texts=texts, key=key,
                                    problem=str(error), reason=reason)
    raise web.HTTPSeeOther(f"/staff/services/{key}/settings/history")


def _service_of(session, key: str) -> tuple[dict, str] | None:
    service = session.get(Service, key)
    if service is None:
        return None
    return services.settings_of(service), services.title_nb(service)


async def _service(request: web.Request) -> tuple[str, dict, str]:
    key = request.match_info["key"]
    found = await in_db(request, lambda session: _service_of(session, key))
    if found is None:
        raise message(request, web.HTTPNotFound, "Ukjent tjeneste", "Det finnes ingen tjeneste med den nøkkelen.", back="/staff/services")
    return key, *found


@require("editor")
async def service_settings_page(request: web.Request) -> web.Response:
    key, data, title = await _service(request)
    return await _settings_page(request, "staff/service_settings.html", f"Innstillinger: {title}", data=data, key=key, problem="",
                                reason="")


@require("editor")
async def service_settings_save(request: web.Request) -> web.Response:
    key, _, title = await _service(request)
    form = await check_csrf(request)
    data = _settings_from_form(form)
    reason = str(form.get("reason", ""))
    try:
        await in_db(request, lambda session: services.save_settings(session, key, data, request["user"]["name"], reason))
    except records.RecordError as error:
        return await _settings_page(request, "staff/service_settings.html", f"Innstillinger: {title}", status=422, data=data, key=key,
                                    problem=str(error), reason=reason)
    raise web.HTTPSeeOther(f"/staff/services/{key}/settings/history")


def _settings_history(session, match: dict[str, str]) -> history.History | None:
    found = _service_of(session, match["key"])
    if found is None:
        return None
    versions = history.versions_of(services.history(session, match["key"]), lambda v: services.flat(v.data), services.SETTINGS)
    return history.History(f"innstillinger for {found[1]}", f"/staff/services/{match['key']}/settings", versions, SETTING_LABELS)


SETTINGS = history.Versioned("/staff/services/{key}/settings", _settings_history, _page_record(services.restore))


def add_routes(app: web.Application) -> None:
    """Registered before the service text routes, whose /staff/services/{key}/{language} would match too."""
    app.router.add_get("/staff/contacts", contacts_page)
    app.router.add_get("/staff/contacts/{key}", contact_edit_page)
    app.router.add_post("/staff/contacts/{key}", contact_save)
    history.add_routes(app, CONTACTS)
    app.router.add_get("/staff/parameters", parameters_page)
    app.router.add_get("/staff/parameters/{key}", parameter_edit_page)
    app.router.add_post("/staff/parameters/{key}", parameter_save)
    history.add_routes(app, PARAMETERS)
    app.router.add_get("/staff/services/new", service_new_page)
    app.router.add_post("/staff/services/new", service_create)
    app.router.add_get("/staff/services/{key}/settings", service_settings_page)
    app.router.add_post("/staff/services/{key}/settings", service_settings_save)
    history.add_routes(app, SETTINGS)
