"""From "I want relief care" to a delivered application and a receipt, through the trained model,
in each of the four languages (real Rasa with its form loop, real action server, REST)."""
from __future__ import annotations

import json
import re

import pytest

from tests.conversation.chat import ARABIC, ETHIOPIC, Conversation, delivered, has_script, payloads, text

pytestmark = pytest.mark.model
DETAILS = ["Amira Haddad", "400 00 000", "amira@example.no", "Øvre Bakklandet 3, 7013 Trondheim", "Åse Ødegård",
           "15.03.2019", "15031951264"]


@pytest.mark.parametrize("opening,need,yes,script", [
    ("Jeg vil søke om avlastning", "Hun trenger tilsyn hele natten, og vi er utslitte.", "ja", None),
    ("I want to apply for relief care", "She needs someone with her all night and we are exhausted.", "yes", None),
    ("أريد أن أقدم طلبا للحصول على avlastning", "ابنتي تحتاج إلى من يراقبها طوال الليل ونحن متعبون جدا.", "نعم", ARABIC),
    ("ንavlastning ከመልክት እደሊ", "ጓለይ ምሉእ ለይቲ ተኸታታሊ የድልያ እዩ፣ ደኺምና ኢና።", "እወ", ETHIOPIC),
])
def test_from_asking_to_a_delivered_application(rasa, opening, need, yes, script):
    chat = Conversation(rasa)
    consent = chat.say(opening)
    assert "/affirm" in payloads(consent), text(consent)
    if script:
        assert has_script(text(consent), *script)
    replies = chat.say("/affirm")
    for answer in [*DETAILS, need, "ingen", "ar", yes, yes]:
        assert "/stop" in payloads(replies), text(replies)  # still asking
        replies = chat.say(answer)
    review = text(replies)
    assert "Amira Haddad" in review and "150319 ***64" in review and "15031951264" not in review and need in review
    assert '/affirm{"step": "app_review"}' in [b["payload"] for r in replies for b in r.get("buttons") or []]
    receipt = chat.say('/affirm{"step": "app_review"}')  # only the review's own Send sends
    reference = re.search(r"VV-\d{4}-[A-Z0-9]{6}", text(receipt)).group(0)
    if script:
        assert has_script(text(receipt), *script)
    folder = delivered(reference)  # by the outbox worker, never inside the action
    document = json.loads((folder / f"{reference}.json").read_text())
    assert document["child"]["identity_number"] == "15031951264" and document["need_description"] == need
    assert (folder / f"{reference}.pdf").read_bytes().startswith(b"%PDF")


def test_a_question_in_between_pauses_and_the_application_continues(rasa):
    chat = Conversation(rasa)
    chat.say("Jeg vil søke om avlastning")
    chat.say("/affirm")
    chat.say("Amira Haddad")
    contact = chat.say("Når er telefonen åpen?")
    assert any((r.get("custom") or {}).get("type") == "contact" for r in contact)
    assert "/apply" in payloads(contact)
    resumed = chat.say("/apply")
    assert "/stop" in payloads(resumed) and "Amira" not in text(resumed)  # the next question, name kept


def test_an_invalid_identity_number_is_refused_in_the_chat(rasa):
    chat = Conversation(rasa)
    chat.say("I want to apply for relief care")
    chat.say("/affirm")
    for answer in DETAILS[:-1]:
        chat.say(answer)
    again = chat.say("15031951265")
    assert "control digits" in text(again) and "/stop" in payloads(again)


@pytest.mark.parametrize("name,email,birth_date,yes", [
    ("Per Stopp", "stian.stoppelberg@gmail.com", "2019-03-15", "ja"),
    ("Mary Cancel", "cancel.culture@example.com", "March 15, 2019", "yes"),
    ("أميرة حداد", "amira@example.no", "١٥ آذار ٢٠١٩", "نعم"),
    ("ሳባ ተስፋይ", "saba@example.no", "15 መጋቢት 2019", "እወ"),
])
def test_names_with_stop_words_other_date_formats_and_an_old_yes_do_not_derail_the_application(rasa, name, email, birth_date, yes):
    chat = Conversation(rasa)
    chat.say("I want to apply for relief care")
    replies = chat.say("/affirm")
    for answer in [name, "400 00 000", email, "Stoppestedvegen 4, 7013 Trondheim", "Åse Ødegård", birth_date, "15031951264",
                   "She needs someone with her all night.", "ingen", "ar", yes, yes]:
        assert "/stop" in payloads(replies), (answer, text(replies))  # still asking: nothing was read as "stop" or another topic
        replies = chat.say(answer)
    review = text(replies)
    assert name in review and email in review and "15.03.2019" in review and "Stoppestedvegen 4" in review
    again = chat.say('/affirm{"step": "app_interpreter_needed"}')  # an old "Yes" further up
    assert not re.search(r"VV-\d{4}", text(again)) and '/affirm{"step": "app_review"}' in [
        b["payload"] for r in again for b in r.get("buttons") or []]
    receipt = chat.say('/affirm{"step": "app_review"}')
    assert re.search(r"VV-\d{4}-[A-Z0-9]{6}", text(receipt)), text(receipt)
    assert any((r.get("custom") or {}).get("type") == "personal_data_removed" for r in receipt)
