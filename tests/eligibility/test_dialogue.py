"""The check as a conversation: only the questions still needed, answers read in four languages."""
from __future__ import annotations

from datetime import date

import pytest

from knowledge.eligibility.dialogue import (
    DONT_KNOW,
    WALKTHROUGH,
    WALKTHROUGH_FACTS,
    facts_from_slots,
    facts_in_messages,
    next_fact,
    questions_at_most,
    read_answer,
    to_slot,
)

DAY = date(2026, 11, 23)


def ask_all(service: str, answers: dict) -> list[str]:
    """Answer each question from ``answers`` until the engine needs nothing more; the questions asked."""
    facts, asked = {}, []
    while (fact := next_fact(service, facts, DAY)) is not None:
        assert fact not in asked, f"{fact} asked twice"
        asked.append(fact)
        facts[fact] = answers[fact]
    return asked


def test_an_answer_that_settles_the_outcome_ends_the_questions():
    assert ask_all("bpa", {"age": 8, "need_duration_over_two_years": False}) == ["age", "need_duration_over_two_years"]


def test_only_what_is_needed_is_asked():
    asked = ask_all("bpa", {"age": 8, "need_duration_over_two_years": True, "weekly_assistance_hours": 35,
                            "needs_more_than_one_helper_at_once": False, "needs_night_assistance": False})
    assert "continuous_need" not in asked  # only matters with two helpers or night-time help


def test_a_night_need_brings_the_continuity_question():
    asked = ask_all("bpa", {"age": 8, "need_duration_over_two_years": True, "weekly_assistance_hours": 35,
                            "needs_more_than_one_helper_at_once": False, "needs_night_assistance": True, "continuous_need": True})
    assert asked[-1] == "continuous_need"


def test_facts_already_known_are_not_asked():
    assert next_fact("relief_care", {"has_disability_or_long_term_illness": True, "age": 7}, DAY) == "heavy_care_burden"


def test_dont_know_is_an_answer_not_a_dead_end():
    assert ask_all("companion_card", {"has_disability_or_long_term_illness": None}) == ["has_disability_or_long_term_illness"]


def test_walkthrough_asks_its_short_set_once():
    assert [next_fact(WALKTHROUGH, {}, DAY)] == [WALKTHROUGH_FACTS[0]]
    assert next_fact(WALKTHROUGH, {name: None for name in WALKTHROUGH_FACTS}, DAY) is None
    assert questions_at_most(WALKTHROUGH, {"age": 4}) == len(WALKTHROUGH_FACTS) - 1


def test_upper_bound_of_questions():
    assert questions_at_most("bpa", {}) == 6
    assert questions_at_most("bpa", {"weekly_assistance_hours": 28}) == 5
    assert questions_at_most("coordinator", {}) == 1


def test_slots_keep_dont_know_apart_from_not_asked():
    assert to_slot(None) == DONT_KNOW and to_slot(False) is False
    assert facts_from_slots({"age": 5, "heavy_care_burden": DONT_KNOW, "needs_night_assistance": None,
                             "continuous_need": False, "language": "nb"}) == {"age": 5, "heavy_care_burden": None,
                                                                               "continuous_need": False}


@pytest.mark.parametrize("fact,text,value", [
    ("heavy_care_burden", "ja", True), ("heavy_care_burden", "Nei.", False), ("heavy_care_burden", "vet ikke", None),
    ("heavy_care_burden", "نعم", True), ("heavy_care_burden", "ኣይፋል", False), ("heavy_care_burden", "no clue", None),
    ("age", "5", 5), ("age", "fem år", 5), ("age", "٧", 7), ("age", "8 måneder", 0.67), ("age", "nyfødt", 0),
    ("age", "ሓሙሽተ", 5), ("weekly_assistance_hours", "tjueåtte timer", 28), ("weekly_assistance_hours", "٣٠ ساعة", 30),
    ("number_of_services", "3", 3), ("number_of_services", "don't know", None),
])
def test_typed_answers(fact, text, value):
    answer = read_answer(fact, text)
    assert answer.problem is None and answer.value == value


@pytest.mark.parametrize("fact,text,problem", [
    ("heavy_care_burden", "hmm, depends on the day", "unreadable"),
    ("age", "old enough", "unreadable"),
    ("age", "-1", "out_of_range"),
    ("age", "150", "out_of_range"),
    ("weekly_assistance_hours", "500", "out_of_range"),
    ("number_of_services", "2,5", "not_whole"),
])
def test_answers_that_are_asked_again(fact, text, problem):
    assert read_answer(fact, text).problem == problem


@pytest.mark.parametrize("fact,intent,value", [
    ("needs_night_assistance", "affirm", True), ("needs_night_assistance", "deny", False),
    ("needs_night_assistance", "dont_know", None), ("age", "dont_know", None),
])
def test_tapped_buttons(fact, intent, value):
    answer = read_answer(fact, "/" + intent, payload_intent=intent)
    assert answer.problem is None and answer.value is value


def test_a_yes_button_is_no_answer_to_a_number_question():
    assert read_answer("age", "/affirm", payload_intent="affirm").problem == "unreadable"


def test_facts_said_in_passing_latest_wins_and_impossible_values_are_ignored():
    assert facts_in_messages(["Vi trenger 20 timer i uka", "nei, det er nok 28 timer"]) == {"weekly_assistance_hours": 28}
    assert facts_in_messages(["She needs 400 hours a week"]) == {}


@pytest.mark.parametrize("fact,text", [
    ("age", "Hva koster avlastning for en 12-åring?"),
    ("age", "Is there a course for parents of a 3 year old?"),
    ("weekly_assistance_hours", "كم ساعة في الأسبوع يحتاج الطفل للحصول على BPA؟"),
])
def test_a_question_about_something_else_is_not_an_answer(fact, text):
    assert read_answer(fact, text).problem == "unreadable"


@pytest.mark.parametrize("fact,text,value", [("age", "12 år", 12), ("age", "12?", 12), ("age", "han er 12", 12),
                                             ("age", "ዕድሚኡ 5", 5), ("age", "١٢ سنة", 12)])
def test_short_answers_with_a_number_are_read(fact, text, value):
    assert read_answer(fact, text).value == value
