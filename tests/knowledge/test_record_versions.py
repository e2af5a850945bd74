"""Versions of contact points, service settings and eligibility parameters: who/when/why, diff,
restore, validation with a reason, and publishing that is live at once (no restart)."""
from __future__ import annotations

from datetime import date

import pytest

from knowledge.eligibility import evaluate
from knowledge.eligibility import parameters as published
from knowledge.queries import get_contact, get_service, list_services
from knowledge.staff import contacts, parameters, records, services

BPA_FACTS = {"age": 9, "need_duration_over_two_years": True, "weekly_assistance_hours": 30,
             "needs_more_than_one_helper_at_once": False, "needs_night_assistance": False}


@pytest.fixture
def follow_database(seeded_database):
    published.use_database(seeded_database)
    yield
    published.use_database(None)


def _rows(name, session):
    return [(d.isoformat(), str(v)) for d, v in parameters.current(session, name).values]


def test_a_published_parameter_applies_to_the_next_check_and_can_be_restored(session, follow_database):
    day = date(2026, 6, 1)
    assert evaluate("bpa", BPA_FACTS, "en", day)["outcome"] == "needs_assessment"
    seed_rows = _rows("bpa.right_min_weekly_hours", session)
    version = parameters.save(session, "bpa.right_min_weekly_hours", [*seed_rows, ("2026-01-01", "30")], "ed", "Ny praksis fra 2026")
    session.commit()
    assert evaluate("bpa", BPA_FACTS, "en", day)["outcome"] == "likely_eligible"
    assert evaluate("bpa", BPA_FACTS, "en", date(2025, 12, 31))["outcome"] == "needs_assessment"  # the old value still dates
    history = parameters.history(session, "bpa.right_min_weekly_hours")
    assert [v.author for v in history] == ["ed", "seed"] and history[0].id == version.id
    [change] = records.changes(history[1].data, history[0].data, ["values"])
    assert change.field == "values" and change.added == "{'valid_from': '2026-01-01', 'value': 30}" and not change.removed
    parameters.restore(session, history[1].id, "ed", "Tilbake")
    session.commit()
    assert evaluate("bpa", BPA_FACTS, "en", day)["outcome"] == "needs_assessment"


def test_a_database_that_cannot_be_read_keeps_the_last_values(tmp_path):
    published.use_database(f"sqlite:///{tmp_path / 'missing' / 'none.db'}")
    try:
        assert evaluate("bpa", BPA_FACTS, "en", date(2026, 6, 1))["outcome"] == "needs_assessment"
    finally:
        published.use_database(None)


@pytest.mark.parametrize("rows,message", [
    ([("2026-13-01", "30")], "ikke en dato"),
    ([("2026-01-01", "tretti")], "ikke et tall"),
    ([("2026-01-01", "500")], "mellom 0 og 168"),
    ([("2026-01-01", "30"), ("2026-01-01", "31")], "samme dato"),
    ([("", "")], "minst én verdi"),
    ([("1999-01-01", "30")], "mellom 2000-01-01"),
])
def test_invalid_parameter_values_are_refused_with_a_reason(session, rows, message):
    with pytest.raises(parameters.ParameterError, match=message):
        parameters.save(session, "bpa.right_min_weekly_hours", rows, "ed", "Test")


def test_ages_must_be_whole_numbers_and_unknown_parameters_are_named(session):
    with pytest.raises(parameters.ParameterError, match="helt tall"):
        parameters.save(session, "relief_care.min_age", [("2020-01-01", "3,5")], "ed", "Test")
    with pytest.raises(parameters.ParameterError, match="ukjent parameter"):
        parameters.save(session, "no.such", [("2020-01-01", "3")], "ed", "Test")
    with pytest.raises(parameters.ParameterError, match="begrunnelse"):
        parameters.save(session, "relief_care.min_age", [("2020-01-01", "3")], "ed", " ")


def test_phone_hours_read_as_staff_type_them():
    entry = {"phone_hours": contacts.hours_from_text({"mon": "9.30-11:00, 12:00–13:30", "tue": "09:30–11:00", "sat": "stengt"})}
    assert entry["phone_hours"] == [{"days": ["mon", "tue"], "opens": "09:30", "closes": "11:00"},
                                    {"days": ["mon"], "opens": "12:00", "closes": "13:30"}]
    assert contacts.hours_by_day(entry)["mon"] == "09:30–11:00, 12:00–13:30" and contacts.hours_by_day(entry)["sun"] == ""
    for text, message in (("9-11", "09:30–11:00"), ("11:00–09:00", "ikke før"), ("09:00–11:00, 10:00–12:00", "overlapper"),
                          ("25:00–26:00", "klokkeslett")):
        with pytest.raises(contacts.ContactError, match=message):
            contacts.hours_from_text({"wed": text}, {"wed": "onsdag"})


def test_a_contact_edit_is_live_versioned_and_restorable(session):
    before = contacts.get(session, "hvk_0_18")
    entry = {**before, "phone": "94 83 72 86", "phone_hours": contacts.hours_from_text({"mon": "08:00–15:00"}),
             "content": {**before["content"], "ar": {**before["content"]["ar"], "role": "دور جديد للاختبار"}}}
    contacts.save(session, "hvk_0_18", entry, "ed", "Nytt nummer")
    session.commit()
    now = get_contact(session, "hvk_0_18", "ar")
    assert now.phone == "94 83 72 86" and now.role == "دور جديد للاختبار"
    assert [(h.weekday, h.opens, h.closes) for h in now.hours] == [(0, "08:00", "15:00")]
    history = contacts.history(session, "hvk_0_18")
    changed = {c.field for c in records.changes(contacts.flat(history[1].data), contacts.flat(history[0].data), contacts.DIFF_FIELDS)}
    assert changed == {"phone", "ar.role", *(f"hours.{day}" for day in ("mon", "tue", "wed", "thu", "fri"))}
    contacts.restore(session, history[1].id, "ed", "Tilbake")
    session.commit()
    assert contacts.get(session, "hvk_0_18") == before


