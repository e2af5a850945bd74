"""The application form's actions against hand-built trackers: consent, each question, re-asking,
review with a change and with a cancel, submission, delivery and the receipt."""
from __future__ import annotations

import json
import time

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswerService, ActionContact, ActionSubmitApplication
from actions.form_actions import ValidateApplicationForm
from knowledge.applications.models import Application, Consent
from knowledge.db import default_engine, new_session
from tests.conversation.chat import delivered

FORM = {"name": "application_form"}
ANSWERS = [("/affirm", "affirm"), ("Amira Haddad", "nlu_fallback"), ("400 00 000", "out_of_scope"), ("ingen", "deny"),
           ("Øvre Bakklandet 3, 7013 Trondheim", "nlu_fallback"), ("Åse Ødegård", "nlu_fallback"),
           ("15.03.2019", "nlu_fallback"), ("15031951264", "nlu_fallback"),
           ("ابنتي تحتاج إلى من يراقبها في الليل ونحن متعبون جدا", "nlu_fallback"), ("fysioterapi", "ask_service"),
           ("ar", "nlu_fallback"), ("/affirm", "affirm"), ("/dont_know", "dont_know")]


#: The review's own "Send the application" button, as the widget sends it.
SEND = ('/affirm{"step": "app_review"}', "affirm", [{"entity": "step", "value": "app_review"}])
#: Its "Change something" button.
CHANGE = ('/deny{"step": "app_review"}', "deny", [{"entity": "step", "value": "app_review"}])


def tracker(text: str, intent: str = "nlu_fallback", slots=None, entities=(), loop=None, sender="app-test") -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities), "metadata": {}}
    return Tracker(sender, dict(slots or {}), latest, [{"event": "user", **latest}], False, None, loop or {}, "action_listen")


async def run(action, track):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, track, {})
    return dispatcher.messages, events


class Family:
    """Walks the form turn by turn, keeping the slots as Rasa would."""

    def __init__(self, sender: str, language: str = "nb"):
        self.sender, self.slots = sender, {"language": language, "app_services": ["relief_care"]}
        self.last: list[dict] = []

    async def say(self, text: str, intent: str = "nlu_fallback", entities=()):
        self.last, events = await run(ValidateApplicationForm(), tracker(text, intent, self.slots, entities, FORM, self.sender))
        self.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        return self.last

    @property
    def asking(self):
        return self.slots.get("requested_slot")

    async def fill(self, answers=ANSWERS):
        await self.say("Jeg vil søke om avlastning", "apply")
        for text, intent in answers:
            await self.say(text, intent)


def count(model) -> int:
    with new_session(default_engine()) as session:
        return session.query(model).count()


async def test_asking_to_apply_answers_and_starts_the_form():
    messages, events = await run(ActionAnswerService(), tracker("Jeg vil søke om avlastning", "apply",
                                                                 entities=[{"entity": "service", "value": "relief_care"}]))
    assert messages[1]["custom"]["service"] == "relief_care" and "HelsaMi" in messages[0]["text"]
    assert {"event": "followup", "timestamp": None, "name": "application_form"} in events


async def test_consent_comes_first_and_says_what_why_who_and_how_long():
    family = Family("app-consent-text")
    [message] = await family.say("Jeg vil søke om avlastning", "apply")
    assert family.asking == "app_consent"
    text = message["text"]
    assert "Helse- og velferdskontor 0–18 år" in text and "180" in text and "fødselsnummer" in text.lower()
    assert [b["payload"] for b in message["buttons"]] == ['/affirm{"step": "app_consent"}', '/deny{"step": "app_consent"}']


async def test_refused_consent_stores_nothing_but_the_refusal():
    applications, consents = count(Application), count(Consent)
    family = Family("app-refuses")
    await family.say("Jeg vil søke om avlastning", "apply")
    [message] = await family.say("/deny", "deny")
    assert "HelsaMi" in message["text"] and family.asking is None and family.slots["app_services"] is None
    assert count(Application) == applications and count(Consent) == consents + 1
    with new_session(default_engine()) as session:
        refusal = session.query(Consent).order_by(Consent.id.desc()).first()
        assert refusal.granted is False and refusal.text_version and refusal.conversation != "app-refuses"


async def test_a_wrong_identity_number_is_asked_again_with_the_reason_and_never_kept():
    family = Family("app-fnr")
    await family.fill(ANSWERS[:7])
    assert family.asking == "app_child_identity_number"
    [message] = await family.say("15031951265")
    assert family.asking == "app_child_identity_number" and family.slots["app_child_identity_number"] is None
    assert "kontrollsifrene" in message["text"] or "control digits" in message["text"]
    [message] = await family.say("15031951264")
    assert family.slots["app_child_identity_number"] == "15031951264"


