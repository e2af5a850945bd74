"""Editors change contact points, phone hours, eligibility parameters and service settings through
the staff pages, create a service, and export and import the whole knowledge base; every change
is live at once, versioned, escaped when shown, and refused with a clear message when invalid."""
from __future__ import annotations

import html
import re

import yaml
from aiohttp import FormData

from knowledge.db import default_engine, new_session
from knowledge.queries import get_contact, get_service
from tests.web.test_staff import login

BPA = {"service": "bpa", "facts": {"age": 9, "need_duration_over_two_years": True, "weekly_assistance_hours": 30,
                                   "needs_more_than_one_helper_at_once": False, "needs_night_assistance": False}}


def added(text: str) -> str:
    """How the history page marks text a version added (a screen reader hears «lagt til»)."""
    return f'<ins><span class="visually-hidden" lang="nb">[lagt til: </span>{text}<span class="visually-hidden">]</span></ins>'


def removed(text: str) -> str:
    return f'<del><span class="visually-hidden" lang="nb">[fjernet: </span>{text}<span class="visually-hidden">]</span></del>'


def token_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def form_values(page: str) -> dict[str, str | list[str]]:
    """What the browser would send back unchanged: inputs, textareas, selected options, ticked
    boxes. A name that occurs more than once (a list of rows) maps to the list of its values."""
    pairs: list[tuple[str, str]] = []
    for tag in re.findall(r"<input [^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="checkbox"' in tag and " checked" not in tag or 'type="file"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        pairs.append((name.group(1), html.unescape(value.group(1)) if value else ""))
    pairs += [(name, html.unescape(text)) for name, text in re.findall(r'<textarea [^>]*name="(\w+)"[^>]*>(.*?)</textarea>', page, re.S)]
    for name, options in re.findall(r'<select [^>]*name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(r'<option value="([^"]*)"', options)
        pairs.append((name, html.unescape(chosen.group(1))))
    values: dict[str, str | list[str]] = {}
    for name, value in pairs:
        values[name] = [*values[name], value] if isinstance(values.get(name), list) else (
            [values[name], value] if name in values else value)
    return values


