"""The case table (tests/data/eligibility_cases.yaml) against the engine and the HTTP API."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer

from knowledge.eligibility import eligibility_services, evaluate
from knowledge.service_keys import SERVICE_KEYS
from web.app import create_app

CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "eligibility_cases.yaml").read_text(encoding="utf-8"))
OUTCOMES = {"likely_eligible", "needs_assessment", "need_more_info", "likely_not_eligible"}


def test_the_table_covers_every_service_and_every_outcome():
    assert len(CASES) >= 40
    assert {case["service"] for case in CASES} == set(eligibility_services())
    assert {case["outcome"] for case in CASES} == OUTCOMES
    for service in ("bpa", "relief_care", "companion_card", "starthjelp", "care_allowance", "coordinator"):
        assert {c["outcome"] for c in CASES if c["service"] == service} >= {"likely_not_eligible", "need_more_info"}


def check(case: dict, result: dict) -> None:
    assert result["outcome"] == case["outcome"], (case["id"], result)
    if "missing" in case:
        assert result["missing_facts"] == case["missing"], case["id"]
    if result["outcome"] != "need_more_info":
        assert result["missing_facts"] == []
    rules = {reason["rule"] for reason in result["reasons"]}
    assert set(case.get("rules", [])) <= rules, (case["id"], rules)
    assert all(reason["text"] and reason["source"] for reason in result["reasons"]), case["id"]
    assert result["disclaimer"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_engine(case):
    check(case, evaluate(case["service"], case["facts"], "en"))


@pytest.fixture
async def client():
    client = TestClient(TestServer(create_app()))
    await client.start_server()
    yield client
    await client.close()


async def test_api_runs_the_whole_table(client):
    for case in CASES:
        response = await client.post("/api/eligibility", json={"service": case["service"], "facts": case["facts"]})
        assert response.status == 200, case["id"]
        body = await response.json()
        assert set(body) >= {"service", "outcome", "missing_facts", "reasons", "disclaimer"}
        check(case, body)


@pytest.mark.parametrize("body,message", [
    ({"service": "parking", "facts": {}}, "unknown service"),
    ({"service": "bpa", "facts": {"shoe_size": 38}}, "unknown fact"),
    ({"service": "bpa", "facts": {"age": "ten"}}, "must be a number"),
    ({"service": "bpa", "facts": {"age": -1}}, "between 0 and 120"),
    ({"service": "bpa", "facts": {"weekly_assistance_hours": 500}}, "between 0 and 168"),
    ({"service": "bpa", "facts": {"heavy_care_burden": "yes"}}, "true or false"),
    ({"service": "bpa", "facts": {"age": True}}, "must be a number"),
    ({"service": "coordinator", "facts": {"number_of_services": 2.5}}, "whole number"),
    ({"service": "bpa", "facts": [1]}, "facts must be an object"),
    ({"facts": {}}, "service must be"),
    ({"service": "bpa", "facts": {}, "language": "fr"}, "language must be"),
    ({"service": "bpa", "facts": {}, "date": "tomorrow"}, "date must be"),
])
async def test_api_refuses_bad_input_clearly(client, body, message):
    response = await client.post("/api/eligibility", json=body)
    assert response.status == 400
    assert message in (await response.json())["error"]


async def test_api_refuses_non_json(client):
    response = await client.post("/api/eligibility", data="not json", headers={"Content-Type": "application/json"})
    assert response.status == 400


@pytest.mark.parametrize("path", ["/api/eligibility", "/api/eligibility/overview"])
@pytest.mark.parametrize("data,content_type,status", [
    ('{"service": "bpa", "facts": {"age": NaN}}', "application/json", 400),
    ('{"service": "bpa", "facts": {"age": Infinity}}', "application/json", 400),
    ('{"service": "bpa", "facts": {"age": -Infinity}}', "application/json", 400),
    ('{"service": "bpa", "facts": {"age": 1e400}}', "application/json", 400),
    ('{"service": "bpa", "facts": {"number_of_services": ' + "9" * 400 + '}}', "application/json", 400),
    ('{"service": "bpa", "facts": {"weekly_assistance_hours": ' + "1" * 400 + '}}', "application/json", 400),
    ("[" * 100_000 + "]" * 100_000, "application/json", 400),
    ('{"service": "bpa", "facts": {}}', "application/json; charset=klingon", 400),
    ('{"service": "bpa", "facts": {}}', "text/plain", 415),
])
async def test_api_answers_malformed_bodies_with_a_clear_4xx_never_a_500(client, path, data, content_type, status):
    response = await client.post(path, data=data, headers={"Content-Type": content_type})
    assert response.status == status, await response.text()
    assert "error" in await response.json()


async def test_a_date_before_the_rules_came_into_force_is_refused_not_answered_likely_eligible(client):
    for path, body in (("/api/eligibility", {"service": "bpa", "facts": {}, "date": "1990-01-01"}),
                       ("/api/eligibility/overview", {"facts": {"age": 4}, "date": "1990-01-01"})):
        response = await client.post(path, json=body)
        assert response.status == 400 and "in force" in (await response.json())["error"]


async def test_overview_lists_every_service_likely_ones_first(client):
    response = await client.post("/api/eligibility/overview",
                                 json={"facts": {"age": 4, "has_disability_or_long_term_illness": True, "heavy_care_burden": True}})
    results = (await response.json())["results"]
    assert {r["service"] for r in results} == set(eligibility_services())
    order = ["likely_eligible", "needs_assessment", "need_more_info", "likely_not_eligible"]
    assert [order.index(r["outcome"]) for r in results] == sorted(order.index(r["outcome"]) for r in results)
    outcome = {r["service"]: r["outcome"] for r in results}
    assert outcome["starthjelp"] == "likely_eligible" and outcome["relief_care"] == "likely_eligible"
    assert outcome["extended_after_school"] == "needs_assessment"  # age 4: for the school and office to say
    bad = await client.post("/api/eligibility/overview", json={"facts": {"age": -3}})
    assert bad.status == 400


def test_every_service_key_has_rules():
    assert set(eligibility_services()) == set(SERVICE_KEYS)


@pytest.mark.parametrize("language", ["nb", "en", "ar", "ti"])
def test_results_in_each_language(language):
    result = evaluate("bpa", {"age": 9, "need_duration_over_two_years": True, "weekly_assistance_hours": 28,
                              "needs_more_than_one_helper_at_once": False, "needs_night_assistance": False}, language)
    assert result["language"] == language
    hours = next(r for r in result["reasons"] if r["rule"] == "bpa.hours")
    assert "28" in hours["text"] and "25" in hours["text"] and "32" in hours["text"]
    assert "Temaplan" in hours["source"] and "§ 2-1 d" in hours["source"]