async def test_a_number_that_does_not_match_the_birth_date_can_be_fixed_by_giving_the_right_date():
    family = Family("app-mismatch")
    await family.fill(ANSWERS[:6] + [("16.03.2019", "nlu_fallback")])
    [message] = await family.say("15031951264")
    assert "16.03.2019" in message["text"] and family.asking == "app_child_identity_number"
    await family.say("15.03.2019")  # the date was wrong, not the number
    assert family.slots["app_child_birth_date"] == "2019-03-15"
    await family.say("15031951264")
    assert family.slots["app_child_identity_number"] == "15031951264"


async def test_review_with_a_change_then_send_delivers_and_clears_personal_data(tmp_path):
    family = Family("app-full")
    await family.fill()
    assert family.asking == "app_review"
    review = family.last[0]["text"]
    assert "Amira Haddad" in review and "150319 ***64" in review and "ابنتي" in review
    assert "15031951264" not in review  # masked on the screen and in the browser's storage
    await family.say(*CHANGE)
    assert family.asking == "app_change"
    await family.say("4")  # e-mail
    assert family.asking == "app_guardian_email"
    await family.say("amira@example.no")
    assert family.asking == "app_review" and "amira@example.no" in family.last[0]["text"]
    await family.say(*SEND)
    assert family.asking is None and family.slots["app_review"] == "confirmed"

    before = count(Application)
    messages, events = await run(ActionSubmitApplication(), tracker("/affirm", "affirm", family.slots, sender=family.sender))
    assert count(Application) == before + 1
    text = messages[0]["text"]
    assert "VV-" in text and "94 83 72 85" in text
    assert messages[1]["custom"]["type"] == "personal_data_removed"
    reference = text[text.index("VV-"):text.index("VV-") + 14]
    folder = delivered(reference)  # the outbox worker's round
    document = json.loads((folder / f"{reference}.json").read_text())
    assert document["guardian"]["email"] == "amira@example.no" and document["need_language"] == "ar"
    assert document["services"] == [{"key": "relief_care", "title_nb": "Avlastning"}]
    cleared = {e["name"] for e in events if e.get("event") == "slot" and e["value"] is None}
    assert {"app_guardian_name", "app_child_identity_number", "app_need_description", "app_consent"} <= cleared


async def test_cancel_at_the_review_sends_nothing():
    family = Family("app-cancel")
    await family.fill()
    before = count(Application)
    message, removed = await family.say("/stop", "stop")
    assert family.asking is None and family.slots["app_guardian_name"] is None
    assert removed["custom"]["type"] == "personal_data_removed"  # the widget clears the screen too
    messages, _ = await run(ActionSubmitApplication(), tracker("/stop", "stop", family.slots, sender=family.sender))
    assert messages == [] and count(Application) == before


async def test_another_topic_pauses_the_form_and_keeps_the_answers():
    family = Family("app-pause")
    await family.fill(ANSWERS[:3])
    messages, events = await run(ValidateApplicationForm(), tracker("Hva er telefonnummeret til kontoret?", "ask_contact",
                                                                    family.slots, loop=FORM))
    assert events == []  # left to the rules
    messages, events = await run(ActionContact(), tracker("Hva er telefonnummeret til kontoret?", "ask_contact", family.slots, loop=FORM))
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert messages[0]["buttons"][0]["payload"] == "/apply"
    assert not any(e.get("name") == "app_guardian_name" for e in events)  # kept


@pytest.mark.parametrize("language,script", [("ar", (0x0600, 0x06FF)), ("ti", (0x1200, 0x139F))])
async def test_questions_in_arabic_and_tigrinya(language, script):
    family = Family(f"app-{language}", language)
    [consent] = await family.say("/apply", "apply")
    assert any(script[0] <= ord(ch) <= script[1] for ch in consent["text"])
    [question] = await family.say("/affirm", "affirm")
    assert family.asking == "app_guardian_name" and any(script[0] <= ord(ch) <= script[1] for ch in question["text"])


