"""Editors' pages for contact points (with phone hours), the dated eligibility parameters and
service settings (including creating a service): edit, history with diffs, restore. Saving
publishes at once. Norwegian pages for staff; every value shown is escaped, every input validated.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from aiohttp import web
from sqlalchemy import select

from knowledge.languages import ANSWER_LANGUAGES
from knowledge.models import SERVICE_TEXT_FIELDS, Service, SourceDocument
from knowledge.seed import WEEKDAYS
from knowledge.service_keys import SERVICE_KEYS
from knowledge.staff import contacts, parameters, records, services
from knowledge.staff.parameters import UNITS
from web.staff import _html, _page, check_csrf, in_db, require
from web.staff_content import FIELD_LABELS, LANGUAGE_NAMES, STATUS_NAMES
from web.staff_history import HistoryEntry, history_list, version_to_restore

DAY_NAMES = dict(zip(WEEKDAYS, ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"), strict=True))
CONTACT_LABELS = {**contacts.FIELD_NAMES, **{f"hours.{day}": f"telefontid {name}" for day, name in DAY_NAMES.items()},
                  "source": "kilde", **{f"{lang}.{field}": f"{label} ({LANGUAGE_NAMES[lang].split(' ')[0].lower()})"
                                        for lang in ANSWER_LANGUAGES for field, label in
                                        (("status", "status"), ("name", "navn"), ("role", "rolle"))}}
SETTING_LABELS = {"kind": "type", "order": "rekkefølge", "contact": "kontaktpunkt", "apply": "søknadsvei", "decided_by": "avgjøres av",
                  "active": "vises i chatten", "sources": "kilder"}
UNIT_NAMES = {"hours_per_week": "timer i uka", "age": "år (alder)", "years": "år", "count": "antall"}
NEW_VALUE_ROWS = 2


# --- shared pieces ------------------------------------------------------------------------------

def _alert(message: str) -> str:
    return f'<p role="alert" class="error">{escape(message)}</p>' if message else ""


def _csrf_field(user: dict) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(user["csrf"])}">'


def _reason_field(label: str = "Hvorfor endres dette? (lagres i historikken)") -> str:
    return (f'<p><label for="f-reason">{escape(label)}</label><br>'
            '<input id="f-reason" name="reason" required minlength="3" maxlength="500"></p>')


def _history_html(user: dict, versions: list[records.RecordVersion], flatten: Callable[[dict], dict],
                  fields: Iterable[str], labels: dict[str, str], restore_action: str) -> str:
    """Newest first: each version with who/when/why, what changed from the one before, and restore."""
    if not versions:
        return "<p>Ingen endringer ennå: innholdet er som i seed-filene.</p>"
    fields = tuple(fields)
    entries = [HistoryEntry(v.id, v.created_at, v.author, v.reason,
                            records.diff(flatten(versions[i + 1].data) if i + 1 < len(versions) else None, flatten(v.data), fields))
               for i, v in enumerate(versions)]
    return history_list(user["csrf"], entries, labels, restore_action)


async def _restore(request: web.Request, restore: Callable[..., Any], redirect: str) -> web.Response:
    form = await check_csrf(request)
    version = version_to_restore(form)
    key = request.match_info["key"]

    def work(session):
        old = session.get(records.RecordVersion, version)
        if old is None or old.key != key:
            raise records.RecordError("fant ikke versjonen")
        return restore(session, version, request["user"]["name"], str(form.get("reason", "")))

    try:
        await in_db(request, work)
    except records.RecordError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    raise web.HTTPSeeOther(redirect)


# --- contact points ------------------------------------------------------------------------------

@require("editor")
async def contacts_page(request: web.Request) -> web.Response:
    user = request["user"]
    found = await in_db(request, contacts.all_contacts)
    rows = "".join(
        f'<tr><th scope="row"><a href="/staff/contacts/{escape(c["key"])}">{escape(c["content"]["nb"]["name"])}</a></th>'
        f'<td>{escape(c["phone"] or "–")}</td><td>{escape(c["email"] or "–")}</td>'
        f'<td>{escape("; ".join(f"{DAY_NAMES[d][:3]} {t}" for d, t in contacts.hours_by_day(c).items() if t) or "–")}</td></tr>'
        for c in found)
    body = ("<p>Telefon, e-post, adresser og telefontider som chatten viser. Lagring publiserer med en gang.</p>"
            '<table><caption>Kontaktpunkter</caption><thead><tr><th scope="col">Navn</th><th scope="col">Telefon</th>'
            f'<th scope="col">E-post</th><th scope="col">Telefontid</th></tr></thead><tbody>{rows}</tbody></table>')
    return _html(_page("Kontaktpunkter", body, user, user["csrf"]))


def _contact_form(user: dict, key: str, entry: dict, hours: dict[str, str], message: str = "") -> str:
    def text(name: str, label: str, kind: str = "text", extra: str = "") -> str:
        return (f'<p><label for="c-{name}">{escape(label)}</label><br><input id="c-{name}" name="{name}" type="{kind}" '
                f'value="{escape(str(entry.get(name) or ""))}"{extra}></p>')

    day_inputs = "".join(
        f'<p><label for="h-{day}">{escape(DAY_NAMES[day].capitalize())}</label><br>'
        f'<input id="h-{day}" name="hours_{day}" value="{escape(hours.get(day, ""))}" aria-describedby="hours-help" '
        'inputmode="numeric" maxlength="100"></p>' for day in WEEKDAYS)
    texts = ""
    for language in ANSWER_LANGUAGES:
        values = (entry.get("content") or {}).get(language) or {}
        direction = "rtl" if language == "ar" else "ltr"
        choices = ["source"] if language == "nb" else ["machine_drafted", "reviewed"]
        options = "".join(f'<option value="{c}"{" selected" if c == values.get("status") else ""}>{STATUS_NAMES[c]}</option>'
                          for c in choices)
        texts += (f'<fieldset><legend>{escape(LANGUAGE_NAMES[language])}</legend>'
                  f'<p><label for="n-{language}">Navn</label><br><input id="n-{language}" name="name_{language}" lang="{language}" '
                  f'dir="{direction}" required maxlength="200" value="{escape(values.get("name") or "")}"></p>'
                  f'<p><label for="o-{language}">Rolle (hva familien kan få hjelp til her)</label><br>'
                  f'<textarea id="o-{language}" name="role_{language}" lang="{language}" dir="{direction}" rows="3" cols="70" '
                  f'required>{escape(values.get("role") or "")}</textarea></p>'
                  f'<p><label for="s-{language}">Status</label><br><select id="s-{language}" name="status_{language}">{options}'
                  "</select></p></fieldset>")
    checked = " checked" if entry.get("by_appointment_only") else ""
    return (f'{_alert(message)}<p><a href="/staff/contacts/{escape(key)}/history">Historikk</a></p>'
            f'<form method="post" action="/staff/contacts/{escape(key)}">{_csrf_field(user)}'
            + text("phone", "Telefon", "tel", ' autocomplete="off" maxlength="20"')
            + text("email", "E-post", "email", ' maxlength="200"')
            + text("digital_channel", "Digital kanal (for eksempel HelsaMi)", extra=' maxlength="100"')
            + text("postal_address", "Postadresse", extra=' maxlength="500"')
            + text("visiting_address", "Besøksadresse", extra=' maxlength="500"')
            + f'<p><input id="c-appointment" name="by_appointment_only" type="checkbox" value="1"{checked}> '
              '<label for="c-appointment">Besøk bare etter avtale</label></p>'
            + '<fieldset><legend>Telefontider</legend><p id="hours-help">Skriv for eksempel «09:30–11:00, 12:00–13:30». '
              "La feltet stå tomt når telefonen er stengt. Helligdager er alltid stengt.</p>"
            + day_inputs + "</fieldset>" + texts + _reason_field()
            + '<p><button type="submit">Lagre og publiser</button></p></form>')


async def _contact(request: web.Request) -> tuple[str, dict]:
    key = request.match_info["key"]
    try:
        return key, await in_db(request, lambda session: contacts.get(session, key))
    except contacts.ContactError:
        raise web.HTTPNotFound(text="ukjent kontaktpunkt") from None


@require("editor")
async def contact_edit_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, entry = await _contact(request)
    return _html(_page(f"Kontaktpunkt: {entry['content']['nb']['name']}",
                       _contact_form(user, key, entry, contacts.hours_by_day(entry)), user, user["csrf"]))


@require("editor")
async def contact_save(request: web.Request) -> web.Response:
    user = request["user"]
    key, before = await _contact(request)
    form = await check_csrf(request)
    hours = {day: str(form.get(f"hours_{day}", ""))[:100] for day in WEEKDAYS}
    entry = {**before, **{name: str(form.get(name, "")).strip() or None
                          for name in ("phone", "email", "digital_channel", "postal_address", "visiting_address")},
             "by_appointment_only": form.get("by_appointment_only") == "1",
             "content": {language: {"status": str(form.get(f"status_{language}", "")),
                                    "name": str(form.get(f"name_{language}", "")), "role": str(form.get(f"role_{language}", ""))}
                         for language in ANSWER_LANGUAGES}}
    try:
        entry["phone_hours"] = contacts.hours_from_text(hours, {d: n.capitalize() for d, n in DAY_NAMES.items()})
        await in_db(request, lambda session: contacts.save(session, key, entry, user["name"], str(form.get("reason", ""))))
    except records.RecordError as error:
        return _html(_page(f"Kontaktpunkt: {before['content']['nb']['name']}", _contact_form(user, key, entry, hours, str(error)),
                           user, user["csrf"]), status=422)
    raise web.HTTPSeeOther(f"/staff/contacts/{key}/history")


@require("editor")
async def contact_history(request: web.Request) -> web.Response:
    user = request["user"]
    key, entry = await _contact(request)
    versions = await in_db(request, lambda session: contacts.history(session, key))
    body = (f'<p><a href="/staff/contacts/{escape(key)}">Rediger</a></p>'
            + _history_html(user, versions, contacts.flat, contacts.DIFF_FIELDS, CONTACT_LABELS, f"/staff/contacts/{key}/restore"))
    return _html(_page(f"Historikk: {entry['content']['nb']['name']}", body, user, user["csrf"]))


@require("editor")
async def contact_restore(request: web.Request) -> web.Response:
    key = request.match_info["key"]
    return await _restore(request, contacts.restore, f"/staff/contacts/{key}/history")


# --- eligibility parameters --------------------------------------------------------------------

def _values_text(parameter) -> str:
    return "; ".join(f"{value:g} fra {day.strftime('%d.%m.%Y')}" for day, value in parameter.values)


@require("editor")
async def parameters_page(request: web.Request) -> web.Response:
    user = request["user"]
    found = await in_db(request, parameters.all_current)
    rows = "".join(f'<tr><th scope="row"><a href="/staff/parameters/{escape(p.name)}">{escape(p.title_nb)}</a></th>'
                   f"<td>{escape(_values_text(p))}</td><td>{escape(UNIT_NAMES[p.unit])}</td></tr>" for p in found)
    body = ("<p>Tersklene i den veiledende sjekken. En ny verdi gjelder fra datoen dere setter; tidligere datoer bruker "
            "den gamle verdien. Lagring publiserer med en gang: neste sjekk i chatten og i API-et bruker den.</p>"
            '<table><caption>Parametere for sjekk av rettigheter</caption><thead><tr><th scope="col">Parameter</th>'
            f'<th scope="col">Verdier</th><th scope="col">Enhet</th></tr></thead><tbody>{rows}</tbody></table>')
    return _html(_page("Parametere", body, user, user["csrf"]))


def _parameter_form(user: dict, parameter, rows: list[tuple[str, str]], message: str = "") -> str:
    low, high, whole = UNITS[parameter.unit]
    rows = [*rows, *([("", "")] * NEW_VALUE_ROWS)]
    inputs = "".join(
        f'<tr><td><label class="visually-hidden" for="d-{i}">Gjelder fra, rad {i + 1}</label>'
        f'<input id="d-{i}" name="valid_from" type="date" value="{escape(day)}"></td>'
        f'<td><label class="visually-hidden" for="v-{i}">Verdi, rad {i + 1}</label>'
        f'<input id="v-{i}" name="value" inputmode="decimal" value="{escape(value)}" maxlength="10"></td></tr>'
        for i, (day, value) in enumerate(rows))
    source = parameter.source
    service = parameter.name.split(".")[0]
    texts = (f' Tjenesteteksten nevner ofte verdien: <a href="/staff/services/{escape(service)}/nb">rediger den norske teksten '
             f"for {escape(service)}</a> også, så svaret og sjekken sier det samme." if service in SERVICE_KEYS else
             " Tjenestetekstene som nevner verdien, må oppdateres for seg.")
    return (f'{_alert(message)}<p>{escape(parameter.description)}</p>'
            f"<p>Parameteren styrer bare sjekken.{texts}</p>"
            f"<p>Kilde: {escape(source.document)}, {escape(source.section)}{'; ' + escape(source.law) if source.law else ''}</p>"
            f'<p><a href="/staff/parameters/{escape(parameter.name)}/history">Historikk</a></p>'
            f'<form method="post" action="/staff/parameters/{escape(parameter.name)}">{_csrf_field(user)}'
            f'<p id="values-help">Verdi i {escape(UNIT_NAMES[parameter.unit])}, mellom {low} og {high}'
            f'{" (hele tall)" if whole else ""}. Legg til en ny rad med en senere dato når praksis endres; '
            "tøm begge feltene i en rad for å fjerne den.</p>"
            f'<table aria-describedby="values-help"><caption>Verdier</caption><thead><tr><th scope="col">Gjelder fra</th>'
            f'<th scope="col">Verdi</th></tr></thead><tbody>{inputs}</tbody></table>'
            + _reason_field() + '<p><button type="submit">Lagre og publiser</button></p></form>')


async def _parameter(request: web.Request):
    name = request.match_info["key"]
    try:
        return await in_db(request, lambda session: parameters.current(session, name))
    except parameters.ParameterError:
        raise web.HTTPNotFound(text="ukjent parameter") from None


@require("editor")
async def parameter_edit_page(request: web.Request) -> web.Response:
    user = request["user"]
    parameter = await _parameter(request)
    rows = [(day.isoformat(), f"{value:g}") for day, value in parameter.values]
    return _html(_page(parameter.title_nb, _parameter_form(user, parameter, rows), user, user["csrf"]))


@require("editor")
async def parameter_save(request: web.Request) -> web.Response:
    user = request["user"]
    parameter = await _parameter(request)
    form = await check_csrf(request)
    days, values = form.getall("valid_from", []), form.getall("value", [])
    rows = [(str(day)[:20], str(value)[:20]) for day, value in zip(days, values, strict=False)][: parameters.MAX_VALUES + NEW_VALUE_ROWS]
    try:
        await in_db(request, lambda session: parameters.save(session, parameter.name, rows, user["name"], str(form.get("reason", ""))))
    except records.RecordError as error:
        kept = [row for row in rows if row[0] or row[1]]
        return _html(_page(parameter.title_nb, _parameter_form(user, parameter, kept, str(error)), user, user["csrf"]), status=422)
    raise web.HTTPSeeOther(f"/staff/parameters/{parameter.name}/history")


@require("editor")
async def parameter_history(request: web.Request) -> web.Response:
    user = request["user"]
    parameter = await _parameter(request)
    versions = await in_db(request, lambda session: parameters.history(session, parameter.name))

    def flatten(data: dict) -> dict:
        return {"values": [f"{v['value']:g} fra {v['valid_from']}" for v in data["values"]]}

    body = (f'<p><a href="/staff/parameters/{escape(parameter.name)}">Rediger</a></p>'
            + _history_html(user, versions, flatten, ("values",), {"values": "Verdier"},
                            f"/staff/parameters/{parameter.name}/restore"))
    return _html(_page(f"Historikk: {parameter.title_nb}", body, user, user["csrf"]))


@require("editor")
async def parameter_restore(request: web.Request) -> web.Response:
    await _parameter(request)
    return await _restore(request, parameters.restore, f"/staff/parameters/{request.match_info['key']}/history")


# --- services: create and settings -------------------------------------------------------------

def _choices(session) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    contact_rows = [(c["key"], c["content"]["nb"]["name"]) for c in contacts.all_contacts(session)]
    documents = [(d.id, d.title) for d in session.execute(select(SourceDocument).order_by(SourceDocument.id)).scalars()]
    return contact_rows, documents


def _settings_fields(data: dict, contact_rows, documents) -> str:
    contact_options = "".join(f'<option value="{escape(key)}"{" selected" if key == data.get("contact") else ""}>{escape(name)}</option>'
                              for key, name in contact_rows)
    if data.get("kind") == "signpost":  # NAV, the hospital …: a signpost may have no contact point of ours
        contact_options = f'<option value=""{"" if data.get("contact") else " selected"}>(ingen eget kontaktpunkt)</option>' + contact_options
    sources = [*(data.get("sources") or []), {"document": "", "section": ""}]
    source_rows = ""
    for i, source in enumerate(sources):
        options = '<option value="">(ingen)</option>' + "".join(
            f'<option value="{escape(key)}"{" selected" if key == source.get("document") else ""}>{escape(title)}</option>'
            for key, title in documents)
        chosen = source.get("fields") or []
        field_boxes = "".join(
            f'<input id="sf-{i}-{name}" name="source_fields_{i}" type="checkbox" value="{name}"{" checked" if name in chosen else ""}> '
            f'<label for="sf-{i}-{name}">{escape(label)}</label> ' for name, label in services.FIELD_NAMES.items())
        source_rows += (f'<fieldset><legend>Kilde {i + 1}</legend><p><label for="sd-{i}">Dokument</label><br>'
                        f'<select id="sd-{i}" name="source_document">{options}</select></p>'
                        f'<p><label for="ss-{i}">Avsnitt</label><br><input id="ss-{i}" name="source_section" maxlength="300" '
                        f'value="{escape(source.get("section") or "")}"></p>'
                        f'<fieldset><legend>Gjelder tekstene (ingen avkrysset: alle)</legend><p>{field_boxes}</p></fieldset>'
                        f'<p><label for="sl-{i}">Lov (valgfritt: lovens navn og paragraf)</label><br>'
                        f'<input id="sl-{i}" name="source_law" maxlength="300" value="{escape(source.get("law") or "")}"></p></fieldset>')
    route = data.get("apply") or "ke_application"
    route_options = "".join(f'<option value="{escape(key)}"{" selected" if key == route else ""}>{escape(name)}</option>'
                            for key, name in services.APPLY_NAMES.items())
    decided_options = '<option value="">(kildene sier ikke)</option>' + "".join(
        f'<option value="{escape(key)}"{" selected" if key == data.get("decided_by") else ""}>{escape(name)}</option>'
        for key, name in contact_rows)
    checked = " checked" if data.get("active", True) else ""
    return (f'<p><label for="s-contact">Kontaktpunkt (dit familien henvender seg)</label><br><select id="s-contact" name="contact">{contact_options}</select></p>'
            f'<p><label for="s-apply">Søknadsvei</label><br><select id="s-apply" name="apply">{route_options}</select></p>'
            f'<p><label for="s-decided">Avgjøres av</label><br><select id="s-decided" name="decided_by_contact">{decided_options}</select></p>'
            f'<p><label for="s-order">Rekkefølge i lister (lavest først)</label><br><input id="s-order" name="order" '
            f'inputmode="numeric" maxlength="5" required value="{escape(str(data.get("order", "")))}"></p>'
            f'<p><input id="s-active" name="active" type="checkbox" value="1"{checked}> '
            '<label for="s-active">Vises i chatten</label></p>' + source_rows)


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


@require("editor")
async def service_new_page(request: web.Request) -> web.Response:
    user = request["user"]
    contact_rows, documents = await in_db(request, _choices)
    return _html(_page("Ny tjeneste", _new_service_form(user, {"order": 200, "active": True}, {}, "", contact_rows, documents),
                       user, user["csrf"]))


def _new_service_form(user: dict, data: dict, texts: dict, key: str, contact_rows, documents, message: str = "") -> str:
    fields = "".join(
        f'<p><label for="t-{field}">{escape(FIELD_LABELS[field])}</label><br>'
        + (f'<input id="t-{field}" name="{field}" lang="nb" required maxlength="200" value="{escape(texts.get(field, ""))}">'
           if field == "title" else
           f'<textarea id="t-{field}" name="{field}" lang="nb" rows="3" cols="70" required>{escape(texts.get(field, ""))}</textarea>')
        + "</p>" for field in SERVICE_TEXT_FIELDS)
    return (f"{_alert(message)}<p>Skriv den norske teksten her. Oversettelsene står som «mangler» på oversettelsessiden til "
            "de er skrevet; chatten viser tjenesten på de språkene den har tekst for. Chatten kjenner igjen navnet når "
            "modellen trenes neste gang; til da finner familiene den i listen over tjenester.</p>"
            f'<form method="post" action="/staff/services/new">{_csrf_field(user)}'
            f'<p><label for="s-key">Nøkkel (små bokstaver a–z, tall og _, kan ikke endres senere)</label><br>'
            f'<input id="s-key" name="key" required pattern="[a-z][a-z0-9_]{{1,62}}" maxlength="63" value="{escape(key)}"></p>'
            + _settings_fields(data, contact_rows, documents) + fields + _reason_field("Hvorfor opprettes tjenesten?")
            + '<p><button type="submit">Opprett og publiser</button></p></form>')


@require("editor")
async def service_create(request: web.Request) -> web.Response:
    user = request["user"]
    form = await check_csrf(request)
    key = str(form.get("key", "")).strip()[:64]
    data = _settings_from_form(form)
    texts = {field: str(form.get(field, "")) for field in SERVICE_TEXT_FIELDS}
    try:
        await in_db(request, lambda session: services.create(session, key, data, texts, user["name"], str(form.get("reason", ""))))
    except records.RecordError as error:
        contact_rows, documents = await in_db(request, _choices)
        return _html(_page("Ny tjeneste", _new_service_form(user, data, texts, key, contact_rows, documents, str(error)),
                           user, user["csrf"]), status=422)
    raise web.HTTPSeeOther(f"/staff/services/{key}/settings/history")


async def _service(request: web.Request) -> tuple[str, dict, str]:
    key = request.match_info["key"]

    def load(session):
        service = session.get(Service, key)
        if service is None:
            return None
        title = next((row.title for row in service.content if row.language == "nb"), key)
        return services.settings_of(service), title

    found = await in_db(request, load)
    if found is None:
        raise web.HTTPNotFound(text="ukjent tjeneste")
    return key, *found


@require("editor")
async def service_settings_page(request: web.Request) -> web.Response:
    user = request["user"]
    key, data, title = await _service(request)
    contact_rows, documents = await in_db(request, _choices)
    return _html(_page(f"Innstillinger: {title}", _settings_form(user, key, data, contact_rows, documents), user, user["csrf"]))


def _settings_form(user: dict, key: str, data: dict, contact_rows, documents, message: str = "") -> str:
    return (f'{_alert(message)}<p><a href="/staff/services/{escape(key)}/settings/history">Historikk</a></p>'
            f'<form method="post" action="/staff/services/{escape(key)}/settings">{_csrf_field(user)}'
            + _settings_fields(data, contact_rows, documents) + _reason_field()
            + '<p><button type="submit">Lagre og publiser</button></p></form>')


@require("editor")
async def service_settings_save(request: web.Request) -> web.Response:
    user = request["user"]
    key, _, title = await _service(request)
    form = await check_csrf(request)
    data = _settings_from_form(form)
    try:
        await in_db(request, lambda session: services.save_settings(session, key, data, user["name"], str(form.get("reason", ""))))
    except records.RecordError as error:
        contact_rows, documents = await in_db(request, _choices)
        return _html(_page(f"Innstillinger: {title}", _settings_form(user, key, data, contact_rows, documents, str(error)),
                           user, user["csrf"]), status=422)
    raise web.HTTPSeeOther(f"/staff/services/{key}/settings/history")


@require("editor")
async def service_settings_history(request: web.Request) -> web.Response:
    user = request["user"]
    key, _, title = await _service(request)
    versions = await in_db(request, lambda session: services.history(session, key))
    body = (f'<p><a href="/staff/services/{escape(key)}/settings">Rediger</a></p>'
            + _history_html(user, versions, services.flat, services.SETTINGS, SETTING_LABELS,
                            f"/staff/services/{key}/settings/restore"))
    return _html(_page(f"Historikk: innstillinger for {title}", body, user, user["csrf"]))


@require("editor")
async def service_settings_restore(request: web.Request) -> web.Response:
    key, _, _ = await _service(request)
    return await _restore(request, services.restore, f"/staff/services/{key}/settings/history")


def add_routes(app: web.Application) -> None:
    """Registered before the service text routes, whose /staff/services/{key}/{language} would match too."""
    app.router.add_get("/staff/contacts", contacts_page)
    app.router.add_get("/staff/contacts/{key}", contact_edit_page)
    app.router.add_post("/staff/contacts/{key}", contact_save)
    app.router.add_get("/staff/contacts/{key}/history", contact_history)
    app.router.add_post("/staff/contacts/{key}/restore", contact_restore)
    app.router.add_get("/staff/parameters", parameters_page)
    app.router.add_get("/staff/parameters/{key}", parameter_edit_page)
    app.router.add_post("/staff/parameters/{key}", parameter_save)
    app.router.add_get("/staff/parameters/{key}/history", parameter_history)
    app.router.add_post("/staff/parameters/{key}/restore", parameter_restore)
    app.router.add_get("/staff/services/new", service_new_page)
    app.router.add_post("/staff/services/new", service_create)
    app.router.add_get("/staff/services/{key}/settings", service_settings_page)
    app.router.add_post("/staff/services/{key}/settings", service_settings_save)
    app.router.add_get("/staff/services/{key}/settings/history", service_settings_history)
    app.router.add_post("/staff/services/{key}/settings/restore", service_settings_restore)

