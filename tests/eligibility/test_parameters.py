"""Thresholds are dated data: a new value with a later valid_from changes outcomes from that day."""
from __future__ import annotations

from datetime import date

import yaml

from knowledge.eligibility import evaluate
from knowledge.eligibility import parameters as module
from knowledge.eligibility.rules import RULES
from knowledge.seed import read_seed

FACTS = {"age": 9, "need_duration_over_two_years": True, "weekly_assistance_hours": 30,
         "needs_more_than_one_helper_at_once": False, "needs_night_assistance": False}


def test_a_new_threshold_is_a_data_change(tmp_path, monkeypatch):
    data = yaml.safe_load(module.PARAMETERS_FILE.read_text(encoding="utf-8"))
    data["parameters"]["bpa.right_min_weekly_hours"]["values"].append({"valid_from": "2027-01-01", "value": 30})
    changed = tmp_path / "parameters.yml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(module, "PARAMETERS_FILE", changed)
    # Only the seed counts here: values another test published must not stand in for it.
    monkeypatch.setattr(module, "_published", module._Published())
    module.seed_parameters.cache_clear()
    try:
        assert evaluate("bpa", FACTS, "en", date(2026, 12, 31))["outcome"] == "needs_assessment"
        assert evaluate("bpa", FACTS, "en", date(2027, 1, 1))["outcome"] == "likely_eligible"
    finally:
        module.seed_parameters.cache_clear()


def test_rules_apply_from_their_valid_from_date():
    before = evaluate("relief_care", {"has_disability_or_long_term_illness": True}, "en", date(2025, 1, 1))
    after = evaluate("relief_care", {"has_disability_or_long_term_illness": True}, "en", date(2025, 6, 1))
    assert "relief_care.scope" not in {r["rule"] for r in before["reasons"]}
    assert "relief_care.scope" in {r["rule"] for r in after["reasons"]}


def test_every_rule_and_parameter_names_a_real_source():
    documents = {source["id"] for source in read_seed().sources}
    for rule in RULES:
        assert rule.source.document in documents or rule.source.law, rule.id
        assert rule.source.document is None or rule.source.section, rule.id
    for parameter in module.parameters().values():
        assert parameter.source.document in documents and parameter.source.section, parameter.name


def test_rules_document_is_up_to_date():
    from pathlib import Path

    from knowledge.eligibility.__main__ import rules_markdown

    document = (Path(__file__).resolve().parents[2] / "docs" / "eligibility-rules.md").read_text(encoding="utf-8")
    assert rules_markdown() in document, "regenerate docs/eligibility-rules.md with python -m knowledge.eligibility rules"
