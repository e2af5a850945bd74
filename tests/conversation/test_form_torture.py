"""The application form under a tired parent's hands (issue 13), through the trained model, in
each of nb, en, ar and ti: a name with a stop word, a wrong phone, a question about something
else in the middle, an impossible date then another format, a typo in the identity number,
"none" and "don't know", an old button tapped at the review, a change, and then sending. Nothing
derails, nothing is lost, and what reaches the office is what was said."""
from __future__ import annotations

import json
import re

import pytest

from tests.conversation.chat import Conversation, delivered, payloads, text

pytestmark = pytest.mark.model

#: language: (opening, a question about something else, "none", "don't know", "yes", a date of birth in words, the need)
WORDS = {
    "nb": ("Jeg vil søke om avlastning", "Hvordan kontakter jeg dere?", "ingen", "vet ikke", "ja", "15. mars 2019",
           "Hun trenger tilsyn hele natten, og vi er utslitte."),
    "en": ("I want to apply for relief care", "How can I contact you?", "none", "don't know", "yes", "March 15, 2019",
           "She needs someone with her all night and we are exhausted."),
    "ar": ("أريد أن أقدم طلبا للحصول على avlastning", "كيف يمكنني التواصل معكم؟", "لا يوجد", "لا أعرف", "نعم", "١٥ آذار ٢٠١٩",
           "ابنتي تحتاج إلى من يراقبها طوال الليل ونحن متعبون جدا."),
    "ti": ("ንavlastning ከመልክት እደሊ", "ብኸመይ ክረኽበኩም እኽእል?", "የለን", "ኣይፈልጥን", "እወ", "15 መጋቢት 2019",
           "ጓለይ ምሉእ ለይቲ ተኸታታሊ የድልያ እዩ፣ ደኺምና ኢና።"),
}


def asking(replies) -> bool:
    """The form is still asking (its questions carry "Cancel the application")."""
    return "/stop" in payloads(replies)


def buttons(replies) -> list[str]:
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


@pytest.mark.parametrize("language", WORDS)
def test_nothing_derails_the_application_and_what_was_said_is_sent(rasa, language):
    opening, elsewhere, none, dont_know, yes, birth_date, need = WORDS[language]
    chat = Conversation(rasa)
    chat.say(opening)
    replies = chat.say("/affirm")
    replies = chat.say("Per Stopp")                            # a stop word in a name
    assert asking(replies), text(replies)
    again = chat.say("40 00")                                  # too short for a phone number: the question again, with its help
    assert asking(again) and not any((r.get("custom") or {}).get("type") == "service_card" for r in again), text(again)
    chat.say("400 00 000")
    chat.say("cancel.culture@example.com")                     # a stop word in an e-mail address
    paused = chat.say(elsewhere)                               # a question about something else
    assert any((r.get("custom") or {}).get("type") == "contact" for r in paused), text(paused)
    assert "/apply" in buttons(paused)
    resumed = chat.say("/apply")                               # "Continue the application": where we were
    assert asking(resumed), text(resumed)
    chat.say("Stoppestedvegen 4, 7013 Trondheim")
    other = "nb" if language == "en" else "en"
    switched = chat.say("Can we speak Norwegian?" if other == "nb" else "Can we speak English?")  # a language switch mid-form
    assert "/apply" in buttons(switched), text(switched)
    resumed = chat.say("/apply")                               # continues at the same question, now in the other language
    assert asking(resumed) and ("barnets" in text(resumed) if other == "nb" else "child" in text(resumed)), text(resumed)
    chat.say("Åse Ødegård")
    wrong_date = chat.say("31.02.2019")                        # impossible: the date help, never a topic switch
    assert asking(wrong_date) and "15.03.2019" in text(wrong_date), text(wrong_date)
    chat.say(birth_date)                                       # the date in words, in the family's language
    typo = chat.say("15031951265")                             # one digit wrong
    assert asking(typo), text(typo)
    chat.say("15031951264")
    chat.say(need)
    chat.say(none)                                             # current services: none
    chat.say("ar")
    chat.say(yes)
    review = chat.say(dont_know)                               # coordinator: don't know
    assert "Per Stopp" in text(review) and "cancel.culture@example.com" in text(review), text(review)
    old = chat.say('/affirm{"step": "app_interpreter_needed"}')  # an old "Yes" further up
    assert not re.search(r"VV-\d{4}", text(old)) and '/affirm{"step": "app_review"}' in buttons(old)
    chat.say('/deny{"step": "app_review"}')                     # change something
    chat.say("5")                                              # the address (1 is the services)
    changed = chat.say("Storgata 1, 7011 Trondheim")
    assert "Storgata 1" in text(changed) and '/affirm{"step": "app_review"}' in buttons(changed), text(changed)
    receipt = chat.say('/affirm{"step": "app_review"}')
    reference = re.search(r"VV-\d{4}-[A-Z0-9]{6}", text(receipt)).group(0)
    document = json.loads((delivered(reference) / f"{reference}.json").read_text())
    assert document["guardian"]["name"] == "Per Stopp" and document["guardian"]["email"] == "cancel.culture@example.com"
    assert document["guardian"]["address"] == "Storgata 1, 7011 Trondheim"
    assert document["child"]["birth_date"] == "2019-03-15" and document["child"]["identity_number"] == "15031951264"
    assert document["current_services"] == "none" and document["coordinator_wanted"] == "dont_know"
    assert document["need_description"] == need


