"""Actions against hand-built trackers: language, follow-ups, bad input, a database that is down."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import actions as module
from actions.actions import (
    ActionAnswerService,
    ActionChangeLanguage,
    ActionContact,
    ActionFallback,
    ActionServicesOverview,
    ActionSmallTalk,
)


def tracker(text: str, intent: str, entities=(), slots=None, history=(), metadata=None) -> Tracker:
    events = [{"event": "user", "text": t} for t in history]
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities),
              "metadata": metadata or {}}
    events.append({"event": "user", **latest})
    return Tracker("test-sender", slots or {}, latest, events, False, None, {}, "action_listen")


def service(value: str) -> dict:
    return {"entity": "service", "value": value, "start": 0, "end": 1}


async def run(action, track) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, track, {})
    return dispatcher.messages, events


def slot(events, name):
    values = [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else None


@pytest.mark.parametrize("text,language", [
    ("Hva er avlastning?", "nb"), ("What is relief care?", "en"),
    ("ما هي الرعاية المؤقتة؟", "ar"), ("ናይ ዕረፍቲ ሓገዝ እንታይ እዩ?", "ti"),
])
async def test_service_answer_in_the_language_of_the_message(text, language):
    messages, events = await run(ActionAnswerService(), tracker(text, "ask_service", [service("relief_care")]))
    card = next(m["custom"] for m in messages if m.get("custom"))
    assert card["service"] == "relief_care" and card["language"] == language
    assert slot(events, "language") == language and slot(events, "service") == "relief_care"


@pytest.mark.parametrize("intent,field_word", [("ask_who_decides", "Helse- og velferdskontor"), ("ask_cost", "gratis")])
async def test_follow_up_uses_the_service_already_discussed(intent, field_word):
    messages, _ = await run(ActionAnswerService(), tracker(
        "hvem bestemmer det?", intent, slots={"service": "relief_care", "language": "nb"}))
    assert messages[1]["custom"]["service"] == "relief_care"
    assert field_word.lower() in messages[0]["text"].lower() or "vederlagsfritt" in messages[0]["text"]


async def test_follow_up_without_any_service_asks_which():
    messages, _ = await run(ActionAnswerService(), tracker("what does it cost?", "ask_cost"))
    assert not any(m.get("custom") for m in messages)
    assert len(messages[0]["buttons"]) == 17


async def test_unknown_service_lists_what_we_know_and_the_phone():
    messages, _ = await run(ActionAnswerService(), tracker("What is the parking permit service?", "ask_service",
                                                            [service("parking_permit")]))
    assert not any(m.get("custom") for m in messages)
    assert "94 83 72 85" in messages[0]["text"] and "Relief care" in messages[0]["text"]


async def test_two_services_answer_the_first_and_offer_the_second():
    messages, _ = await run(ActionAnswerService(), tracker("avlastning eller BPA?", "ask_service",
                                                            [service("relief_care"), service("bpa")], slots={"language": "nb"}))
    assert messages[1]["custom"]["service"] == "relief_care"
    assert messages[0]["buttons"][0]["payload"] == '/ask_service{"service": "bpa"}'


async def test_short_message_keeps_the_language():
    messages, events = await run(ActionSmallTalk(), tracker("ok", "affirm", slots={"language": "ar"}))
    assert slot(events, "language") == "ar"
    assert any("\u0600" <= ch <= "\u06ff" for ch in messages[0]["text"])


async def test_metadata_language_is_an_explicit_choice():
    _, events = await run(ActionContact(), tracker("ما هو BPA؟", "ask_contact", metadata={"language": "en"}))
    assert slot(events, "language") == "en" and slot(events, "language_choice") == "en"


async def test_change_language_on_request():
    messages, events = await run(ActionChangeLanguage(), tracker(
        "can you answer in Arabic", "change_language", [{"entity": "language", "value": "ar"}], slots={"language": "en"}))
    assert slot(events, "language") == "ar" and slot(events, "language_choice") == "ar"
    assert any("\u0600" <= ch <= "\u06ff" for ch in messages[0]["text"])


async def test_unsupported_language_offers_our_four():
    messages, _ = await run(ActionFallback(), tracker("Wie beantrage ich eine Begleitkarte für meinen Sohn?", "nlu_fallback"))
    assert len(messages[0]["buttons"]) == 4


@pytest.mark.parametrize("text,expected", [
    ("", "tom"), ("   ", "tom"), ("😀🙏", "bare lese tekst"),
])
async def test_empty_and_emoji_only_messages(text, expected):
    messages, _ = await run(ActionSmallTalk(), tracker(text, "greet", slots={"language": "nb"}))
    assert expected in messages[0]["text"] and "94 83 72 85" in messages[0]["text"]


async def test_html_is_never_echoed():
    text = "<script>alert('x')</script><b>hei</b>"
    messages, _ = await run(ActionFallback(), tracker(text, "nlu_fallback", slots={"language": "nb"}))
    assert "<script>" not in messages[0]["text"]


async def test_long_message_gets_a_note_and_an_answer():
    text = "Vi trenger avlastning for sønnen vår. " * 300
    messages, _ = await run(ActionAnswerService(), tracker(text, "ask_service", [service("relief_care")]))
    assert messages[0]["text"].startswith("Det var en lang melding")
    assert messages[1]["custom"]["service"] == "relief_care"


async def test_database_down_still_gives_the_phone(monkeypatch):
    def broken():
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    monkeypatch.setattr(module, "new_session", broken)
    messages, events = await run(ActionServicesOverview(), tracker("Which services are there for families?", "ask_services_overview"))
    assert "94 83 72 85" in messages[0]["text"]
    assert slot(events, "language") == "en"


async def test_database_down_after_a_first_answer_still_answers_from_the_content_last_read(monkeypatch):
    from knowledge import revision

    question = tracker("Hva er avlastning?", "ask_service", [service("relief_care")], slots={"language": "nb"})
    answered, _ = await run(ActionAnswerService(), question)

    def down(_engine):
        raise OperationalError("SELECT value FROM knowledge_revision", {}, Exception("database is down"))

    monkeypatch.setattr(revision, "current_of", down)
    again, _ = await run(ActionAnswerService(), question)
    assert again == answered and again[-1]["custom"]["service"] == "relief_care"


async def test_button_payload_is_not_language_evidence():
    _, events = await run(ActionAnswerService(), tracker('/apply{"service": "bpa"}', "apply", [service("bpa")],
                                                         slots={"language": "ti"}))
    assert slot(events, "language") == "ti"


async def test_unseeded_database_still_gives_the_phone(monkeypatch, tmp_path):
    from knowledge.db import make_engine, migrate
    from knowledge.db import new_session as real_new_session

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(str(engine.url))
    monkeypatch.setattr(module, "new_session", lambda: real_new_session(engine))
    messages, _ = await run(ActionContact(), tracker("Hvordan kontakter jeg dere?", "ask_contact"))
    assert "94 83 72 85" in messages[0]["text"] and "slått opp" in messages[0]["text"]


async def test_a_programming_error_never_reaches_rasa_and_is_not_disguised_as_a_database_failure(monkeypatch, caplog):
    """rasa-sdk would answer Rasa with the whole tracker (names, identity number), which Rasa logs."""
    def broken(*args, **kwargs):
        raise KeyError("Amira Haddad")

    monkeypatch.setattr(module.replies, "contact_answer", broken)
    messages, events = await run(ActionContact(), tracker("How can I contact you?", "ask_contact"))
    assert "Veiviser cannot answer right now" in messages[0]["text"] and "94 83 72 85" in messages[0]["text"]
    assert "look that up" not in messages[0]["text"]
    assert "KeyError" in caplog.text and "Amira" not in caplog.text


async def test_fallback_records_the_question_without_personal_data_or_sender():
    from knowledge import unanswered
    from knowledge.db import default_engine, new_session

    await run(ActionFallback(), tracker("Jeg heter Kari og lurer på parkeringskort, ring 40000000", "nlu_fallback",
                                        slots={"language": "nb"}))
    with new_session(default_engine()) as session:
        latest = session.query(unanswered.UnansweredQuestion).order_by(unanswered.UnansweredQuestion.id.desc()).first()
        assert "parkeringskort" in latest.text and "Kari" not in latest.text and "40000000" not in latest.text
        assert not hasattr(latest, "sender")


async def test_a_question_answered_on_a_guess_is_recorded_for_the_editors_but_form_answers_never_are(session):
    from knowledge.unanswered import UnansweredQuestion

    def recorded(fragment: str) -> list[UnansweredQuestion]:
        session.expire_all()
        return [q for q in session.query(UnansweredQuestion).all() if fragment in q.text]

    unsure = tracker("Kan Kari på 7 få noe hjelp med svømming om kvelden?", "ask_service", [service("support_contact")])
    unsure.latest_message["intent"]["confidence"] = 0.41
    await run(ActionAnswerService(), unsure)
    [question] = recorded("svømming om kvelden")
    assert question.reason == "low_confidence" and "Kari" not in question.text  # short numbers (ages) are kept on purpose
    sure = tracker("Hva koster støttekontakt for svømming?", "ask_cost", [service("support_contact")])
    await run(ActionAnswerService(), sure)
    assert recorded("koster støttekontakt for svømming") == []
    in_form = tracker("svømmehallen i sentrum", "ask_service", [service("support_contact")],
                      slots={"requested_slot": "applicant_address"})
    in_form.active_loop = {"name": "application_form"}
    in_form.latest_message["intent"]["confidence"] = 0.3
    await run(ActionAnswerService(), in_form)
    assert recorded("svømmehallen") == []


# --- issue 11: ask instead of refusing; a language named in a sentence is not a request -------------

def reading(*services: tuple[str, float], none: float = 0.2) -> dict:
    return {"services": [{"service": key, "confidence": c} for key, c in services], "none": none}


def tracker_with_reading(text: str, intent: str, service_reading: dict, confidence: float = 0.3, entities=(),
                         slots=None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities),
              "intent_ranking": [{"name": intent, "confidence": confidence}], "service_reading": service_reading,
              "metadata": {}}
    return Tracker("test-sender", slots or {}, latest, [{"event": "user", **latest}], False, None, {}, "action_listen")


async def test_an_unsure_message_about_a_child_gets_the_likeliest_services_not_a_refusal():
    track = tracker_with_reading("Who can help with our daughter's oxygen and medicines at home?", "nlu_fallback",
                                 reading(("home_health_care", 0.3), ("caregiver_training", 0.2), ("bpa", 0.12), none=0.3))
    messages, _ = await run(ActionFallback(), track)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:3] == ['/ask_service{"service": "home_health_care"}', '/ask_service{"service": "caregiver_training"}',
                            '/ask_service{"service": "bpa"}']
    assert "/ask_what_we_can_get" in payloads and "/human_handoff" in payloads
    assert "94 83 72 85" in messages[0]["text"] and "only help" not in messages[0]["text"]
    card = messages[1]["custom"]
    assert card == {"type": "suggestions", "language": "en", "services": ["home_health_care", "caregiver_training", "bpa"]}
    assert not any((m.get("custom") or {}).get("type") == "service_card" for m in messages)


async def test_a_far_behind_service_is_not_offered():
    track = tracker_with_reading("Vi er så slitne, sønnen vår sover aldri. Hva finnes?", "nlu_fallback",
                                 reading(("relief_care", 0.4), ("home_health_care", 0.15), ("bpa", 0.05)), confidence=0.3)
    messages, _ = await run(ActionFallback(), track)
    assert [b["payload"] for b in messages[0]["buttons"]][:2] == ['/ask_service{"service": "relief_care"}',
                                                                   '/ask_service{"service": "home_health_care"}']
    assert messages[1]["custom"]["services"] == ["relief_care", "home_health_care"]


async def test_a_message_clearly_about_something_else_is_still_refused():
    track = tracker_with_reading("What's the capital of France?", "out_of_scope",
                                 reading(("interpreter", 0.05), ("starthjelp", 0.04), none=0.85), confidence=0.92)
    messages, _ = await run(ActionFallback(), track)
    assert "only help" in messages[0]["text"] and not any(m.get("custom") for m in messages)


async def test_a_guess_from_a_description_with_a_close_rival_is_offered_not_asserted():
    guessed = {"entity": "service", "value": "coordinator", "start": 0, "end": 10, "confidence_entity": 0.46,
               "additional_info": {"method": "classifier"}}
    track = tracker_with_reading("We organise school, therapy and respite ourselves and want one person to hold the threads.",
                                 "ask_service", reading(("coordinator", 0.46), ("individual_plan", 0.4)),
                                 confidence=0.8, entities=[guessed])
    messages, _ = await run(ActionAnswerService(), track)
    assert messages[1]["custom"] == {"type": "suggestions", "language": "en", "services": ["coordinator", "individual_plan"]}


async def test_a_confident_guess_is_answered():
    guessed = {"entity": "service", "value": "relief_care", "start": 0, "end": 10, "confidence_entity": 0.8,
               "additional_info": {"method": "classifier"}}
    track = tracker_with_reading("We have not had a weekend off in three years, can someone take the twins?",
                                 "ask_service", reading(("relief_care", 0.8), ("bpa", 0.1)), confidence=0.8, entities=[guessed])
    messages, _ = await run(ActionAnswerService(), track)
    assert messages[1]["custom"]["type"] == "service_card" and messages[1]["custom"]["service"] == "relief_care"


async def test_a_country_named_in_a_tigrinya_sentence_does_not_switch_the_language():
    text = "ለንደን ብዓዲ እንግሊዝ ትርከብ ዓባይ ከተማ እያ።"
    messages, events = await run(ActionChangeLanguage(), tracker_with_reading(
        text, "change_language", reading(none=0.9), confidence=0.7, entities=[{"entity": "language", "value": "en"}]))
    assert slot(events, "language") == "ti" and slot(events, "language_choice") is None
    assert any("\u1200" <= ch <= "\u137f" for ch in messages[0]["text"])


async def test_a_language_named_beside_a_service_answers_the_service():
    messages, events = await run(ActionChangeLanguage(), tracker(
        "I need an interpreter in Tigrinya for the meeting with the school", "change_language",
        [{"entity": "language", "value": "ti"}, service("interpreter")]))
    assert slot(events, "language_choice") is None
    assert messages[1]["custom"]["service"] == "interpreter" and messages[1]["custom"]["language"] == "en"


async def test_arabic_in_latin_letters_is_answered_in_english_and_arabic_is_offered():
    messages, events = await run(ActionContact(), tracker("salam, kif a7ki ma3kom bel telefon?", "ask_contact"))
    assert slot(events, "language") == "en"
    assert {"title": "العربية", "payload": '/change_language{"language": "ar"}'} in messages[0]["buttons"]
    assert "I can also answer in Arabic." in messages[0]["text"]


async def test_a_message_answered_with_suggestions_is_listed_for_the_editors():
    from knowledge import unanswered
    from knowledge.db import default_engine, new_session

    track = tracker_with_reading("Min datter kan ikke holde skjeen, hvem hjelper med spisehjelpemidler?", "nlu_fallback",
                                 reading(("occupational_therapy", 0.35), ("physiotherapy", 0.3)))
    await run(ActionFallback(), track)
    with new_session(default_engine()) as session:
        latest = session.query(unanswered.UnansweredQuestion).order_by(unanswered.UnansweredQuestion.id.desc()).first()
        assert latest.reason == "clarified" and "kan ikke holde" in latest.text  # words it does not know are gone (redaction)


async def test_someone_to_go_swimming_with_her_is_a_need_not_a_request_for_a_person():
    from actions.actions import ActionHumanHandoff

    track = tracker_with_reading("Datteren min vil gjerne svømme men trenger noen å gå sammen med", "human_handoff",
                                 reading(("support_contact", 0.42), ("bpa", 0.09), none=0.1), confidence=0.84)
    messages, _ = await run(ActionHumanHandoff(), track)
    assert messages[1]["custom"]["type"] == "suggestions" and messages[1]["custom"]["services"] == ["support_contact"]
    assert "/human_handoff" in [b["payload"] for b in messages[0]["buttons"]]  # the person is still one tap away


async def test_a_plain_request_for_a_person_is_answered_as_one():
    from actions.actions import ActionHumanHandoff

    track = tracker_with_reading("Kan jeg snakke med et menneske?", "human_handoff", reading(("coordinator", 0.05), none=0.9),
                                 confidence=0.95)
    messages, _ = await run(ActionHumanHandoff(), track)
    assert not any((m.get("custom") or {}).get("type") == "suggestions" for m in messages)


async def test_a_follow_up_question_with_no_service_discussed_offers_the_described_ones():
    track = tracker_with_reading("ጓለይ ርሳስ ክትሕዝ ኣይትኽእልን። መን እዩ ዝሕግዛ?", "ask_who_decides",
                                 reading(("occupational_therapy", 0.45), ("physiotherapy", 0.2), none=0.1), confidence=0.5)
    messages, _ = await run(ActionAnswerService(), track)
    assert messages[1]["custom"]["services"] == ["occupational_therapy", "physiotherapy"]


async def test_a_long_message_taken_for_a_greeting_without_confidence_is_not_greeted():
    track = tracker_with_reading("ጸብሒ ደርሆ ከመይ ጌረ ይሰርሖ ንበዓል ዝኸውን?", "greet", reading(("caregiver_training", 0.01), none=0.94),
                                 confidence=0.45)
    messages, _ = await run(ActionSmallTalk(), track)
    assert "94 83 72 85" in messages[0]["text"] and "Veiviser" not in messages[0]["text"]
    hello, _ = await run(ActionSmallTalk(), tracker("Hei!", "greet", slots={"language": "nb"}))
    assert "Veiviser" in hello[0]["text"]


async def test_a_need_taken_for_a_question_about_all_services_gets_the_likeliest_ones():
    track = tracker_with_reading("Our daughter needs help with her medicines and with getting dressed. Who helps with that?",
                                 "ask_services_overview", reading(("home_health_care", 0.41), ("occupational_therapy", 0.26),
                                                                  none=0.08), confidence=0.57)
    messages, _ = await run(ActionServicesOverview(), track)
    assert messages[1]["custom"]["services"] == ["home_health_care", "occupational_therapy"]
