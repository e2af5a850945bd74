"""Natural answers in four languages, and facts stated in passing."""
from __future__ import annotations

import pytest

from knowledge.eligibility.answers import UNREADABLE, parse_number, parse_yes_no
from knowledge.eligibility.stated import facts_in_message


@pytest.mark.parametrize("text,expected", [
    ("ja", True), ("Ja!", True), ("jepp", True), ("jau", True), ("yes", True), ("Yeah, she does", True), ("sure", True),
    ("نعم", True), ("أيوه", True), ("اي", True), ("እወ", True), ("እወ እዩ።", True),
    ("nei", False), ("Nei.", False), ("ikkje", False), ("no", False), ("nope", False), ("لا", False), ("كلا", False),
    ("ኣይፋል", False), ("የለን", False),
    ("vet ikke", None), ("Veit ikkje", None), ("I don't know", None), ("not sure", None), ("no idea", None),
    ("لا أعرف", None), ("ما بعرف", None), ("ኣይፈልጥን", None),
])
def test_yes_no_dont_know(text, expected):
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["", "hmm", "the weather", "🤷", "<b>ja</b>x"])
def test_unreadable_yes_no(text):
    assert parse_yes_no(text) is UNREADABLE


@pytest.mark.parametrize("text,expected", [
    ("28", 28), ("٢٨", 28), ("۲۸", 28), ("2,5", 2.5), ("ca 30 timer", 30),
    ("tjueåtte", 28), ("tjue åtte", 28), ("fem", 5), ("tolv", 12), ("førti timer i uka", 40),
    ("twenty-eight", 28), ("five years old", 5), ("thirty", 30),
    ("ثمانية وعشرون", 28), ("ثمانيه وعشرين", 28), ("خمسة", 5), ("ثلاثين ساعة في الأسبوع", 30), ("اثنا عشر", 12),
    ("ዕስራን ሸሞንተን", 28), ("ሓሙሽተ", 5), ("ሰላሳ ሰዓት", 30),
])
def test_numbers_in_words_and_digits(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["en del", "lots", "between 20 and 30", "many hours", ""])
def test_unreadable_numbers(text):
    assert parse_number(text) is UNREADABLE


def test_dont_know_a_number():
    assert parse_number("vet ikke") is None and parse_number("ما بعرف") is None


@pytest.mark.parametrize("text,facts", [
    ("Vi trenger hjelp 28 timer i uka, kan vi få BPA?", {"weekly_assistance_hours": 28}),
    ("She is 5 and needs about 30 hours a week", {"age": 5, "weekly_assistance_hours": 30}),
    ("Dottera mi er 6 år", {"age": 6}),
    ("ابني عمره ٧ سنوات ويحتاج ٣٥ ساعة", {"age": 7, "weekly_assistance_hours": 35}),
    ("ወደይ 4 ዓመቱ እዩ", {"age": 4}),
    ("Hva er BPA?", {}),
])
def test_facts_stated_in_passing(text, facts):
    assert facts_in_message(text) == facts
