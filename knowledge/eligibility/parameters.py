"""Dated parameters (thresholds) from parameters.yml: the value in force on a given day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

PARAMETERS_FILE = Path(__file__).resolve().parent / "parameters.yml"


@dataclass(frozen=True)
class ParameterSource:
    document: str
    section: str
    law: str | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    source: ParameterSource
    values: tuple[tuple[date, float], ...]  # (valid_from, value), oldest first

    def on(self, day: date) -> float:
        current = [value for valid_from, value in self.values if valid_from <= day]
        if not current:
            raise LookupError(f"parameter {self.name} has no value valid on {day.isoformat()}")
        return current[-1]


@lru_cache(maxsize=1)
def parameters() -> dict[str, Parameter]:
    raw = yaml.safe_load(PARAMETERS_FILE.read_text(encoding="utf-8"))["parameters"]
    loaded = {}
    for name, entry in raw.items():
        values = sorted((date.fromisoformat(str(v["valid_from"])), v["value"]) for v in entry["values"])
        source = entry["source"]
        loaded[name] = Parameter(name, entry["description"],
                                 ParameterSource(source["document"], source["section"], source.get("law")),
                                 tuple(values))
    return loaded


def param(name: str, day: date) -> float:
    return parameters()[name].on(day)