@pytest.mark.parametrize("change,message", [
    ({"phone": "12"}, "telefon"),
    ({"email": "not-an-address"}, "e-post"),
    ({"phone": None}, "telefonnummer"),
    ({"content": {"nb": {"status": "source", "name": "", "role": "x"}}}, "navn"),
    ({"source": {"document": "nope", "section": "x"}}, "source document"),
])
def test_invalid_contact_edits_are_refused(session, change, message):
    with pytest.raises(contacts.ContactError, match=message):
        contacts.save(session, "hvk_0_18", {**contacts.get(session, "hvk_0_18"), **change}, "ed", "Test")
    session.rollback()


NEW_TEXTS = {"title": "Sommerleir", "summary": "Leir om sommeren.", "description": "En uke med aktiviteter.",
             "who_for": "Barn med funksjonsnedsettelse.", "how_to_apply": "Ring kontoret.", "cost": "Gratis.",
             "decided_by": "Helse- og velferdskontor 0–18 år.",
             "after_applying": "Dere får et foreløpig svar.", "appeal": "Vedtaket sier hvordan dere klager."}


def test_a_new_service_is_listed_at_once_and_its_settings_are_versioned(session):
    settings = {"order": 999, "contact": "hvk_0_18", "active": True,
                "sources": [{"document": "brosjyre-hvk-2025", "section": "Støttekontakt og tilrettelagt fritid"}]}
    services.create(session, "summer_camp_test", settings, NEW_TEXTS, "ed", "Ny tjeneste")
    session.commit()
    assert get_service(session, "summer_camp_test", "nb").title == "Sommerleir"
    assert "summer_camp_test" in {s.key for s in list_services(session, "nb")}
    services.save_settings(session, "summer_camp_test", {**settings, "active": False}, "ed", "Skjul inntil videre")
    session.commit()
    assert "summer_camp_test" not in {s.key for s in list_services(session, "nb")}
    history = services.history(session, "summer_camp_test")
    [change] = records.changes(services.flat(history[1].data), services.flat(history[0].data), services.SETTINGS)
    assert (change.field, change.removed, change.added) == ("active", "ja", "nei")
    with pytest.raises(services.ServiceError, match="finnes allerede"):
        services.create(session, "summer_camp_test", settings, NEW_TEXTS, "ed", "Igjen")
    for key, change, message in (("Bad Key", {}, "nøkkel"), ("camp2", {"contact": "nobody"}, "kontaktpunkt"),
                                 ("camp3", {"sources": []}, "kilde"), ("camp4", {"order": "first"}, "rekkefølge")):
        with pytest.raises(records.RecordError, match=message):
            services.create(session, key, {**settings, **change}, NEW_TEXTS, "ed", "Test")
    with pytest.raises(records.RecordError, match="tomt"):
        services.create(session, "camp5", settings, {**NEW_TEXTS, "summary": ""}, "ed", "Test")
    session.rollback()


def test_a_restore_says_why_in_the_editors_own_words_and_names_the_shown_number(session):
    rows = _rows("bpa.max_age", session)
    parameters.save(session, "bpa.max_age", [("2020-01-01", "66")], "ed", "Midlertidig endring")
    seed = parameters.history(session, "bpa.max_age")[-1]
    for empty in ("", "  ", "ok"):
        with pytest.raises(records.RecordError, match="begrunnelse"):  # the prefix alone is not a reason
            parameters.restore(session, seed.id, "ed", empty)
    with pytest.raises(records.RecordError, match="3–450"):
        parameters.restore(session, seed.id, "ed", "x" * 451)
    restored = parameters.restore(session, seed.id, "ed", "Tilbake til seed")
    assert restored.reason == "Gjenopprettet versjon 1: Tilbake til seed"
    assert [(day, f"{value:g}") for day, value in parameters.current(session, "bpa.max_age").values] == \
        [(date.fromisoformat(day), value) for day, value in rows]
    session.rollback()


def test_changes_are_word_by_word_and_spaces_alone_are_no_change():
    [change] = records.changes({"text": "Avlastning er gratis for familien."}, {"text": "Avlastning er gratis for hele familien."}, ["text"])
    assert change.parts == (("same", "Avlastning er gratis for "), ("added", "hele "), ("same", "familien."))
    assert records.changes({"text": "a  b"}, {"text": "a b "}, ["text"]) == []
    [rewritten] = records.changes({"apply": "søknad gjennom Veiviser"}, {"apply": "direkte til kontaktpunktet"}, ["apply"])
    assert rewritten.parts == (("removed", "søknad gjennom Veiviser"), ("added", "direkte til kontaktpunktet"))


def test_a_restore_from_a_records_page_takes_only_that_records_versions(session):
    parameters.save(session, "bpa.max_age", [("2020-01-01", "66")], "ed", "Midlertidig endring")
    seed = parameters.history(session, "bpa.max_age")[-1]
    with pytest.raises(records.RecordError, match="Fant ikke versjonen"):
        parameters.restore(session, seed.id, "ed", "Fra en annen side", key="bpa.right_min_weekly_hours")
    with pytest.raises(records.RecordError, match="Fant ikke versjonen"):
        contacts.restore(session, seed.id, "ed", "Ikke et kontaktpunkt", key="bpa.max_age")  # another kind of record
    assert parameters.restore(session, seed.id, "ed", "Fra sin egen side", key="bpa.max_age").key == "bpa.max_age"
    session.rollback()