async def test_a_hung_mail_server_never_holds_the_submission_and_the_receipt_says_it_is_on_its_way(monkeypatch):
    import socket

    with socket.socket() as hung:  # a mail server that takes the connection and never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        monkeypatch.setenv("VEIVISER_DELIVERY", "smtp")
        monkeypatch.setenv("VEIVISER_SMTP_PORT", str(hung.getsockname()[1]))
        family = Family("app-smtp-hung", "en")
        await family.fill()
        await family.say(*SEND)
        before = count(Application)
        started = time.monotonic()
        messages, _ = await run(ActionSubmitApplication(), tracker("/affirm", "affirm", family.slots, sender=family.sender))
        assert time.monotonic() - started < 2  # delivery is the outbox worker's, never the action's
    assert count(Application) == before + 1
    assert "på vei til" in messages[0]["text"] and "VV-" in messages[0]["text"]
    with new_session(default_engine()) as session:
        waiting = session.query(Application).order_by(Application.id.desc()).first()
        assert waiting.status == "submitted" and waiting.outbox[0].status == "pending" and waiting.outbox[0].attempts == 0


#: (language, answers before the field, the answer, the slot): answers that contain a stop word,
#: sent as the intent classifier read them in real use ("stop", confidence 0.9).
STOP_WORD_ANSWERS = [
    ("nb", 1, "Per Stopp", "app_guardian_name"),
    ("nb", 3, "stian.stoppelberg@gmail.com", "app_guardian_email"),
    ("nb", 4, "Stoppestedvegen 4, 7013 Trondheim", "app_guardian_address"),
    ("en", 3, "cancel.culture@example.com", "app_guardian_email"),
    ("en", 1, "Mary Cancel", "app_guardian_name"),
    ("ar", 4, "شارع الوقف 12، 7013 Trondheim", "app_guardian_address"),
    ("ar", 3, "ilgha.amira@example.com", "app_guardian_email"),
    ("ti", 4, "ደውሃን ጎደና 5, 7013 Trondheim", "app_guardian_address"),
    ("ti", 1, "ኣቑመ ተስፋይ", "app_guardian_name"),
]


@pytest.mark.parametrize("language,before,text,slot", STOP_WORD_ANSWERS)
async def test_a_name_address_or_email_with_a_stop_word_is_an_answer_not_a_stop(language, before, text, slot):
    family = Family(f"app-stopword-{language}-{before}", language)
    await family.fill(ANSWERS[:before])
    assert family.asking == slot
    await family.say(text, "stop")
    assert family.slots[slot] and family.asking != slot and family.slots.get("app_guardian_name")
    assert family.slots["app_consent"] is True  # nothing was cleared


@pytest.mark.parametrize("language,text", [("nb", "jeg vil avbryte søknaden"), ("en", "I want to stop this"),
                                           ("ar", "أريد إلغاء الطلب"), ("ti", "ኣቋርጽ በጃኻ")])
async def test_a_request_to_stop_still_stops(language, text):
    family = Family(f"app-realstop-{language}", language)
    await family.fill(ANSWERS[:4])
    await family.say(text, "stop")
    assert family.asking is None and family.slots.get("app_guardian_name") is None


async def test_an_iso_date_is_an_answer_and_an_impossible_date_gets_the_fields_own_help():
    family = Family("app-dates")
    await family.fill(ANSWERS[:6])
    assert family.asking == "app_child_birth_date"
    [message] = await family.say("31.02.2018", "ask_contact")  # the classifier's guess must not switch topic
    assert family.asking == "app_child_birth_date" and "15.03.2019" in message["text"]
    await family.say("2018-03-14", "ask_service")
    assert family.slots["app_child_birth_date"] == "2018-03-14" and family.asking == "app_child_identity_number"


@pytest.mark.parametrize("tap", [('/affirm{"step": "app_interpreter_needed"}', "affirm", [{"entity": "step", "value": "app_interpreter_needed"}]),
                                 ("/affirm", "affirm", [])])
async def test_an_old_yes_tapped_at_the_review_does_not_send(tap):
    family = Family(f"app-oldyes-{len(tap[2])}")
    await family.fill()
    assert family.asking == "app_review"
    messages = await family.say(*tap)
    assert family.asking == "app_review" and family.slots.get("app_review") != "confirmed"
    assert "earlier question" in messages[0]["text"] or "tidligere spørsmål" in messages[0]["text"]
    assert [b["payload"] for b in messages[1]["buttons"]][0] == SEND[0]  # the review again, with its own Send
    await family.say(*SEND)
    assert family.slots["app_review"] == "confirmed"


async def test_an_old_button_of_another_question_shows_the_current_question_again():
    family = Family("app-oldbutton")
    await family.fill(ANSWERS[:12])
    assert family.asking == "app_coordinator_wanted"
    await family.say('/deny{"step": "app_interpreter_needed"}', "deny", [{"entity": "step", "value": "app_interpreter_needed"}])
    assert family.asking == "app_coordinator_wanted" and family.slots["app_interpreter_needed"] is True


