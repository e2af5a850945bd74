"""An edit that changes what a Norwegian text claims asks for its source (issue 12)."""
from __future__ import annotations

import pytest

from knowledge.models import SERVICE_TEXT_FIELDS, ServiceContent, ServiceSource
from knowledge.queries import get_service
from knowledge.staff import records, sourcing
from knowledge.staff.sourcing import KEPT, NEW, SourceAnswer, SourceNeeded, claim_changed


def texts(session, key, language) -> dict[str, str]:
    row = session.query(ServiceContent).filter_by(service_key=key, language=language).one()
    return {field: getattr(row, field) for field in SERVICE_TEXT_FIELDS}


@pytest.mark.parametrize("old,new,changed", [
    ("Avlastning er gratis.", "Avlastning  er gratis", False),          # spacing and a full stop
    ("Avlastning er gratis.", "avlastning er Gratis.", False),          # letter case
    ("Avlastning er gratis.", "Avlastning er ikke gratis.", True),      # one word turns the claim round
    ("minst 32 timer i uka", "minst 25 timer i uka", True),             # a number
    ("", "Ny tekst.", True),
])
def test_a_claim_changes_when_a_word_or_number_changes(old, new, changed):
    assert claim_changed(old, new) is changed


def test_a_changed_norwegian_claim_is_not_published_until_its_source_is_given(session):
    before = texts(session, "relief_care", "nb")
    changed = {**before, "cost": "Avlastning koster 100 kroner i døgnet.", "summary": before["summary"] + " "}
    with pytest.raises(SourceNeeded) as asked:
        sourcing.save(session, "relief_care", "nb", changed, "source", "ed", "Ny pris", {})
    assert asked.value.fields == ["cost"] and "«Pris»" in str(asked.value)
    assert texts(session, "relief_care", "nb")["cost"] == before["cost"]


def test_confirming_that_the_sources_still_hold_publishes_without_new_sources(session):
    before_sources = session.query(ServiceSource).filter_by(service_key="relief_care").count()
    changed = {**texts(session, "relief_care", "nb"), "cost": "Avlastning er gratis for familien."}
    sourcing.save(session, "relief_care", "nb", changed, "source", "ed", "Klarere", {"cost": SourceAnswer(KEPT)})
    assert get_service(session, "relief_care", "nb").cost == "Avlastning er gratis for familien."
    assert session.query(ServiceSource).filter_by(service_key="relief_care").count() == before_sources


def test_a_new_source_is_added_for_that_text_with_history(session):
    changed = {**texts(session, "bpa", "nb"), "cost": "BPA er gratis for barn."}
    answer = SourceAnswer(NEW, "temaplan-barn-2019", "5.0 Tjenestetilbudet i kommunen – BPA", "helse- og omsorgstjenesteloven § 11-2")
    sourcing.save(session, "bpa", "nb", changed, "source", "ed", "Pris fra planen", {"cost": answer})
    view = get_service(session, "bpa", "nb")
    [shown] = [s for s in view.sources_of(("cost",)) if s.section == "5.0 Tjenestetilbudet i kommunen – BPA"]
    assert shown.fields == ("cost",) and shown.law == "helse- og omsorgstjenesteloven § 11-2"
    latest = records.history(session, "service", "bpa")[0]
    assert latest.author == "ed" and latest.reason == "Pris fra planen"


def test_a_new_source_needs_a_document_and_a_section(session):
    changed = {**texts(session, "bpa", "nb"), "cost": "BPA er gratis for barn."}
    with pytest.raises(SourceNeeded):
        sourcing.save(session, "bpa", "nb", changed, "source", "ed", "Pris", {"cost": SourceAnswer(NEW, "temaplan-barn-2019", " ")})


def test_translations_follow_the_norwegian_and_are_not_asked(session):
    changed = {**texts(session, "bpa", "en"), "cost": "Our sources do not say. Ask the office."}
    sourcing.save(session, "bpa", "en", changed, "reviewed", "ed", "Shorter", {})
    assert get_service(session, "bpa", "en").cost == "Our sources do not say. Ask the office."


def test_the_title_is_a_name_not_a_claim(session):
    changed = {**texts(session, "bpa", "nb"), "title": "BPA (brukerstyrt personlig assistanse)"}
    sourcing.save(session, "bpa", "nb", changed, "source", "ed", "Kortere tittel", {})
