"""The eligibility check's actions against hand-built trackers: each turn of the form, the result,
the walk-through, and how another topic pauses the check."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerService,
    ActionContact,
    ActionEligibilityResult,
    ActionSmallTalk,
    ActionWhatWeCanGet,
)
from actions.form_actions import ValidateEligibilityForm

FORM = {"name": "eligibility_form"}


def tracker(text: str, intent: str = "nlu_fallback", slots=None, entities=(), loop=None, history=(), confidence=0.9) -> Tracker:
    events = [{"event": "user", "text": t} for t in history]
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities), "metadata": {}}
    events.append({"event": "user", **latest})
    return Tracker("test-sender", slots or {}, latest, events, False, None, loop or {}, "action_listen")


async def run(action, track):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, track, {})
    return dispatcher.messages, events


def slot(events, name, default="unset"):
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else default


def payloads(message) -> list[str]:
    return [b["payload"] for b in message.get("buttons") or []]


BPA = [{"entity": "service", "value": "bpa", "start": 0, "end": 3}]
ASKING_AGE = {"check": "bpa", "language": "nb", "requested_slot": "age", "weekly_assistance_hours": 28}


async def test_can_we_get_bpa_answers_then_starts_the_form_with_the_hours_already_said():
    messages, events = await run(ActionAnswerService(), tracker("Vi trenger hjelp 28 timer i uka, kan vi få BPA?",
                                                                 "ask_eligibility", entities=BPA))
    assert messages[1]["custom"]["service"] == "bpa" and "25" in messages[0]["text"]
    assert slot(events, "weekly_assistance_hours") == 28 and slot(events, "check") == "bpa"
    assert {"event": "followup", "timestamp": None, "name": "eligibility_form"} in events


async def test_first_question_comes_with_an_intro_and_answer_buttons():
    messages, events = await run(ValidateEligibilityForm(), tracker(
        "Vi trenger hjelp 28 timer i uka, kan vi få BPA?", "ask_eligibility",
        slots={"check": "bpa", "language": "nb", "weekly_assistance_hours": 28}, loop=FORM))
    assert slot(events, "requested_slot") == "age"
    text = messages[0]["text"]
    assert "BPA" in text and "5" in text and "vet ikke" in text.lower()  # at most 5 questions; how to say "don't know"
    assert payloads(messages[0]) == ['/dont_know{"step": "check_age"}', '/stop{"step": "check_age"}']


@pytest.mark.parametrize("answer,age", [("5", 5), ("fem år", 5), ("٥", 5), ("8 måneder", 0.67)])
async def test_an_answer_is_kept_and_the_next_question_asked(answer, age):
    messages, events = await run(ValidateEligibilityForm(), tracker(answer, slots=ASKING_AGE, loop=FORM))
    assert slot(events, "age") == age
    assert slot(events, "requested_slot") == "need_duration_over_two_years"
    step = '{"step": "check_need_duration_over_two_years"}'
    assert payloads(messages[0]) == [f"/affirm{step}", f"/deny{step}", f"/dont_know{step}", f"/stop{step}"]


async def test_an_unusable_answer_is_asked_again_with_an_explanation():
    messages, events = await run(ValidateEligibilityForm(), tracker("det kommer an på dagen", slots=ASKING_AGE, loop=FORM))
    assert slot(events, "age") is None and slot(events, "requested_slot") == "age"
    assert "7" in messages[0]["text"] and messages[0]["text"].count("?") >= 1


async def test_an_impossible_number_is_explained():
    messages, events = await run(ValidateEligibilityForm(), tracker("150", slots=ASKING_AGE, loop=FORM))
    assert slot(events, "requested_slot") == "age" and "120" in messages[0]["text"]


@pytest.mark.parametrize("text,intent", [("vet ikke", "deny"), ("/dont_know", "dont_know"), ("ingen peiling", "dont_know")])
async def test_dont_know_becomes_an_assessment_not_a_dead_end(text, intent):
    _, events = await run(ValidateEligibilityForm(), tracker(text, intent, slots=ASKING_AGE, loop=FORM))
    assert slot(events, "age") == "dont_know"
    assert slot(events, "requested_slot") == "need_duration_over_two_years"


@pytest.mark.parametrize("text,intent", [("stopp", "affirm"), ("/stop", "stop"), ("jeg vil ikke svare på flere spørsmål", "stop")])
async def test_stop_ends_the_check(text, intent):
    messages, events = await run(ValidateEligibilityForm(), tracker(text, intent, slots=ASKING_AGE, loop=FORM))
    assert slot(events, "requested_slot") is None and slot(events, "check") is None
    assert "/ask_eligibility{\"service\": \"bpa\"}" in payloads(messages[0])


@pytest.mark.parametrize("text,intent,entities", [
    ("Hva er telefonnummeret deres?", "ask_contact", []),
    ("Hva er avlastning?", "ask_service", [{"entity": "service", "value": "relief_care"}]),
    ('/ask_service{"service": "relief_care"}', "ask_service", []),
])
async def test_another_topic_is_left_to_the_rules(text, intent, entities):
    messages, events = await run(ValidateEligibilityForm(), tracker(text, intent, slots=ASKING_AGE, entities=entities, loop=FORM))
    assert events == [] and messages == []  # rejected: Rasa's rules answer it


async def test_the_action_answering_another_topic_pauses_the_check_and_offers_to_continue():
    messages, events = await run(ActionContact(), tracker("Hva er telefonnummeret deres?", "ask_contact", slots=ASKING_AGE, loop=FORM))
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert slot(events, "check") is None and slot(events, "requested_slot") is None
    assert payloads(messages[0])[0] == '/ask_eligibility{"service": "bpa"}'


async def test_continuing_a_check_does_not_repeat_the_long_answer():
    slots = {"language": "nb", "age": 7, "weekly_assistance_hours": 28}
    messages, events = await run(ActionAnswerService(), tracker('/ask_eligibility{"service": "bpa"}', "ask_eligibility",
                                                                 slots=slots, entities=BPA))
    assert len(messages) == 1 and messages[0]["custom"]["service"] == "bpa"
    assert slot(events, "check") == "bpa"


async def test_when_nothing_is_missing_the_result_comes_at_once():
    slots = {"language": "en", "has_disability_or_long_term_illness": True}
    messages, events = await run(ActionAnswerService(), tracker("Can we get a companion card?", "ask_eligibility", slots=slots,
                                                                 entities=[{"entity": "service", "value": "companion_card"}]))
    card = messages[1]["custom"]
    assert card["service"] == "companion_card" and card["eligibility"]["outcome"] == "likely_eligible"
    assert not any(e.get("event") == "followup" for e in events)


@pytest.mark.parametrize("language,word", [("nb", "Kilde"), ("en", "Source"), ("ar", "المصدر"), ("ti", "ምንጪ")])
async def test_result_lists_reasons_with_sources_and_the_next_step_in_the_language(language, word):
    slots = {"check": "relief_care", "language": language, "has_disability_or_long_term_illness": True, "age": 7,
             "heavy_care_burden": True}
    messages, events = await run(ActionEligibilityResult(), tracker("/affirm", "affirm", slots=slots))
    assert messages[1]["custom"]["eligibility"]["outcome"] == "likely_eligible"
    assert messages[1]["custom"]["language"] == language
    assert word in messages[0]["text"] and "Temaplan" in messages[0]["text"]
    assert payloads(messages[0]) == ['/apply{"service": "relief_care"}', "/ask_contact", '/start_over{"service": "relief_care"}']
    assert slot(events, "check") is None and slot(events, "last_check") == "relief_care"


async def test_not_eligible_offers_the_walkthrough_and_the_phone():
    slots = {"check": "starthjelp", "language": "en", "age": 12}
    messages, _ = await run(ActionEligibilityResult(), tracker("12", slots=slots))
    assert messages[1]["custom"]["eligibility"]["outcome"] == "likely_not_eligible"
    assert "94 83 72 85" in messages[0]["text"] and payloads(messages[0])[0] == "/ask_what_we_can_get"


async def test_start_over_forgets_the_checks_answers_but_keeps_what_the_message_says():
    from actions.actions import ActionStartOver

    slots = {"language": "en", "last_check": "bpa", "age": 5, "weekly_assistance_hours": 28, "heavy_care_burden": True}
    _, events = await run(ActionStartOver(), tracker("Sorry, I answered wrong, he is actually 7", "start_over", slots=slots))
    assert slot(events, "weekly_assistance_hours") is None  # asked again
    assert slot(events, "age") == 7 and slot(events, "check") == "bpa"
    assert slot(events, "heavy_care_burden") == "unset"  # not a BPA question: kept


async def test_start_over_without_any_check_asks_which_service():
    from actions.actions import ActionStartOver

    messages, events = await run(ActionStartOver(), tracker("start again", "start_over", slots={"language": "en"}))
    assert payloads(messages[0])[0] == "/ask_what_we_can_get" and slot(events, "check") == "unset"


async def test_after_stop_the_result_action_says_nothing_more():
    messages, events = await run(ActionEligibilityResult(), tracker("stopp", slots={"language": "nb"}))
    assert messages == []


async def test_walkthrough_starts_with_its_short_question_set_and_ends_with_every_service():
    _, events = await run(ActionWhatWeCanGet(), tracker("Hva kan vi få?", "ask_what_we_can_get"))
    assert slot(events, "check") == "all"
    slots = {"check": "all", "language": "en", "age": 4, "has_disability_or_long_term_illness": True,
             "heavy_care_burden": True, "needs_long_term_coordinated_services": True}
    messages, _ = await run(ActionEligibilityResult(), tracker("/affirm", "affirm", slots=slots))
    overview = messages[1]["custom"]
    assert overview["type"] == "eligibility_overview" and len(overview["results"]) == 17
    order = ["likely_eligible", "needs_assessment", "need_more_info", "likely_not_eligible"]
    outcomes = [r["outcome"] for r in overview["results"]]
    assert outcomes == sorted(outcomes, key=order.index)
    assert "Starthjelp" in messages[0]["text"] and '/ask_eligibility{"service": "bpa"}' in payloads(messages[0])


@pytest.mark.parametrize("language,script", [("ar", (0x0600, 0x06FF)), ("ti", (0x1200, 0x139F))])
async def test_questions_in_arabic_and_tigrinya(language, script):
    slots = {"check": "relief_care", "language": language, "requested_slot": "has_disability_or_long_term_illness"}
    answer = {"ar": "نعم", "ti": "እወ"}[language]
    messages, events = await run(ValidateEligibilityForm(), tracker(answer, slots=slots, loop=FORM))
    assert slot(events, "has_disability_or_long_term_illness") is True
    assert any(script[0] <= ord(ch) <= script[1] for ch in messages[0]["text"])


async def test_stop_and_dont_know_outside_a_check_get_a_polite_answer():
    messages, _ = await run(ActionSmallTalk(), tracker("vet ikke", "dont_know", slots={"language": "nb"}))
    assert "/ask_what_we_can_get" in payloads(messages[0])
    messages, _ = await run(ActionSmallTalk(), tracker("stopp", "stop", slots={"language": "nb"}))
    assert messages[0]["text"]


def test_the_action_server_registers_every_custom_action_in_the_domain():
    """The server is started with `--actions actions`; an action missing there only shows up as silence."""
    from pathlib import Path

    import yaml
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "bot" / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["actions"]) <= set(executor.actions)


async def test_a_button_of_an_earlier_question_shows_the_current_question_again():
    tap = tracker('/affirm{"step": "check_has_disability_or_long_term_illness"}', "affirm", slots=ASKING_AGE, loop=FORM,
                  entities=[{"entity": "step", "value": "check_has_disability_or_long_term_illness"}])
    messages, events = await run(ValidateEligibilityForm(), tap)
    assert slot(events, "age") == "unset" and slot(events, "requested_slot") == "age"  # nothing answered
    assert "tidligere spørsmål" in messages[0]["text"] and "gammel" in messages[1]["text"]


#: (the fact asked, a wrong answer) for each kind of question in the check.
CHECK_STEPS = [("age", "det kommer an på"), ("has_disability_or_long_term_illness", "tja hmm"),
               ("weekly_assistance_hours", "mange"), ("need_duration_over_two_years", "hmm")]


@pytest.mark.parametrize("language", ["nb", "en", "ar", "ti"])
@pytest.mark.parametrize("fact,wrong", CHECK_STEPS)
async def test_every_check_question_survives_a_wrong_answer_an_old_button_another_question_and_stop(fact, wrong, language):
    """The torture test for the check's questions, in each language (the NLU's guesses as given)."""
    asking = {"check": "bpa", "language": language, "requested_slot": fact}
    messages, events = await run(ValidateEligibilityForm(), tracker(wrong, "out_of_scope", slots=asking, loop=FORM))
    assert slot(events, "requested_slot") == fact and slot(events, fact) is None and messages  # its own help
    old = '/affirm{"step": "check_some_other_fact"}'
    messages, events = await run(ValidateEligibilityForm(), tracker(old, "affirm", slots=asking, loop=FORM,
                                                                   entities=[{"entity": "step", "value": "check_some_other_fact"}]))
    assert slot(events, "requested_slot") == fact and slot(events, fact) == "unset" and len(messages) == 2
    _, events = await run(ValidateEligibilityForm(), tracker("Hvordan kontakter jeg dere?", "ask_contact", slots=asking, loop=FORM))
    assert events == []  # another topic: the rules answer it, the check waits
    _, events = await run(ValidateEligibilityForm(), tracker("stopp", "stop", slots=asking, loop=FORM))
    assert slot(events, "check") is None and slot(events, "requested_slot") is None
