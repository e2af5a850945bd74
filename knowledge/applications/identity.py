"""Norwegian national identity numbers: fødselsnummer and D-number.

Eleven digits: a date of birth (DDMMYY; a D-number adds 4 to the first digit), a three-digit
individual number, and two control digits (modulus 11). From 2032 the first control digit may
take other values: the weighted sum including it may leave a remainder of 0, 1, 2 or 3 (it was
always 0 before), and the individual number no longer tells the century (Skatteetaten,
"Nytt fødselsnummer fra 2032"). The second control digit is unchanged.

A number that fails any check is never accepted; the reason says what to look at, without
repeating the number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.text import ascii_digits

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
K1_REMAINDERS = frozenset({0, 1, 2, 3})  # {0} before 2032; the new rule accepts all four
_SEPARATORS = re.compile(r"[\s.\-‐–]")


class InvalidIdentityNumber(ValueError):
    """``reason``: "length" | "date" | "control_digits" | "kind" (H-number, test number)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IdentityNumber:
    value: str
    kind: str  # "fodselsnummer" | "d_number"
    birth_date: date

    @property
    def masked(self) -> str:
        return masked_identity(self.value)


def masked_identity(value: str) -> str:
    """For summaries the family reads back (and the browser keeps): the date part and the last
    two digits; the three personal digits are hidden."""
    return f"{value[:6]} ***{value[9:]}" if len(value) == 11 and value.isdigit() else value


def _control_digits_ok(digits: list[int]) -> bool:
    k1_sum = sum(d * w for d, w in zip(digits[:9], K1_WEIGHTS, strict=True)) + digits[9]
    if k1_sum % 11 not in K1_REMAINDERS:
        return False
    return (sum(d * w for d, w in zip(digits[:10], K2_WEIGHTS, strict=True)) + digits[10]) % 11 == 0


def _century_candidates(individual: int, yy: int) -> list[int]:
    """Centuries the individual number allows (the pre-2032 ranges), most likely first."""
    centuries = []
    if individual <= 499:
        centuries.append(1900)
    if 500 <= individual <= 749 and yy >= 54:
        centuries.append(1800)
    if individual >= 500 and yy <= 39:
        centuries.append(2000)
    if individual >= 900 and yy >= 40:
        centuries.append(1900)
    return centuries


def _birth_date(day: int, month: int, yy: int, individual: int, today: date) -> date | None:
    # 2032-type numbers do not encode the century: fall back to the latest century that gives a
    # real date not in the future.
    for century in [*_century_candidates(individual, yy), 2000, 1900]:
        try:
            born = date(century + yy, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def parse_identity_number(text: str, today: date | None = None) -> IdentityNumber:
    """A valid fødselsnummer or D-number, or InvalidIdentityNumber with the reason."""
    value = _SEPARATORS.sub("", ascii_digits(text or ""))
    if len(value) != 11 or not value.isdigit():
        raise InvalidIdentityNumber("length")
    digits = [int(ch) for ch in value]
    day, month, yy, individual = int(value[0:2]), int(value[2:4]), int(value[4:6]), int(value[6:9])
    kind = "fodselsnummer"
    if digits[0] >= 4:
        kind, day = "d_number", day - 40
    if month > 12:  # H-numbers (+40) and synthetic test numbers (+80) are not for applications
        raise InvalidIdentityNumber("kind" if month > 40 else "date")
    born = _birth_date(day, month, yy, individual, today or date.today())
    if born is None:
        raise InvalidIdentityNumber("date")
    if not _control_digits_ok(digits):
        raise InvalidIdentityNumber("control_digits")
    return IdentityNumber(value, kind, born)


def is_valid_identity_number(text: str, today: date | None = None) -> bool:
    try:
        parse_identity_number(text, today)
    except InvalidIdentityNumber:
        return False
    return True
