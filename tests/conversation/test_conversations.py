"""Conversations through the trained model: real Rasa, real action server, REST channel.

The servers run on their own ports so a developer's `make run` is left alone. One extra Rasa is
pointed at an action server that does not exist, to show the user still gets a message.
"""
from __future__ import annotations

import re

import pytest

from tests.conversation.chat import (
    ARABIC,
    ETHIOPIC,
    MODEL,
    PHONE,
    Conversation,
    cards,
    has_script,
    payloads,
    post,
    text,
)
from veiviser_eval.servers import ROOT, assistant, free_port

pytestmark = pytest.mark.model


@pytest.mark.parametrize("message,service,check", [
    ("Kan vi få avlastning i helgene?", "relief_care", lambda t: "Avlastning" in t),
    ("Hva er et ledsagerbevis?", "companion_card", lambda t: "Ledsagerbevis" in t),
    ("Kva er omsorgsstønad?", "care_allowance", lambda t: "Omsorgsstønad" in t),
    ("What is a support contact?", "support_contact", lambda t: "Support contact" in t),
    ("Can my son get a personal assistant that we lead ourselves?", "bpa", lambda t: "assistance" in t),
    ("ما هي بطاقة المرافق؟", "companion_card", lambda t: has_script(t, *ARABIC)),
    ("هل يمكن أن نحصل على avlastning لابني؟", "relief_care", lambda t: has_script(t, *ARABIC)),
    ("ናይ ኣሰናያይ ካርድ እንታይ እዩ?", "companion_card", lambda t: has_script(t, *ETHIOPIC)),
    ("avlastning ክንረክብ ንኽእል ዶ?", "relief_care", lambda t: has_script(t, *ETHIOPIC)),
])
def test_service_questions_in_four_languages(rasa, message, service, check):
    replies = Conversation(rasa).say(message)
    assert service in cards(replies), replies
    assert check(text(replies))


def test_bpa_eligibility_mentions_the_hour_thresholds(rasa):
    replies = Conversation(rasa).say("Vi trenger hjelp 28 timer i uka, kan vi få BPA?")
    assert "bpa" in cards(replies)
    assert "25" in text(replies) and "32" in text(replies)


def test_follow_ups_use_the_service_discussed(rasa):
    chat = Conversation(rasa)
    assert "relief_care" in cards(chat.say("What is relief care?"))
    decides = chat.say("who decides?")
    assert cards(decides) == ["relief_care"] and "who decides" in text(decides)
    cost = chat.say("what does it cost?")
    assert cards(cost) == ["relief_care"] and "free of charge" in text(cost)
    apply = chat.say("how do I apply?")
    assert cards(apply) == ["relief_care"] and "HelsaMi" in text(apply)


@pytest.mark.parametrize("message,language_check", [
    ("Hvordan kontakter jeg dere?", lambda t: "Telefon" in t),
    ("When is your phone open?", lambda t: "Phone hours" in t),
    ("ما هو رقم هاتفكم؟", lambda t: has_script(t, *ARABIC)),
    ("ቁጽሪ ስልክኹም እንታይ እዩ?", lambda t: has_script(t, *ETHIOPIC)),
])
def test_contact_in_four_languages(rasa, message, language_check):
    replies = Conversation(rasa).say(message)
    contact = [r["custom"] for r in replies if (r.get("custom") or {}).get("type") == "contact"]
    assert contact and contact[0]["phone"] == "94837285" and isinstance(contact[0]["open_now"], bool)
    assert PHONE in text(replies) and language_check(text(replies))


@pytest.mark.parametrize("message", ["Hva blir været i morgen?", "Who won the football match yesterday?",
                                     "كيف أطبخ الأرز؟", "ናይ ሎሚ ኣየር ከመይ እዩ?"])
def test_out_of_scope_gets_no_card_and_the_phone(rasa, message):
    replies = Conversation(rasa).say(message)
    assert not cards(replies)
    assert PHONE in text(replies)


def test_short_message_keeps_the_conversation_language(rasa):
    chat = Conversation(rasa)
    chat.say("ما هي الرعاية المؤقتة؟")
    replies = chat.say("ok")
    assert has_script(text(replies), *ARABIC)


def test_language_picker_metadata_wins(rasa):
    replies = Conversation(rasa).say("Hva er avlastning?", language="en")
    assert "relief_care" in cards(replies)
    assert "Relief care" in text(replies)


