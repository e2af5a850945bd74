"""Editing service content: versions with who/when/why, diff, restore, translation status."""
from __future__ import annotations

import pytest

from knowledge.models import SERVICE_TEXT_FIELDS, ServiceContent
from knowledge.queries import get_service
from knowledge.staff import content, records


def texts(session, key, language) -> dict[str, str]:
    row = session.query(ServiceContent).filter_by(service_key=key, language=language).one()
    return {field: getattr(row, field) for field in SERVICE_TEXT_FIELDS}


def test_a_saved_text_is_live_and_versioned_with_author_and_reason(session):
    fields = {**texts(session, "interpreter", "ar"), "summary": "ملخص جديد للاختبار"}
    version = content.save(session, "interpreter", "ar", fields, "reviewed", "ed.itor", "Rettet av oversetter")
    assert get_service(session, "interpreter", "ar").summary == "ملخص جديد للاختبار"
    versions = content.history(session, "interpreter", "ar")
    assert versions[0].id == version.id and versions[0].author == "ed.itor" and versions[-1].author == "seed"
    [change] = records.changes(versions[1].fields, versions[0].fields, SERVICE_TEXT_FIELDS)
    assert change.field == "summary" and "ملخص جديد" in change.added


def test_restore_brings_back_an_old_version_as_a_new_one(session):
    original = texts(session, "physiotherapy", "en")
    content.save(session, "physiotherapy", "en", {**original, "title": "Changed title"}, "reviewed", "ed", "Test change")
    seed = content.history(session, "physiotherapy", "en")[-1]
    restored = content.restore(session, seed.id, "ed", "Back to the seed text")
    assert texts(session, "physiotherapy", "en")["title"] == original["title"]
    assert "Gjenopprettet versjon" in restored.reason


def test_translations_go_out_of_date_when_the_norwegian_changes(session):
    def status(language):
        rows = {key: cells for key, _, cells in content.translation_status(session)}
        return next(c.status for c in rows["occupational_therapy"] if c.language == language)

    assert status("en") == "machine_drafted"
    nb = texts(session, "occupational_therapy", "nb")
    content.save(session, "occupational_therapy", "nb", {**nb, "cost": nb["cost"] + " (oppdatert)"}, "source", "ed", "Ny pris")
    assert status("en") == "out_of_date"
    content.save(session, "occupational_therapy", "en", texts(session, "occupational_therapy", "en"), "reviewed", "ed", "Fulgt opp")
    assert status("en") == "reviewed"


@pytest.mark.parametrize("language,change,status,message", [
    ("ar", {"title": ""}, "reviewed", "tomt"),
    ("ar", {"summary": "x" * 4001}, "reviewed", "4000"),
    ("nb", {}, "reviewed", "status"),
    ("xx", {}, "reviewed", "språk"),
])
def test_invalid_edits_are_refused_with_a_reason(session, language, change, status, message):
    fields = {**texts(session, "bpa", "ar"), **change}
    with pytest.raises(content.ContentError, match=message):
        content.save(session, "bpa", language, fields, status, "ed", "Test")


def test_a_reason_is_required(session):
    with pytest.raises(content.ContentError, match="begrunnelse"):
        content.save(session, "bpa", "ar", texts(session, "bpa", "ar"), "reviewed", "ed", "")


def test_a_restore_from_a_texts_page_takes_only_that_texts_versions(session):
    original = texts(session, "physiotherapy", "en")
    content.save(session, "physiotherapy", "en", {**original, "title": "Changed again"}, "reviewed", "ed", "Test change")
    seed = content.history(session, "physiotherapy", "en")[-1]
    for key, language in (("physiotherapy", "ar"), ("interpreter", "en")):
        with pytest.raises(content.ContentError, match="Fant ikke versjonen"):
            content.restore(session, seed.id, "ed", "From another page", key=key, language=language)
    assert content.restore(session, seed.id, "ed", "From its own page", key="physiotherapy", language="en").fields == seed.fields
    session.rollback()