#: language: (the walk-through's opening, the age with a unit, something unreadable, a question about something else,
#:            "don't know", "yes")
CHECK_WORDS = {
    "nb": ("Hva kan vi få?", "12 år", "tja, det varierer", "Hvordan kontakter jeg dere?", "vet ikke", "ja"),
    "en": ("What can we get?", "12 years", "well it depends", "How can I contact you?", "don't know", "yes"),
    "ar": ("ماذا يمكن أن نحصل عليه؟", "١٢ سنة", "والله حسب", "كيف يمكنني التواصل معكم؟", "لا أعرف", "نعم"),
    "ti": ("እንታይ ክንረክብ ንኽእል?", "12 ዓመት", "ከም ኩነታቱ", "ብኸመይ ክረኽበኩም እኽእል?", "ኣይፈልጥን", "እወ"),
}


@pytest.mark.parametrize("language", CHECK_WORDS)
def test_nothing_derails_the_walk_through(rasa, language):
    """Ages with units, an unreadable answer, a question about something else and 'continue', an
    old button, "don't know": the walk-through ends with its overview, nothing lost."""
    opening, age, unreadable, elsewhere, dont_know, yes = CHECK_WORDS[language]
    chat = Conversation(rasa)
    first = chat.say(opening)
    assert "/stop" in payloads(first), text(first)
    replies = chat.say(unreadable)                              # not an age: asked again, with its help
    assert "/stop" in payloads(replies) and "7" in text(replies), text(replies)
    replies = chat.say(age)                                     # an age with its unit
    assert "/stop" in payloads(replies), text(replies)
    current = [b["payload"] for r in replies for b in r.get("buttons") or []]
    paused = chat.say(elsewhere)                                # a question about something else: answered, check paused
    assert any((r.get("custom") or {}).get("type") == "contact" for r in paused), text(paused)
    resume = next(b["payload"] for r in paused for b in r.get("buttons") or [] if b["payload"].startswith("/ask_what_we_can_get"))
    resumed = chat.say(resume)                                  # "Continue the check": the same question again
    assert [b["payload"] for r in resumed for b in r.get("buttons") or []][-len(current):] == current, text(resumed)
    old = chat.say('/affirm{"step": "check_age"}')              # a button of the first question
    assert "/stop" in payloads(old) and [b["payload"] for r in old for b in r.get("buttons") or []][-len(current):] == current
    for _ in range(6):                                          # the rest: "yes" or "don't know" until the overview
        if "/stop" not in payloads(replies := chat.say(yes if "/affirm" in payloads(old) else dont_know)):
            break
        old = replies
    assert any((r.get("custom") or {}).get("type") == "eligibility_overview" for r in replies), text(replies)
