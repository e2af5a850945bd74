"""When to offer the likeliest services instead of refusing, and the word lists behind it."""
from __future__ import annotations

import pytest

from knowledge.clarify import (
    Reading,
    about_family,
    candidates_for_a_described_need,
    candidates_instead_of_guess,
    candidates_instead_of_refusal,
    offered,
)
from knowledge.terms import TermMatcher


@pytest.mark.parametrize("text", ["who can help with our daughter's oxygen at home?", "min mor er syk", "ابني عنده توحد",
                                  "بدنا مساعدة لعائلتنا", "ወደይ ሓገዝ የድልዮ", "vi er helt utslitte"])
def test_messages_about_a_child_a_family_or_a_need(text):
    assert about_family(text)


@pytest.mark.parametrize("text", ["What is the capital of France?", "Hva blir været i morgen?", "كيف حال الطقس اليوم؟",
                                  "who won the match"])
def test_messages_about_something_else(text):
    assert not about_family(text)


def test_arabic_words_match_with_clitics_and_suffixes_but_not_inside_other_words():
    matcher = TermMatcher(["معاق", "اعاقت"])
    assert matcher.found_in("ابني معاق") and matcher.found_in("والمعاقين") and matcher.found_in("بسبب إعاقته")
    assert not matcher.found_in("المعاقبة في المدرسة")


def test_latin_short_words_whole_long_words_as_a_start():
    matcher = TermMatcher(["cp", "autis"])
    assert matcher.found_in("han har CP") and matcher.found_in("autistic boy") and not matcher.found_in("cpu fan")


def test_offered_services_are_the_likeliest_and_those_not_far_behind():
    reading = Reading((("relief_care", 0.4), ("bpa", 0.15), ("interpreter", 0.05)), 0.2)
    assert offered(reading) == ["relief_care", "bpa"]


def test_refusal_only_without_a_family_context_and_with_a_sure_out_of_scope():
    weak = Reading((("interpreter", 0.05), ("starthjelp", 0.04)), 0.85)
    assert candidates_instead_of_refusal("What's the capital of France?", weak, "out_of_scope", 0.95) == []
    assert candidates_instead_of_refusal("Min sønn har autisme, hva finnes?", weak, "out_of_scope", 0.95) == [
        "interpreter", "starthjelp"]


def test_a_close_rival_turns_a_guess_into_a_question():
    assert candidates_instead_of_guess(Reading((("coordinator", 0.46), ("individual_plan", 0.4)), 0.1), "coordinator", 0.46) == [
        "coordinator", "individual_plan"]
    assert candidates_instead_of_guess(Reading((("coordinator", 0.8), ("individual_plan", 0.1)), 0.1), "coordinator", 0.8) == []


def test_a_described_need_needs_a_clear_reading():
    assert candidates_for_a_described_need(Reading((("support_contact", 0.42),), 0.1)) == ["support_contact"]
    assert candidates_for_a_described_need(Reading((("support_contact", 0.42),), 0.3)) == []


def test_a_described_need_about_a_child_may_leave_more_doubt():
    reading = Reading((("occupational_therapy", 0.45), ("support_contact", 0.04)), 0.32)
    assert candidates_for_a_described_need(reading, "Who helps my daughter hold a pencil and button her clothes?") == [
        "occupational_therapy"]
    assert candidates_for_a_described_need(reading, "Who decides that?") == []
    assert candidates_for_a_described_need(Reading((("occupational_therapy", 0.45),), 0.6), "Who helps my daughter?") == []


def test_a_signpost_named_in_a_story_about_a_service_is_offered_beside_it():
    from knowledge.clarify import candidates_beside_a_signpost

    story = Reading((("physiotherapy", 0.38), ("home_health_care", 0.16), ("health_station", 0.13)), 0.01)
    assert candidates_beside_a_signpost(story, "health_station") == ["physiotherapy", "health_station"]
    asked = Reading((("gp", 0.7), ("physiotherapy", 0.1)), 0.05)
    assert candidates_beside_a_signpost(asked, "gp") == []
