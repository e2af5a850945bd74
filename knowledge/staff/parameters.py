"""Editing the dated eligibility parameters: validate, publish as a new version, history, restore.

A parameter's version holds its whole list of dated values. Editors normally add a value with a
later ``valid_from`` (the old value keeps applying to earlier days), or correct a wrong one.
"""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from knowledge.eligibility.parameters import UNITS, Parameter, seed_parameters, values_from_data, values_to_data
from knowledge.revision import seeded_at
from knowledge.staff import records

EARLIEST = date(2000, 1, 1)
MAX_VALUES = 20


class ParameterError(records.RecordError):
    """A parameter edit that cannot be saved; the message says why (Norwegian, for staff)."""


def definition(name: str) -> Parameter:
    try:
        return seed_parameters()[name]
    except KeyError:
        raise ParameterError(f"ukjent parameter: {name}") from None


def current(session: Session, name: str) -> Parameter:
    """The parameter with its newest published values."""
    version = records.latest(session, "parameter", name)
    parameter = definition(name)
    if version is None:
        return parameter
    return replace(parameter, values=values_from_data(version.data["values"]))


def _number(text: str, name: str, row: int) -> float | int:
    low, high, whole = UNITS[definition(name).unit]
    cleaned = text.strip().replace(",", ".").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise ParameterError(f"rad {row}: «{text.strip()}» er ikke et tall") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ParameterError(f"rad {row}: verdien må være mellom {low} og {high}")
    if whole and not value.is_integer():
        raise ParameterError(f"rad {row}: verdien må være et helt tall")
    return int(value) if value.is_integer() else value


def validate(name: str, rows: list[tuple[str, str]], today: date | None = None) -> list[dict]:
    """``rows`` of (valid_from, value) as typed; blank rows are dropped. Returns the values, oldest first."""
    definition(name)
    latest_allowed = date((today or date.today()).year + 10, 12, 31)
    values: dict[date, float | int] = {}
    for row, (day_text, value_text) in enumerate(rows, start=1):
        if not day_text.strip() and not value_text.strip():
            continue
        try:
            day = date.fromisoformat(day_text.strip())
        except ValueError:
            raise ParameterError(f"rad {row}: «{day_text.strip()}» er ikke en dato (ÅÅÅÅ-MM-DD)") from None
        if not EARLIEST <= day <= latest_allowed:
            raise ParameterError(f"rad {row}: datoen må være mellom {EARLIEST.isoformat()} og {latest_allowed.isoformat()}")
        if day in values:
            raise ParameterError(f"rad {row}: to verdier kan ikke gjelde fra samme dato ({day.isoformat()})")
        values[day] = _number(value_text, name, row)
    if not values:
        raise ParameterError("minst én verdi med dato må stå igjen")
    if len(values) > MAX_VALUES:
        raise ParameterError(f"høyst {MAX_VALUES} verdier")
    return values_to_data(tuple(sorted(values.items())))


def save(session: Session, name: str, rows: list[tuple[str, str]], author: str, reason: str) -> records.RecordVersion:
    """Validate and publish: the next check in any process uses the new values."""
    values = validate(name, rows)
    try:
        reason = records.clean_reason(reason)
    except records.RecordError as error:
        raise ParameterError(str(error)) from None
    baseline = {"values": values_to_data(definition(name).values)}
    return records.record(session, "parameter", name, {"values": values}, author, reason, baseline=baseline,
                          baseline_at=seeded_at(session))


def history(session: Session, name: str) -> list[records.RecordVersion]:
    definition(name)
    return records.history(session, "parameter", name)


def restore(session: Session, version_id: int, author: str, reason: str, key: str | None = None) -> records.RecordVersion:
    """Save version ``version_id`` (of the record ``key``, when given) again as the newest."""
    old = records.to_restore(session, version_id, "parameter", ParameterError, key)
    rows = [(v["valid_from"], str(v["value"])) for v in old.data["values"]]
    return save(session, old.key, rows, author, records.restored_reason(records.number_of(session, old), reason))


def all_current(session: Session) -> list[Parameter]:
    """Every parameter as published now, in the order of parameters.yml."""
    return [current(session, name) for name in seed_parameters()]
