"""The eligibility check through the trained model, in four languages: real Rasa (its form loop
and rules), real action server, REST channel."""
from __future__ import annotations

from datetime import date

import pytest

from tests.conversation.chat import ARABIC, ETHIOPIC, Conversation, cards, has_script, payloads, text

pytestmark = pytest.mark.model


def outcome(replies) -> str | None:
    for reply in replies:
        custom = reply.get("custom") or {}
        if custom.get("type") == "service_card" and "eligibility" in custom:
            return custom["eligibility"]["outcome"]
    return None


def asks_a_question(replies) -> bool:
    return "/stop" in payloads(replies)


def walk(chat: Conversation, opening: str, answers: list[str], **metadata):
    """Open the check, answer each question in turn; every turn but the last must ask again."""
    replies = chat.say(opening, **metadata)
    for answer in answers:
        assert asks_a_question(replies), text(replies)
        replies = chat.say(answer, **metadata)
    return replies


@pytest.mark.parametrize("opening,answers,expected,script", [
    ("Kan vi få avlastning?", ["ja", "7", "ja"], "likely_eligible", None),
    ("Can we get BPA? He needs help about 30 hours a week", ["eight", "yes", "no", "no"], "needs_assessment", None),
    ("هل يمكننا الحصول على بطاقة المرافق؟", ["نعم"], "likely_eligible", ARABIC),
    ("Starthjelp ክንረክብ ንኽእል ዶ?", ["ሰለስተ", "እወ"], "likely_eligible", ETHIOPIC),
])
def test_a_check_in_each_language(rasa, opening, answers, expected, script):
    chat = Conversation(rasa)
    result = walk(chat, opening, answers)
    assert outcome(result) == expected, text(result)
    if script:
        assert has_script(text(result), *script)
    assert "94 83 72 85" in text(result) or "/ask_contact" in payloads(result)


def test_the_hours_said_in_the_question_are_not_asked_again(rasa):
    chat = Conversation(rasa)
    first = chat.say("Vi trenger hjelp 28 timer i uka, kan vi få BPA?")
    assert "bpa" in cards(first) and "25" in text(first)
    asked = [text(first)]
    replies = first
    for answer in ["8", "ja", "nei", "nei"]:
        replies = chat.say(answer)
        asked.append(text(replies))
    assert outcome(replies) == "needs_assessment"
    assert not any("timer i uka" in turn and "/stop" in turn for turn in asked[1:])
    assert "28" in text(replies)  # the summary shows what was used


def test_unusable_answer_is_explained_then_dont_know_is_accepted(rasa):
    chat = Conversation(rasa)
    chat.say("Can we get relief care?")
    again = chat.say("hmm, it depends on the day")
    assert asks_a_question(again) and "don't know" in text(again).lower()
    after_dont_know = chat.say("not sure")
    assert asks_a_question(after_dont_know)  # moved on to the next question
    result = walk(chat, "12", ["yes"])
    assert outcome(result) == "needs_assessment"


def test_stop_ends_the_check(rasa):
    chat = Conversation(rasa)
    chat.say("Kan vi få BPA?")
    stopped = chat.say("stopp")
    assert not asks_a_question(stopped) and outcome(stopped) is None
    assert '/ask_eligibility{"service": "bpa"}' in payloads(stopped)
    after = chat.say("Hva er avlastning?")
    assert "relief_care" in cards(after) and not asks_a_question(after)


def test_changing_topic_pauses_and_the_check_can_continue_without_repeating(rasa):
    chat = Conversation(rasa)
    chat.say("Can we get relief care?")
    chat.say("yes")  # disability
    contact = chat.say("What is your phone number?")
    assert any((r.get("custom") or {}).get("type") == "contact" for r in contact)
    assert '/ask_eligibility{"service": "relief_care"}' in payloads(contact)
    resumed = chat.say('/ask_eligibility{"service": "relief_care"}')
    assert asks_a_question(resumed) and "disability" not in text(resumed).lower()
    result = walk(chat, "9", ["yes"])
    assert outcome(result) == "likely_eligible"


def test_facts_from_one_check_are_used_by_the_next(rasa):
    chat = Conversation(rasa)
    walk(chat, "Kan vi få avlastning?", ["ja", "7", "ja"])
    support = chat.say("Kan sønnen min få støttekontakt?")
    assert not asks_a_question(support) and outcome(support) == "needs_assessment"


