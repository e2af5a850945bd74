"""Reconciles the intent with a recognised service, before the fallback classifier.

Two principles:

1. The service intents (what is it, can we get it, how to apply, cost, who decides, what happens
   after applying, how to appeal: ``knowledge.aspects``) are readings
   of one question about a service. Their confidence is pooled, so a near tie between "what is"
   and "can we get" is not mistaken for an ambiguous message and sent to the fallback, and when a
   service is named, the pooled reading is compared with the top intent as a whole.
2. A question that describes one service is about that service. "Is there a course for parents
   of disabled toddlers?" reads like "which services exist?"; "can a nurse come to our house?"
   reads like a wish to talk to a person. When the service recogniser is sure, the service wins.
   Out-of-scope and a request for a person are overridden only on strong evidence (a sure
   service, or a message the recogniser reads as about a service at all), because a confident
   wrong answer is worse than asking again. The check's controls (stop, don't know,
   start again) yield to a service the recogniser is fairly sure of.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from knowledge.aspects import SERVICE_INTENTS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ServiceIntentResolver(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "general_intents": ["ask_services_overview", "ask_what_we_can_get"],
            "general_min_service_confidence": 0.6,
            # Out of scope yields to a service the recogniser is sure of; or fairly sure of
            # when out-of-scope itself is not sure.
            "out_of_scope_strong_service_confidence": 0.9,
            "out_of_scope_min_service_confidence": 0.8,
            "out_of_scope_max_confidence": 0.6,
            # …and to any service it found in a message it reads as about a service: its own
            # chance of "no service" at most this. The intent classifier takes a parent's long
            # story for small talk far more often than the service recogniser takes it for nothing.
            "out_of_scope_max_no_service": 0.25,
            # A request for a person yields only to a *described* service (not a named one:
            # "can I talk to someone about relief care?" is a request for a person).
            "handoff_min_described_confidence": 0.9,
            # …or fairly sure, in a message the recogniser reads as about a service at all:
            # "is there someone who could take him climbing?" asks for a support contact.
            "handoff_min_described_confidence_in_a_need": 0.6,
            "handoff_max_no_service": 0.1,
            # The eligibility check's controls ("stop", "don't know", "start again") are short
            # messages; one that names or describes a service the recogniser is sure of is a
            # question about that service ("I want to lead my daughter's assistants myself").
            "control_intents": ["stop", "dont_know", "start_over"],
            "control_min_service_confidence": 0.8,
            # Any reading the intent classifier is unsure of (below this) yields to a service the
            # recogniser is fairly sure of, and a service question is then as sure as the service:
            # "Er det noe kurs for oss som foreldre til så små barn?" is not a message to refuse.
            "unsure_intent_max_confidence": 0.6,
            "sure_service_min_confidence": 0.6,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ServiceIntentResolver:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._resolve(message)
        return messages

    def _resolve(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        ranking = list(message.get(INTENT_RANKING_KEY) or [])
        if not intent or not ranking:
            return
        scores = {r["name"]: float(r["confidence"]) for r in ranking}
        pooled = sum(scores.get(name, 0.0) for name in SERVICE_INTENTS)
        best_service_intent = max(SERVICE_INTENTS, key=lambda name: scores.get(name, 0.0))
        name = intent.get("name")
        c, own = self._config, scores.get(name, 0.0)
        services = [e for e in message.get(ENTITIES) or [] if e.get("entity") == "service"]
        confidence = max((float(e.get("confidence_entity", 1.0)) for e in services), default=0.0)
        described = bool(services) and all((e.get("additional_info") or {}).get("method") == "classifier" for e in services)
        no_service = float((message.get("service_reading") or {}).get("none", 1.0))
        sure_service = confidence >= c["sure_service_min_confidence"] and (
            not described or no_service <= c["out_of_scope_max_no_service"])
        if name in SERVICE_INTENTS:
            self._set(message, ranking, name, max(pooled, confidence) if sure_service else pooled)
            return
        if not services:
            return
        switch = (
            # Split over its sibling readings, the service question still outweighs the top one.
            (pooled > own and name not in ("change_language",))
            or (name in c["general_intents"] and confidence >= c["general_min_service_confidence"])
            or (name == "out_of_scope" and (confidence >= c["out_of_scope_strong_service_confidence"]
                                           or (confidence >= c["out_of_scope_min_service_confidence"]
                                               and own <= c["out_of_scope_max_confidence"])
                                           or no_service <= c["out_of_scope_max_no_service"]))
            or (name == "human_handoff" and described and (
                confidence >= c["handoff_min_described_confidence"]
                or (confidence >= c["handoff_min_described_confidence_in_a_need"] and no_service <= c["handoff_max_no_service"])))
            or (name in c["control_intents"] and confidence >= c["control_min_service_confidence"])
            or (own < c["unsure_intent_max_confidence"] and sure_service)
        )
        if switch:
            self._set(message, ranking, best_service_intent, max(pooled, confidence), replaced=name)

    @staticmethod
    def _set(message: Message, ranking: list[dict], target: str, confidence: float, replaced: str | None = None) -> None:
        confidence = min(1.0, confidence)
        # Pooled siblings and the replaced reading are not kept as rivals (they would look ambiguous).
        dropped = set(SERVICE_INTENTS) | ({replaced} if replaced else set())
        rest = [r for r in ranking if r.get("name") not in dropped]
        message.set(INTENT, {"name": target, "confidence": confidence}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": target, "confidence": confidence}, *rest], add_to_output=True)
