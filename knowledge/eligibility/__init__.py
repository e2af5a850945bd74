"""Indicative eligibility checks, independent of Rasa: rules with sources, dated parameters,
three-valued facts. See engine.py for how findings become an outcome."""
from knowledge.eligibility.engine import (
    NoRulesOnDate,
    UnknownEligibilityService,
    eligibility_services,
    evaluate,
    overview,
)
from knowledge.eligibility.facts import FACTS, FactError, validate_facts

__all__ = ["FACTS", "FactError", "NoRulesOnDate", "UnknownEligibilityService", "eligibility_services", "evaluate", "overview", "validate_facts"]
