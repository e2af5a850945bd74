"""Unanswered questions: stored redacted, grouped by similarity, handled, exported."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import yaml

from knowledge import unanswered
from knowledge.config import load_settings


def test_recorded_redacted_and_without_payloads(session):
    question = unanswered.record(session, "Jeg heter Kari, ring 40000000: får vi parkeringskort?", "nb", "out_of_scope", 0.4, "out_of_scope")
    assert "Kari" not in question.text and "40000000" not in question.text and "parkeringskort" in question.text
    assert unanswered.record(session, '/ask_service{"service": "bpa"}', "nb", None, None, "not_understood") is None
    assert unanswered.record(session, "12345678", "nb", None, None, "not_understood") is None


def test_similar_questions_are_grouped(session):
    for text in ("Hvordan får vi parkeringskort til bilen?", "hvordan får vi parkeringskort for bilen", "Er det gratis buss for barn?"):
        unanswered.record(session, text, "nb", "out_of_scope", 0.3, "out_of_scope")
    session.flush()
    groups = unanswered.groups(session)
    parking = next(g for g in groups if "parkeringskort" in g.example)
    assert len(parking.ids) >= 2 and not any("buss" in g.example for g in groups if g is parking)


def test_handled_and_exported_as_training_candidates(session):
    question = unanswered.record(session, "Kan barnet få hjelp med leksene etter skolen?", "nb", "ask_service", 0.3, "not_understood")
    unanswered.mark_handled(session, [question.id], "extended_after_school")
    assert question.id not in {i for g in unanswered.groups(session) for i in g.ids}
    exported = yaml.safe_load(unanswered.export_candidates(session))
    examples = exported["nb"]["nlu"][0]["examples"]
    assert "hjelp med leksene" in examples and "service: extended_after_school" in examples


def test_old_questions_are_deleted_after_the_retention_period(session):
    question = unanswered.record(session, "Et gammelt spørsmål om avlastning", "nb", None, None, "not_understood")
    recent = unanswered.record(session, "Et nytt spørsmål om avlastning", "nb", None, None, "not_understood")
    question.created_at = datetime.now(timezone.utc) - timedelta(days=91)
    recent.created_at = datetime.now(timezone.utc) - timedelta(days=89)
    session.flush()
    assert unanswered.purge_old(session, load_settings().unanswered_retention_days) >= 1
    assert session.get(type(recent), recent.id) is not None
