"""The parts of a service a family can ask about: for each, the intent that asks it and the texts
that answer it. One table, read by the NLU's intent resolver, the actions, the replies and the
evaluation, so a new aspect is added in one place (plus its training data and its heading)."""
from __future__ import annotations

#: aspect: (intent, the service texts that answer it)
ASPECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "about": ("ask_service", ("summary", "description")),
    "eligibility": ("ask_eligibility", ("summary", "who_for")),
    "apply": ("apply", ("how_to_apply",)),
    "cost": ("ask_cost", ("cost",)),
    "decides": ("ask_who_decides", ("decided_by",)),
    "after_applying": ("ask_after_applying", ("after_applying",)),
    "appeal": ("ask_appeal", ("appeal",)),
}
ASPECT_FIELDS = {aspect: fields for aspect, (_, fields) in ASPECTS.items()}
INTENT_OF_ASPECT = {aspect: intent for aspect, (intent, _) in ASPECTS.items()}
ASPECT_OF_INTENT = {intent: aspect for aspect, intent in INTENT_OF_ASPECT.items()}
#: The intents that ask about one service: readings of one question, pooled by the intent resolver.
SERVICE_INTENTS = tuple(INTENT_OF_ASPECT.values())
#: The name of an aspect on the service card (DESIGN.md), where it differs from ours.
CARD_NAME = {"eligibility": "who_for"}