async def test_a_clear_question_is_not_taken_as_an_address():
    family = Family("app-question-address")
    await family.fill(ANSWERS[:4])
    assert family.asking == "app_guardian_address"
    messages, events = await run(ValidateApplicationForm(), tracker("Hvordan kontakter jeg dere?", "ask_contact", family.slots, loop=FORM))
    assert events == []  # left to the rules, which answer and offer to continue
    await family.say("Storgata 1, 7011 Trondheim", "ask_contact")  # an address is an answer whatever the classifier says
    assert family.slots["app_guardian_address"] == "Storgata 1, 7011 Trondheim"


#: A wrong answer for each question (its own help must come back, never another topic).
WRONG = {"guardian_name": "12345", "guardian_phone": "40 00", "guardian_email": "amira@", "guardian_address": "x",
         "child_name": "<b>", "child_birth_date": "31.02.2019", "child_identity_number": "15031951265",
         "need_description": "hjelp", "current_services": "x", "preferred_language": "?", "interpreter_needed": "kanskje",
         "coordinator_wanted": "tja hmm"}
#: Where each question is reached: the number of ANSWERS before it.
BEFORE = {field: index + 1 for index, field in enumerate(WRONG)}
OLD_TAP = ('/affirm{"step": "app_consent"}', "affirm", [{"entity": "step", "value": "app_consent"}])


@pytest.mark.parametrize("language", ["nb", "en", "ar", "ti"])
@pytest.mark.parametrize("field", list(WRONG))
async def test_every_question_survives_a_wrong_answer_an_old_button_another_question_and_stop(field, language):
    """The torture test for every step of the application, in each language (the NLU's guesses as given)."""
    family = Family(f"app-step-{field}-{language}", language)
    await family.fill(ANSWERS[:BEFORE[field]])
    slot = f"app_{field}"
    assert family.asking == slot
    wrong = await family.say(WRONG[field], "out_of_scope")          # its own help, the same question
    assert family.asking == slot and family.slots.get(slot) is None and "/stop" in wrong[0]["buttons"][-1]["payload"]
    stale = await family.say(*OLD_TAP)                               # a button of an earlier step: the same question again
    assert family.asking == slot and len(stale) == 2
    _, events = await run(ValidateApplicationForm(), tracker("Hva er telefonnummeret deres?", "ask_contact",
                                                            family.slots, loop=FORM, sender=family.sender))
    assert events == []                                               # another topic: the rules answer, the form waits
    await family.say("stopp", "stop")
    assert family.asking is None and family.slots.get("app_guardian_name") is None  # cancelled: nothing kept


async def test_a_submission_the_database_cannot_take_says_not_sent_and_sends_on_the_next_try(monkeypatch):
    """A locked or read-only database: the family is told plainly it was NOT sent, keeps every
    answer, and "Try again" opens the review, whose Send then stores it once."""
    from sqlalchemy.exc import OperationalError

    from knowledge.applications import submit as submitting

    real = submitting.submit_application

    def locked(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    family = Family("app-db-locked", "en")
    await family.fill()
    await family.say(*SEND)
    before = count(Application)
    monkeypatch.setattr(submitting, "submit_application", locked)
    messages, events = await run(ActionSubmitApplication(), tracker("/affirm", "affirm", family.slots, sender=family.sender))
    assert "IKKE" in messages[0]["text"] and "94 83 72 85" in messages[0]["text"] and count(Application) == before
    assert [b["payload"] for b in messages[0]["buttons"]][0] == "/apply"
    family.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    assert family.slots["app_guardian_name"] == "Amira Haddad" and family.slots["app_review"] is None
    monkeypatch.setattr(submitting, "submit_application", real)
    _, events = await run(ActionAnswerService(), tracker("/apply", "apply", family.slots, sender=family.sender))
    family.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    review = await family.say("/apply", "apply")  # the form starts again: straight to the review
    assert family.asking == "app_review" and "Amira Haddad" in review[0]["text"]
    await family.say(*SEND)
    messages, _ = await run(ActionSubmitApplication(), tracker("/affirm", "affirm", family.slots, sender=family.sender))
    assert "VV-" in messages[0]["text"] and count(Application) == before + 1


async def test_a_forged_tracker_cannot_use_another_conversations_consent():
    """Consent is bound to the conversation it was given in (issue 14: a forged tracker POSTed to
    the action server reused another family's consent)."""
    family = Family("app-consent-owner", "en")
    await family.fill()
    await family.say(*SEND)
    before = count(Application)
    messages, _ = await run(ActionSubmitApplication(), tracker("/affirm", "affirm", family.slots, sender="someone-else-0001"))
    assert count(Application) == before and "VV-" not in messages[0]["text"]
