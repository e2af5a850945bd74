"""Reconciles the intent with a recognised service.

"Is there a course for parents of disabled toddlers?" reads like "which services are there?",
but it names one service by describing it. When the service recogniser is confident, such a
question is about that service. Out-of-scope is overridden only on strong evidence, because a
confident wrong answer is worse than asking again.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ServiceIntentResolver(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "general_intents": ["ask_services_overview"],
            "general_min_service_confidence": 0.6,
            "out_of_scope_min_service_confidence": 0.8,
            "out_of_scope_max_confidence": 0.6,
            "target_intent": "ask_service",
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
        services = [e for e in message.get(ENTITIES) or [] if e.get("entity") == "service"]
        if not intent or not services:
            return
        confidence = max(float(e.get("confidence_entity", 1.0)) for e in services)
        name, intent_confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
        general = name in self._config["general_intents"] and confidence >= self._config["general_min_service_confidence"]
        out_of_scope = (name == "out_of_scope" and confidence >= self._config["out_of_scope_min_service_confidence"]
                        and intent_confidence <= self._config["out_of_scope_max_confidence"])
        if not (general or out_of_scope):
            return
        target = self._config["target_intent"]
        new_confidence = max(intent_confidence, confidence)
        # The general reading is replaced, not kept as a rival (it would look ambiguous).
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (target, name)]
        message.set(INTENT, {"name": target, "confidence": new_confidence}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": target, "confidence": new_confidence}] + ranking, add_to_output=True)
