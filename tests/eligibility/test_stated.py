"""Facts a family states in their own story, in every language (issue 11, item 4): a named
diagnosis or a described disability, ages in many forms, weekly hours; spans of time are not ages."""
from __future__ import annotations

import pytest

from knowledge.eligibility.stated import facts_in_message, names_a_condition

DISABILITY = "has_disability_or_long_term_illness"


@pytest.mark.parametrize("text", [
    "Sønnen min har autisme", "dottera vår har Downs syndrom", "jenta har cerebral parese", "han har CP og epilepsi",
    "our son has ADHD", "she is in a wheelchair", "he is autistic", "a boy with Down syndrome",
    "ابني عنده توحد", "بنتي بالتوحد", "ابني عنده شلل دماغي", "بنتي عندها صرع",
    "ወደይ ኦቲዝም ኣለዎ", "ጓለይ ብዳውን ሲንድሮም", "ወደይ ብኦቲዝም ይሳቐ",
])
def test_a_named_diagnosis_or_described_disability_counts(text):
    assert facts_in_message(text)[DISABILITY] is True


@pytest.mark.parametrize("text", ["Hva er BPA?", "What is the capital of France?", "كيف حال الطقس اليوم؟",
                                  "Hva blir været i morgen?", "cupcake recipe", "we add sugar"])
def test_no_condition_in_ordinary_questions(text):
    assert not names_a_condition(text)
    assert DISABILITY not in facts_in_message(text)


@pytest.mark.parametrize("text,age", [
    ("Hun er 12 år", 12), ("12 år", 12), ("min sønn på 9 år", 9), ("jenta vår på 4 har CP", 4),
    ("Han er 7-åring med CP", 7), ("sju år gammel", 7),
    ("our 7-year-old has autism", 7), ("a seven-year-old with Down syndrome", 7), ("she is 5", 5), ("aged 9", 9),
    ("١٢ سنة", 12), ("بنتي ١٢ سنة وعندها توحد", 12), ("ابني عمره ٧ سنوات", 7),
    ("ዕድሚኡ 5 እዩ", 5), ("ወደይ 4 ዓመቱ እዩ", 4),
])
def test_ages_in_many_forms(text, age):
    assert facts_in_message(text)["age"] == age


@pytest.mark.parametrize("text", [
    "Vi har ikke hatt fri sammen på 3 år", "vi flyttet hit for 2 år siden", "we have not been away for three years",
    "منذ سنتين ونحن ننتظر", "in 2 years he starts school",
])
def test_spans_of_time_are_not_ages(text):
    assert "age" not in facts_in_message(text)


@pytest.mark.parametrize("text,hours", [
    ("Vi trenger hjelp 28 timer i uka", 28), ("she needs about 30 hours a week", 30),
    ("she needs 8 hours a day", 56), ("ويحتاج ٣٥ ساعة في الأسبوع", 35),
])
def test_weekly_hours(text, hours):
    assert facts_in_message(text)["weekly_assistance_hours"] == hours


def test_a_whole_story():
    story = ("Tvillingene våre på 6 år har alvorlig epilepsi. Vi har ikke vært borte sammen på tre år. "
             "Finnes det noen som kan ta dem en helg?")
    assert facts_in_message(story) == {"age": 6, DISABILITY: True}
