"""Dated parameters (thresholds): the value in force on a given day.

The definitions and seed values are in parameters.yml. Editors change values at
/staff/parameters; each change is a version in the database (kind ``parameter`` in
:mod:`knowledge.staff.records`). A process that serves families (the web app, the action server)
calls :func:`use_database`; :func:`refresh`, run before every check, then picks up a newly
published value with one small query, so a change is live at once in every process. Without a
database (the engine's own tests, the rules document) the seed values apply.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.exc import SQLAlchemyError

PARAMETERS_FILE = Path(__file__).resolve().parent / "parameters.yml"
logger = logging.getLogger(__name__)

UNITS = {  # what an editor may enter for each unit: (lowest, highest, whole numbers only)
    "hours_per_week": (0, 168, False),
    "age": (0, 120, True),
    "years": (0, 120, True),
    "count": (1, 50, True),
}


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
    unit: str = "count"
    title_nb: str = ""  # what staff see on /staff/parameters

    def on(self, day: date) -> float:
        current = [value for valid_from, value in self.values if valid_from <= day]
        if not current:
            raise LookupError(f"parameter {self.name} has no value valid on {day.isoformat()}")
        return current[-1]


def values_from_data(raw: list[dict]) -> tuple[tuple[date, float], ...]:
    """``[{valid_from: "2015-01-01", value: 32}, …]`` (the YAML and database form), oldest first."""
    return tuple(sorted((date.fromisoformat(str(v["valid_from"])), v["value"]) for v in raw))


def values_to_data(values: tuple[tuple[date, float], ...]) -> list[dict]:
    return [{"valid_from": day.isoformat(), "value": value} for day, value in values]


@lru_cache(maxsize=1)
def seed_parameters() -> dict[str, Parameter]:
    """The definitions and values in parameters.yml."""
    raw = yaml.safe_load(PARAMETERS_FILE.read_text(encoding="utf-8"))["parameters"]
    loaded = {}
    for name, entry in raw.items():
        source = entry["source"]
        if entry.get("unit") not in UNITS:
            raise ValueError(f"{PARAMETERS_FILE}: {name} needs a unit among {sorted(UNITS)}")
        loaded[name] = Parameter(name, entry["description"],
                                 ParameterSource(source["document"], source["section"], source.get("law")),
                                 values_from_data(entry["values"]), entry["unit"], entry.get("title_nb", name))
    return loaded


class _Published:
    """The values editors have published, as last read from the database."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.database_url: str | None = None
        self.seen_version = -1
        self.values: dict[str, tuple[tuple[date, float], ...]] = {}


_published = _Published()


def use_database(database_url: str | None) -> None:
    """Let this process follow the values published in ``database_url`` (None: seed values only)."""
    with _published.lock:
        _published.database_url, _published.seen_version, _published.values = database_url, -1, {}


def refresh() -> None:
    """Read the published values again if the knowledge base changed since the last look.

    If the database cannot be read, the last values read stay in force (and a warning is logged),
    so a family's check still gets an answer."""
    url = _published.database_url
    if not url:
        return
    from knowledge import revision
    from knowledge.db import engine_for, new_session  # here: the engine itself needs no database
    from knowledge.staff import records

    engine = engine_for(url)
    if revision.read_this_turn(engine) == _published.seen_version:
        return  # the chat turn running now has just read the revision: unchanged
    try:
        newest = revision.current_of(engine)  # moves with every edit to the knowledge base, these values too
        if newest == _published.seen_version:
            return
        with new_session(engine) as session:
            versions = {name: records.latest(session, "parameter", name) for name in seed_parameters()}
            values = {name: values_from_data(version.data["values"]) for name, version in versions.items() if version}
    except SQLAlchemyError as error:
        logger.warning("eligibility parameters: database not readable, keeping the last values (%s)", type(error).__name__)
        return
    with _published.lock:
        _published.values, _published.seen_version = values, newest


def parameters() -> dict[str, Parameter]:
    """Every parameter with the values in force in this process (published, else seed)."""
    published = _published.values
    return {name: replace(parameter, values=published[name]) if name in published else parameter
            for name, parameter in seed_parameters().items()}


def param(name: str, day: date) -> float:
    published = _published.values.get(name)
    if published is not None:
        return replace(seed_parameters()[name], values=published).on(day)
    return seed_parameters()[name].on(day)