@pytest.mark.parametrize("opening,answers,script", [
    ("What can we get?", ["4", "yes", "yes", "don't know"], None),
    ("Hva har vi rett på?", ["fire", "ja", "ja", "vet ikke"], None),
    ("ماذا يمكن أن نحصل عليه من مساعدة كعائلة؟", ["٤", "نعم", "نعم", "لا أعرف"], ARABIC),
])
def test_what_can_we_get_walks_through_every_service(rasa, opening, answers, script):
    chat = Conversation(rasa)
    result = walk(chat, opening, answers)
    overview = next(r["custom"] for r in result if (r.get("custom") or {}).get("type") == "eligibility_overview")
    assert len(overview["results"]) == 17 and overview["results"][0]["outcome"] == "likely_eligible"
    assert '/ask_eligibility{"service": "bpa"}' in payloads(result)  # BPA needs more answers: one tap away
    if script:
        assert has_script(text(result), *script)


def test_change_my_answers_asks_again(rasa):
    chat = Conversation(rasa)
    first = walk(chat, "Kan vi få avlastning?", ["ja", "7", "nei"])
    assert outcome(first) == "likely_not_eligible"
    assert '/start_over{"service": "relief_care"}' in payloads(first)
    again = walk(chat, '/start_over{"service": "relief_care"}', ["ja", "7", "ja"])
    assert outcome(again) == "likely_eligible"


@pytest.mark.parametrize("opening,unusable,stop,script", [
    ("هل يمكننا الحصول على BPA؟", "ممكن", "توقف", ARABIC),
    ("BPA ክንረክብ ንኽእል ዶ?", "ክሳብ ክንደይ", "ኣቋርጽ", ETHIOPIC),
])
def test_reask_and_stop_in_arabic_and_tigrinya(rasa, opening, unusable, stop, script):
    chat = Conversation(rasa)
    chat.say(opening)
    again = chat.say(unusable)
    assert asks_a_question(again) and has_script(text(again), *script)
    stopped = chat.say(stop)
    assert not asks_a_question(stopped) and has_script(text(stopped), *script)


# --- issue 11: what the family already said in their story is not asked again --------------------

def _asked_facts(replies, language: str) -> set[str]:
    """Which of the facts age / disability the replies ask about (by the check's own question texts)."""
    from knowledge.eligibility.wording import question_text
    from knowledge.i18n import translator

    tr = translator(language)
    shown = text(replies)
    return {fact for fact in ("age", "has_disability_or_long_term_illness") if question_text(tr, fact, date.today()) in shown}


@pytest.mark.parametrize("story,language,yes,script", [
    ("Sønnen vår på 9 år har autisme og sover nesten aldri om natta. Kan vi få avlastning?", "nb", "ja", None),
    ("Our daughter is 7 and has Down syndrome. We are exhausted. Can we get relief care?", "en", "yes", None),
    ("ابني عمره ٩ سنوات وعنده توحد ونحن متعبون جدا. هل يمكن أن نحصل على رعاية مؤقتة؟", "ar", "نعم", ARABIC),
    ("ወደይ ዕድሚኡ 9 እዩ፡ ኦቲዝም ኣለዎ። ናይ ዕረፍቲ ሓገዝ (avlastning) ክንረክብ ንኽእል ዶ?", "ti", "እወ", ETHIOPIC),
])
def test_a_story_with_a_diagnosis_and_an_age_leads_to_a_check_that_asks_neither(rasa, story, language, yes, script):
    chat = Conversation(rasa)
    first = chat.say(story)
    assert "relief_care" in cards(first), text(first)
    assert asks_a_question(first) and not _asked_facts(first, language), text(first)  # only the care burden is left
    result = chat.say(yes)
    assert outcome(result) == "likely_eligible", text(result)
    if script:
        assert has_script(text(result), *script)


def test_an_off_topic_question_during_the_check_is_not_taken_as_the_age(rasa):
    chat = Conversation(rasa)
    chat.say("Kan vi få avlastning?")
    chat.say("ja")  # disability; the age comes next
    other = chat.say("Hva koster avlastning for en 12-åring?")
    assert "relief_care" in cards(other)  # answered as a question about relief care
    resumed = chat.say('/ask_eligibility{"service": "relief_care"}')
    assert asks_a_question(resumed)
    result = walk(chat, "12 år", ["ja"])
    assert outcome(result) == "likely_eligible", text(result)
