"""Fødselsnummer and D-number validation against the table in tests/data/identity_numbers.yaml."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.applications.identity import InvalidIdentityNumber, is_valid_identity_number, parse_identity_number

TABLE = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "identity_numbers.yaml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("case", TABLE["valid"], ids=lambda c: c["note"])
def test_valid_numbers(case):
    number = parse_identity_number(case["number"], TODAY)
    assert number.kind == case["kind"] and number.birth_date == case["born"]
    assert len(number.value) == 11 and number.value.isdigit()


@pytest.mark.parametrize("case", TABLE["invalid"], ids=lambda c: c["note"])
def test_invalid_numbers_say_why(case):
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number(case["number"], TODAY)
    assert error.value.reason == case["reason"]
    assert not is_valid_identity_number(case["number"], TODAY)


def test_every_single_digit_typo_is_caught():
    """Modulus 11 catches any one wrong digit: no typo of a valid number passes."""
    valid = "15031951264"
    for position in range(11):
        for digit in "0123456789":
            typo = valid[:position] + digit + valid[position + 1:]
            if typo != valid:
                assert not is_valid_identity_number(typo, TODAY), typo


def test_masked_form_hides_the_individual_number():
    assert parse_identity_number("15031951264", TODAY).masked == "150319 ***64"