def test_switching_language_on_request(rasa):
    chat = Conversation(rasa)
    chat.say("Hva er BPA?")
    chat.say("Can you answer in English please?")
    replies = chat.say("Hva er avlastning?")
    assert "Relief care" in text(replies)


# --- issue 11: the language rules through the whole assistant ------------------------------------------

@pytest.mark.parametrize("message,service,script", [
    ("BPA ንጓለይ ይከኣል ዶ?", "bpa", ETHIOPIC),
    ("بدي støttekontakt لابني، عنده توحد وبيحب الفوتبول", "support_contact", ARABIC),
])
def test_mixed_script_messages_are_answered_in_their_script(rasa, message, service, script):
    replies = Conversation(rasa).say(message)
    assert service in cards(replies), text(replies)
    assert has_script(text(replies), *script)


def test_english_with_norwegian_service_words_is_answered_in_english(rasa):
    replies = Conversation(rasa).say("can we get avlastning from kommune on weekends?")
    assert "relief_care" in cards(replies) and "Relief care" in text(replies)


def test_arabic_in_latin_letters_is_answered_in_english_with_arabic_offered(rasa):
    replies = Conversation(rasa).say("salam, fi musa3ada lel ahel? ibni 3ando autism")
    assert '/change_language{"language": "ar"}' in payloads(replies)
    assert not has_script(text(replies).replace("العربية", ""), *ARABIC)
    assert "Avlastning" not in text(replies) and "Hei" not in text(replies)


def test_a_country_named_in_a_sentence_does_not_switch_the_language(rasa):
    chat = Conversation(rasa)
    replies = chat.say("ለንደን ብዓዲ እንግሊዝ ትርከብ ዓባይ ከተማ እያ።")
    assert "From now on I will answer in English" not in text(replies)
    assert has_script(text(replies), *ETHIOPIC) and not cards(replies)


def test_a_described_need_without_the_name_is_understood_or_offered(rasa):
    replies = Conversation(rasa).say("Our son can't hold a spoon. Who helps with aids for eating?")
    offered = payloads(replies)
    assert "occupational_therapy" in cards(replies) or '/ask_service{"service": "occupational_therapy"}' in offered
    assert "only help" not in text(replies)


@pytest.mark.parametrize("message", ["", "   ", "😀😀😀", "<script>alert('hi')</script>", "?!?!", "a" * 10_000,
                                     "Hva er parkeringstillatelse for bil?"])
def test_bad_input_gets_a_polite_answer(rasa, message):
    replies = Conversation(rasa).say(message)
    assert replies and text(replies).strip()
    assert "<script>" not in text(replies)


def test_ten_thousand_character_message_with_a_question(rasa):
    replies = Conversation(rasa).say(("Vi er slitne og trenger avlastning. " * 400)[:10_000])
    assert text(replies).strip()
    assert "lang melding" in text(replies)


def test_action_server_down_user_sees_a_message(seeded_database, tmp_path_factory):
    """Rasa answers nothing when its action server is down; the web proxy turns that into a message."""
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from knowledge.config import load_settings
    from web.app import create_app

    with assistant(MODEL, tmp_path_factory.mktemp("down"), rasa_port=free_port(), actions_port=None,
                   action_url=f"http://127.0.0.1:{free_port()}/webhook") as url:
        assert post(url, "test-down-0001", "What is relief care?") == []

        async def through_proxy():
            settings = load_settings({**__import__("os").environ, "VEIVISER_RASA_URLS": url})
            client = TestClient(TestServer(create_app(settings)))
            await client.start_server()
            try:
                response = await client.post("/api/chat", json={"sender": "test-down-0002", "message": "What is relief care?"})
                return await response.json()
            finally:
                await client.close()

        replies = asyncio.run(through_proxy())
    assert "cannot answer right now" in replies[0]["text"] and PHONE in replies[0]["text"]


def test_rasa_data_is_valid():
    """`rasa data validate --fail-on-warnings`: domain, rules and NLU data agree, no conflicts."""
    import os
    import subprocess

    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "rasa"), "data", "validate", "--domain", "bot/domain.yml", "--data", "bot/data",
         "nlu_data", "--config", "bot/config.yml", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert not re.search(r"^.*UserWarning.*$", output, re.M), output[-3000:]