def as_form(values: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    return [(name, item) for name, value in values.items() for item in (value if isinstance(value, list) else [value])]


async def test_editor_changes_phone_hours_and_the_chat_uses_them_at_once(client):
    await login(client, "ed.itor")
    assert "94837285" in await (await client.get("/staff/contacts")).text()
    page = await (await client.get("/staff/contacts/hvk_0_18")).text()
    values = {**form_values(page), "hours_mon": "08:00–15:30", "hours_tue": "", "reason": "Nye telefontider",
              "role_ar": "دور <script>alert(1)</script>"}
    bad = await client.post("/staff/contacts/hvk_0_18", data={**values, "hours_wed": "9 til 11"})
    assert bad.status == 422 and "Onsdag: skriv tidene som 09:30–11:00" in await bad.text()
    bad = await client.post("/staff/contacts/hvk_0_18", data={**values, "email": "ikke-en-adresse"})
    assert bad.status == 422 and "e-post" in await bad.text()
    saved = await client.post("/staff/contacts/hvk_0_18", data=values, allow_redirects=False)
    assert saved.status == 303
    with new_session(default_engine()) as session:
        contact = get_contact(session, "hvk_0_18", "ar")
    assert [(h.weekday, h.opens, h.closes) for h in contact.hours if h.weekday < 2] == [(0, "08:00", "15:30")]
    history = await (await client.get("/staff/contacts/hvk_0_18/history")).text()
    assert "Nye telefontider" in history and added("08:00–15:30") in history and "&lt;script&gt;" in history and "<script>alert" not in history
    seed_version = re.findall(r'name="version" value="(\d+)"', history)[-1]
    restored = await client.post("/staff/contacts/hvk_0_18/restore",
                                 data={"csrf": token_of(history), "version": seed_version, "reason": "Tilbake"}, allow_redirects=False)
    assert restored.status == 303
    with new_session(default_engine()) as session:
        assert len(get_contact(session, "hvk_0_18", "nb").hours) == 10


async def test_editor_publishes_a_new_threshold_and_the_api_uses_it_at_once(client):
    before = await (await client.post("/api/eligibility", json=BPA)).json()
    assert before["outcome"] == "needs_assessment"
    await login(client, "ed.itor")
    page = await (await client.get("/staff/parameters/bpa.right_min_weekly_hours")).text()
    assert 'href="/staff/services/bpa/nb"' in page  # the prose answer states the hours too: a link to edit it
    token = token_of(page)
    data = [("csrf", token), ("valid_from", "2015-01-01"), ("value", "32"), ("valid_from", "2020-01-01"), ("value", "30"),
            ("valid_from", ""), ("value", ""), ("reason", "Kommunen har senket terskelen")]
    bad = await client.post("/staff/parameters/bpa.right_min_weekly_hours", data=[*data[:3], ("valid_from", "2020-01-01"),
                                                                                    ("value", "999"), data[-1]])
    assert bad.status == 422 and "mellom 0 og 168" in await bad.text()
    assert (await client.post("/staff/parameters/bpa.right_min_weekly_hours", data=data, allow_redirects=False)).status == 303
    after = await (await client.post("/api/eligibility", json=BPA)).json()
    assert after["outcome"] == "likely_eligible"
    history = await (await client.get("/staff/parameters/bpa.right_min_weekly_hours/history")).text()
    assert "Kommunen har senket terskelen" in history and added("30 fra 2020-01-01") in history
    seed_version = re.findall(r'name="version" value="(\d+)"', history)[-1]
    await client.post("/staff/parameters/bpa.right_min_weekly_hours/restore",
                      data={"csrf": token, "version": seed_version, "reason": "Tilbake til seed"})
    assert (await (await client.post("/api/eligibility", json=BPA)).json())["outcome"] == "needs_assessment"
    assert (await client.get("/staff/parameters/no.such")).status == 404


async def test_editor_creates_a_service_hides_it_and_sees_the_settings_history(client):
    await login(client, "ed.itor")
    page = await (await client.get("/staff/services/new")).text()
    values = {**form_values(page), "key": "web_test_camp", "title": "Sommerleir <b>", "summary": "Leir om sommeren.",
              "description": "En uke.", "who_for": "Barn.", "how_to_apply": "Ring.", "cost": "Gratis.", "decided_by": "Kontoret.",
              "after_applying": "Dere får svar.", "appeal": "Vedtaket sier hvordan dere klager.", "source_document": "brosjyre-hvk-2025", "source_section": "Avlastningstiltak", "reason": "Ny tjeneste"}
    bad = await client.post("/staff/services/new", data={**values, "key": "Web Test"})
    assert bad.status == 422 and "nøkkel" in await bad.text()
    assert (await client.post("/staff/services/new", data=values, allow_redirects=False)).status == 303
    with new_session(default_engine()) as session:
        assert get_service(session, "web_test_camp", "nb").title == "Sommerleir <b>"
    listing = await (await client.get("/staff/services")).text()
    assert "Sommerleir &lt;b&gt;" in listing
    translations = await (await client.get("/staff/translations")).text()
    assert "Sommerleir &lt;b&gt; – arabisk</a>: mangler" in translations
    assert 'href="/staff/contacts/hvk_0_18">Helse- og velferdskontor 0–18 år – tigrinja</a>: maskinoversatt utkast' in translations
    settings = form_values(await (await client.get("/staff/services/web_test_camp/settings")).text())
    settings.pop("active")
    settings["reason"] = "Skjules til teksten er oversatt"
    assert (await client.post("/staff/services/web_test_camp/settings", data=as_form(settings), allow_redirects=False)).status == 303
    assert "Sommerleir &lt;b&gt; (skjult i chatten)" in await (await client.get("/staff/services")).text()
    history = await (await client.get("/staff/services/web_test_camp/settings/history")).text()
    assert "Skjules til teksten er oversatt" in history and removed("ja") in history and added("nei") in history

    # Routing and sources per text: applied for straight at Transporttjenesten, one source only for the price.
    settings = form_values(await (await client.get("/staff/services/web_test_camp/settings")).text())
    routed = {**settings, "active": "1", "apply": "contact", "decided_by_contact": "transport", "source_document": ["brosjyre-hvk-2025", "temaplan-barn-2019"],
              "source_section": ["Avlastningstiltak", "Pris"], "source_law": ["", "helse- og omsorgstjenesteloven § 3-6"],
              "source_fields_1": "cost", "reason": "Søknad direkte; prisen har egen kilde"}
    assert (await client.post("/staff/services/web_test_camp/settings", data=as_form(routed), allow_redirects=False)).status == 303
    with new_session(default_engine()) as session:
        camp = get_service(session, "web_test_camp", "nb")
        assert camp.apply_route == "contact" and camp.decided_by_key == "transport" and not camp.applied_for_through_veiviser
        assert [(s.section, s.fields, s.law) for s in camp.sources_of(("cost",))] == [
            ("Avlastningstiltak", None, None), ("Pris", ("cost",), "helse- og omsorgstjenesteloven § 3-6")]
        assert [s.section for s in camp.sources_of(("summary",))] == ["Avlastningstiltak"]
    history = await (await client.get("/staff/services/web_test_camp/settings/history")).text()
    assert added("direkte til kontaktpunktet") in history and "[pris] – helse- og omsorgstjenesteloven § 3-6" in history
    only_price = {**{k: v for k, v in routed.items() if k != "source_fields_1"}, "source_document": "temaplan-barn-2019",
                  "source_section": "Pris", "source_law": "", "source_fields_0": "cost", "reason": "Bare pris"}
    refused = await client.post("/staff/services/web_test_camp/settings", data=as_form(only_price))
    assert refused.status == 422 and "hver tekst trenger minst én kilde; mangler for kort oppsummering" in await refused.text()


async def test_a_changed_norwegian_text_asks_for_its_source_before_it_is_published(client):
    await login(client, "ed.itor")
    page = await (await client.get("/staff/services/companion_card/nb")).text()
    assert "Kilde: Helse- og velferdskontor 0–18 år (brosjyre" in page  # each text shows its sources
    values = {**form_values(page), "cost": "Ledsageren betaler halv pris.", "reason": "Ny regel"}
    asked = await client.post("/staff/services/companion_card/nb", data=values)
    text = await asked.text()
    assert asked.status == 422 and "Kilde for «Pris» (teksten er endret)" in text and 'role="alert"' in text
    assert "Ledsageren betaler halv pris." in text and 'value="Ny regel"' in text  # nothing the editor typed is lost
    with new_session(default_engine()) as session:
        assert "halv pris" not in get_service(session, "companion_card", "nb").cost
    answered = {**form_values(text), "source_choice_cost": "new", "source_document_cost": "temaplan-barn-2019",
                "source_section_cost": "5.0 Tjenestetilbudet i kommunen – Ledsagerbevis"}
    assert (await client.post("/staff/services/companion_card/nb", data=answered, allow_redirects=False)).status == 303
    with new_session(default_engine()) as session:
        card = get_service(session, "companion_card", "nb")
        assert card.cost == "Ledsageren betaler halv pris."
        assert ("5.0 Tjenestetilbudet i kommunen – Ledsagerbevis", ("cost",)) in [(s.section, s.fields) for s in card.sources]
    history = await (await client.get("/staff/services/companion_card/settings/history")).text()
    assert "Ny regel" in history


async def test_a_signpost_is_edited_without_the_texts_it_does_not_have(client):
    await login(client, "ed.itor")
    page = await (await client.get("/staff/services/nav_basic_benefit/en")).text()
    assert 'name="who_for"' not in page and 'name="cost"' not in page and 'name="appeal"' not in page
    values = {**form_values(page), "summary": form_values(page)["summary"] + " (checked)", "status": "reviewed", "reason": "Checked"}
    assert (await client.post("/staff/services/nav_basic_benefit/en", data=values, allow_redirects=False)).status == 303


async def test_export_then_import_changes_only_what_was_edited(client):
    await login(client, "ed.itor")
    page = await (await client.get("/staff/export")).text()
    token = token_of(page)
    exported = await client.get("/staff/export/knowledge-base.yml")
    assert exported.status == 200 and "attachment" in exported.headers["Content-Disposition"]
    text = await exported.text()
    document = yaml.safe_load(text)
    assert {"sources", "contacts", "services", "parameters"} <= set(document) and len(document["services"]) >= 17

    async def upload(body: str | bytes, mode: str, reason: str = "Gjennomgang av tekstene"):
        form = FormData()
        form.add_field("csrf", token)
        form.add_field("reason", reason)
        form.add_field("mode", mode)
        form.add_field("file", body, filename="kb.yml", content_type="application/yaml")
        response = await client.post("/staff/export/import", data=form)
        return response.status, await response.text()

    status, result = await upload(text, "check")
    assert status == 200 and "Ingen endringer" in result
    interpreter = next(s for s in document["services"] if s["key"] == "interpreter")
    interpreter_summary = interpreter["content"]["ar"]["summary"]
    interpreter["content"]["ar"]["summary"] = "ملخص جديد من الاستيراد"
    next(iter(document["parameters"].values()))["values"].append({"valid_from": "2030-01-01", "value": 30})
    edited = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    status, result = await upload(edited, "check")
    assert status == 200 and "ingenting er lagret" in result and "tekst endret: interpreter (ar)" in result
    with new_session(default_engine()) as session:
        assert get_service(session, "interpreter", "ar").summary != "ملخص جديد من الاستيراد"  # a trial run saves nothing
    status, result = await upload(edited, "apply")
    assert status == 200 and "Importert og publisert" in result and "parameter endret" in result
    with new_session(default_engine()) as session:
        assert get_service(session, "interpreter", "ar").summary == "ملخص جديد من الاستيراد"
    history = await (await client.get("/staff/services/interpreter/ar/history")).text()
    assert "Gjennomgang av tekstene" in history and "ed.itor" in history

    broken = dict(document, services=[{**interpreter, "contact": "nobody"}])
    for body, message in ((yaml.safe_dump(broken, allow_unicode=True), "unknown contact"), ("a: [", "ikke gyldig YAML"),
                          ("services: []", "ikke en eksport fra Veiviser"), (b"x" * (2 * 1024 * 1024 + 10), "for stor")):
        status, result = await upload(body, "apply")
        assert status in (413, 422) and "Ingenting er importert" in result or "for stor" in result, message
        assert message in html.unescape(result)
    status, result = await upload(text, "apply", reason="")
    assert status == 422 and "begrunnelse" in result
    status, result = await upload(text, "apply", reason="Tilbake til eksporten")  # the file restores what it held
    assert "tekst endret: interpreter (ar)" in result and "parameter endret" in result
    with new_session(default_engine()) as session:
        assert get_service(session, "interpreter", "ar").summary == interpreter_summary
