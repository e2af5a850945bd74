"""The intent resolver's decisions on hand-made NLU output (no model needed)."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from veiviser_nlu.intent_resolver import ServiceIntentResolver


def resolve(ranking: dict[str, float], service_confidence: float | None = None, method: str = "lexicon",
            no_service: float | None = None) -> str:
    ordered = sorted(ranking.items(), key=lambda item: -item[1])
    message = Message(data={"text": "…"})
    message.set(INTENT, {"name": ordered[0][0], "confidence": ordered[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ordered])
    if service_confidence is not None:
        message.set(ENTITIES, [{"entity": "service", "value": "bpa", "confidence_entity": service_confidence,
                                "additional_info": {"method": method}}])
    if no_service is not None:
        message.set("service_reading", {"services": [], "none": no_service})
    ServiceIntentResolver({}).process([message])
    return message.get(INTENT)["name"]


def test_sibling_service_readings_are_pooled():
    assert resolve({"ask_service": 0.3, "ask_eligibility": 0.3, "greet": 0.4}, 0.9) in ("ask_service", "ask_eligibility")


def test_a_sure_service_wins_over_out_of_scope():
    assert resolve({"out_of_scope": 0.7, "ask_service": 0.1}, 0.95) == "ask_service"


def test_a_named_service_does_not_override_a_request_for_a_person():
    assert resolve({"human_handoff": 0.9, "ask_service": 0.05}, 0.99, method="lexicon") == "human_handoff"


@pytest.mark.parametrize("control", ["start_over", "stop", "dont_know"])
def test_check_controls_yield_to_a_service_the_recogniser_is_sure_of(control):
    assert resolve({control: 0.6, "out_of_scope": 0.3, "ask_eligibility": 0.05}, 0.99) == "ask_eligibility"


@pytest.mark.parametrize("control", ["start_over", "stop", "dont_know"])
def test_check_controls_without_a_service_stay(control):
    assert resolve({control: 0.9, "ask_service": 0.05}) == control
    assert resolve({control: 0.9, "ask_service": 0.05}, 0.5, method="classifier") == control


def test_a_story_the_recogniser_reads_as_about_a_service_is_not_out_of_scope():
    """Long stories often look like small talk to the intent classifier; the recogniser's own
    "no service" reading decides (issue 11)."""
    assert resolve({"out_of_scope": 0.99, "ask_service": 0.005}, 0.6, method="classifier", no_service=0.1) == "ask_service"
    assert resolve({"out_of_scope": 0.99, "ask_service": 0.005}, 0.6, method="classifier", no_service=0.4) == "out_of_scope"
    assert resolve({"out_of_scope": 0.99, "ask_service": 0.005}, 0.6, method="classifier") == "out_of_scope"


def test_someone_to_do_something_with_the_child_is_a_described_service_not_a_request_for_a_person():
    assert resolve({"human_handoff": 0.7, "ask_what_we_can_get": 0.26}, 0.83, method="classifier", no_service=0.02) == "ask_service"
    assert resolve({"human_handoff": 0.7, "ask_what_we_can_get": 0.26}, 0.83, method="classifier", no_service=0.3) == "human_handoff"
    assert resolve({"human_handoff": 0.7, "ask_service": 0.2}, 1.0, method="lexicon", no_service=0.01) == "human_handoff"


def test_an_unsure_intent_yields_to_a_service_the_recogniser_is_sure_of():
    assert resolve({"start_over": 0.32, "out_of_scope": 0.3, "ask_eligibility": 0.05}, 0.75, method="classifier",
                   no_service=0.17) == "ask_eligibility"
    assert resolve({"ask_contact": 0.49, "ask_who_decides": 0.13}, 0.95, method="classifier", no_service=0.02) == "ask_who_decides"
    assert resolve({"ask_contact": 0.9, "ask_who_decides": 0.05}, 0.95, method="classifier", no_service=0.02) == "ask_contact"
    assert resolve({"start_over": 0.32, "out_of_scope": 0.3, "ask_service": 0.05}, 0.75, method="classifier",
                   no_service=0.5) == "start_over"


def test_a_service_question_is_as_sure_as_its_service():
    """So that a near tie among the intents does not send a clear service question to the fallback."""
    ordered = [("ask_eligibility", 0.39), ("ask_what_we_can_get", 0.34), ("ask_service", 0.02)]
    message = Message(data={"text": "…"})
    message.set(INTENT, {"name": ordered[0][0], "confidence": ordered[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ordered])
    message.set(ENTITIES, [{"entity": "service", "value": "starthjelp", "confidence_entity": 0.97,
                            "additional_info": {"method": "classifier"}}])
    message.set("service_reading", {"services": [], "none": 0.01})
    ServiceIntentResolver({}).process([message])
    assert message.get(INTENT) == {"name": "ask_eligibility", "confidence": 0.97}
