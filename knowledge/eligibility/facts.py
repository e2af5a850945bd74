"""The facts the engine reasons with (names from DESIGN.md), their types and possible values.

A fact that is absent has not been asked yet; a fact given as ``None`` means the family does not
know, which leaves that criterion to the case worker instead of blocking the check.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class FactError(ValueError):
    """A fact is unknown, of the wrong type or impossible; the message says which and why."""


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: str  # "bool" | "number" | "integer"
    minimum: float | None = None
    maximum: float | None = None


FACTS: dict[str, FactSpec] = {spec.name: spec for spec in (
    FactSpec("age", "number", 0, 120),
    FactSpec("has_disability_or_long_term_illness", "bool"),
    FactSpec("weekly_assistance_hours", "number", 0, 168),
    FactSpec("need_duration_over_two_years", "bool"),
    FactSpec("needs_night_assistance", "bool"),
    FactSpec("continuous_need", "bool"),
    FactSpec("needs_more_than_one_helper_at_once", "bool"),
    FactSpec("heavy_care_burden", "bool"),
    FactSpec("serious_illness_extensive_difficulties", "bool"),
    FactSpec("applied_for_nav_assistance_allowance", "bool"),
    FactSpec("needs_long_term_coordinated_services", "bool"),
    FactSpec("number_of_services", "integer", 0, 50),
)}


def _shown(value: Any) -> str:
    """A value in an error message, never thousands of digits long."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validate_facts(facts: Any) -> dict[str, Any]:
    """Check names, types and ranges; returns a clean copy (``None`` kept as "don't know")."""
    if not isinstance(facts, dict):
        raise FactError("facts must be an object mapping fact names to values")
    clean: dict[str, Any] = {}
    for name, value in facts.items():
        spec = FACTS.get(name)
        if spec is None:
            raise FactError(f"unknown fact {name!r}; known facts are {', '.join(FACTS)}")
        if value is None:
            clean[name] = None
            continue
        if spec.kind == "bool":
            if not isinstance(value, bool):
                raise FactError(f"{name} must be true or false (or null for don't know), not {value!r}")
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
                raise FactError(f"{name} must be a number, not {_shown(value)}")
            if not (spec.minimum <= value <= spec.maximum):  # before any conversion: 10**400 is an int too
                raise FactError(f"{name} must be between {spec.minimum:g} and {spec.maximum:g}, not {_shown(value)}")
            if spec.kind == "integer" and value != int(value):
                raise FactError(f"{name} must be a whole number, not {value!r}")
        clean[name] = value
    return clean
