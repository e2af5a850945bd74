"""A person when the assistant is not enough, against hand-built trackers: asked for, the family
gets a place in the live chat's queue (office open, a case worker available) or the call-back form;
the form end to end in Tigrinya and in Norwegian; and the offers the assistant makes itself."""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from actions.actions import ActionContact, ActionFallback, ActionHumanHandoff, ActionSubmitCallback
from actions.form_actions import ValidateCallbackForm
from knowledge.applications.models import Application, Consent
from knowledge.db import default_engine, new_session
from knowledge.handoff import live_chat, offer
from knowledge.handoff.live_chat import LiveChat
from knowledge.i18n import translator
from knowledge.staff.accounts import create_user
from tests.actions.test_application_actions import run, tracker
from tests.conversation.chat import delivered

FORM = {"name": "callback_form"}
#: A Tuesday at 10:00 in Oslo: inside the seeded phone hours (weekdays 09:30–11:00), not a holiday.
OPEN = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
#: The same Tuesday at 20:00 in Oslo: closed.
CLOSED = datetime(2026, 12, 1, 19, 0, tzinfo=timezone.utc)


def step_button(intent: str, step: str):
    return f'/{intent}{{"step": "{step}"}}', intent, [{"entity": "step", "value": step}]


@pytest.fixture
def clock(monkeypatch):
    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(offer, "now", lambda: moment)
    return set_to


def a_case_worker_available(at: datetime) -> int:
    with new_session(default_engine()) as session:
        user = create_user(session, f"cw-{secrets.token_hex(4)}", secrets.token_urlsafe(16), "case_worker")
        live_chat.set_available(session, user.id, True, at)
        session.commit()
        return user.id


class Family:
    """Walks the call-back form turn by turn, keeping the slots as Rasa would."""

    def __init__(self, sender: str, language: str):
        self.sender, self.slots = sender, {"language": language, "language_choice": language}
        self.last: list[dict] = []

    def keep(self, events) -> None:
        self.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})

    async def ask_for_a_person(self, words: str):
        self.last, events = await run(ActionHumanHandoff(), tracker(words, "human_handoff", self.slots, sender=self.sender))
        self.keep(events)
        return self.last, events

    async def say(self, text: str, intent: str = "nlu_fallback", entities=()):
        self.last, events = await run(ValidateCallbackForm(), tracker(text, intent, self.slots, entities, FORM, self.sender))
        self.keep(events)
        return self.last

    async def tap(self, intent: str, step: str):
        payload, intent, entities = step_button(intent, step)
        return await self.say(payload, intent, entities)

    @property
    def asking(self):
        return self.slots.get("requested_slot")

    async def submit(self):
        payload, intent, entities = step_button("affirm", "cb_review")  # Rasa runs it after the review's "Send"
        self.last, events = await run(ActionSubmitCallback(), tracker(payload, intent, self.slots, entities, sender=self.sender))
        self.keep(events)
        return self.last


async def test_asked_outside_opening_hours_the_family_gets_the_phone_and_the_call_back_form(clock, empty_queue):
    clock(CLOSED)
    family = Family("cb-closed-en", "en")
    messages, events = await family.ask_for_a_person("Can I talk to a real person please?")
    card = next(m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "contact")
    assert card["open_now"] is False and "closed now, so no case worker can chat" in " ".join(card["lead"])
    assert {"event": "followup", "timestamp": None, "name": "callback_form"} in events
    first = await family.say("")  # the form's first turn: consent
    assert family.asking == "cb_consent" and "call you back" in first[0]["text"] and "interpreter" in first[0]["text"]


async def test_in_opening_hours_with_a_case_worker_available_the_family_is_put_in_the_queue(clock, empty_queue):
    clock(OPEN)
    a_case_worker_available(OPEN)
    family = Family(f"cb-open-{secrets.token_hex(3)}", "ar")
    messages, events = await family.ask_for_a_person("أريد التحدث مع موظف")
    card = messages[-1]["custom"]
    assert card["type"] == "live_chat" and card["status"] == "waiting" and card["position"] == 1 and card["expected_minutes"] == 8
    assert "1" in messages[0]["text"] and not any(e.get("event") == "followup" for e in events)
    again, _ = await family.ask_for_a_person("هل أنا في الطابور؟")  # asking again: the same place, not a second chat
    assert again[-1]["custom"]["chat_id"] == card["chat_id"]
    with new_session(default_engine()) as session:
        chat = session.get(LiveChat, card["chat_id"])
        assert chat.language == "ar" and family.sender not in session.execute(text("SELECT sender FROM live_chats")).scalar_one()


async def test_with_the_office_open_but_nobody_free_the_phone_is_open_and_a_call_back_offered(clock, empty_queue):
    clock(OPEN)
    messages, events = await Family("cb-nobody", "nb").ask_for_a_person("Kan jeg snakke med noen?")
    card = next(m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "contact")
    assert card["open_now"] is True and "Ingen saksbehandler er ledig" in " ".join(card["lead"])
    assert {"event": "followup", "timestamp": None, "name": "callback_form"} in events


async def test_a_tigrinya_call_back_request_from_consent_to_the_coordinating_units_inbox(clock, empty_queue):
    clock(CLOSED)
    family = Family(f"cb-ti-{secrets.token_hex(3)}", "ti")
    await family.ask_for_a_person("ምስ ሰብ ክዛረብ እደሊ")
    await family.say("")
    assert family.asking == "cb_consent"
    await family.tap("affirm", "cb_consent")
    assert family.asking == "cb_name"
    await family.say("ለተብርሃን ተስፋይ")
    assert family.asking == "cb_phone"
    again = await family.say("1234 5")  # a phone number typed wrong: the same question with its help
    assert family.asking == "cb_phone" and family.slots["cb_phone"] is None and "400 00 000" in again[0]["text"]
    await family.say("+47 400 00 000")
    assert family.asking == "cb_time"
    await family.say("ድሕሪ ሰዓት 12")  # when it suits them, as written
    assert family.asking == "cb_interpreter"
    assert "ትግርኛ" in family.last[0]["text"]  # "an interpreter in Tigrinya?", preset from the conversation
    await family.tap("affirm", "cb_interpreter")
    assert family.asking == "cb_topic"
    await family.say("ብዛዕባ ዕረፍቲ ንወላዲ ክንዛረብ ንደሊ፡ ጓልና ለይቲ ኣይትድቅስን እያ።")
    assert family.asking == "cb_review"
    review = next(m["custom"] for m in family.last if m.get("custom"))
    assert [f["value"] for f in review["fields"]][:2] == ["ለተብርሃን ተስፋይ", "+47 40000000"]
    await family.tap("affirm", "cb_review")
    assert family.asking is None and family.slots["cb_review"] == "confirmed"

    receipt = await family.submit()
    words = receipt[0]["text"]
    assert "VV-" in words and "000" in words and "ትግርኛ" in words  # "… ending in 000, with an interpreter in Tigrinya"
    assert "40000000" not in words.replace(" ", "")  # the full number left the screen with the review
    assert receipt[1]["custom"]["type"] == "personal_data_removed"
    assert family.slots["cb_name"] is None and family.slots["cb_phone"] is None and family.slots["cb_topic"] is None
    reference = next(part for part in words.replace("\u2068", " ").replace("\u2069", " ").split() if part.startswith("VV-"))
    with new_session(default_engine()) as session:
        stored = session.query(Application).filter_by(reference=reference).one()
        assert stored.kind == "callback" and stored.handling == "new" and stored.language == "ti"
        assert stored.payload["interpreter_language"] == "ti" and stored.payload["guardian"]["phone"] == "+47 40000000"
        raw = session.execute(text("SELECT payload FROM applications WHERE reference = :r"), {"r": reference}).scalar_one()
        assert "ለተብርሃን" not in raw and "40000000" not in raw  # encrypted at rest
    inbox = delivered(reference)
    document = json.loads((inbox / f"{reference}.json").read_text(encoding="utf-8"))
    assert document["schema"] == "veiviser-callback/1" and document["interpreter_language"] == "ti"
    assert document["topic"].startswith("ብዛዕባ") and (inbox / f"{reference}.pdf").read_bytes().startswith(b"%PDF")


async def test_in_norwegian_there_is_no_interpreter_question(clock, empty_queue):
    clock(CLOSED)
    family = Family(f"cb-nb-{secrets.token_hex(3)}", "nb")
    await family.ask_for_a_person("Jeg vil snakke med et menneske")
    await family.say("")
    await family.tap("affirm", "cb_consent")
    for answer in ("Kari Nordmann", "400 00 000", "Formiddag", "Vi lurer på avlastning i sommerferien."):
        await family.say(answer)
    assert family.asking == "cb_review" and family.slots["cb_interpreter"] is False and family.slots["cb_time"] == "morning"
    review = next(m["custom"] for m in family.last if m.get("custom"))
    assert [f["label"] for f in review["fields"]] == ["Ditt navn", "Telefon", "Beste tid å ringe", "Hva det gjelder"]
    await family.tap("deny", "cb_review")  # "Change something": the menu, then the answer, then the review again
    assert family.asking == "cb_change"
    await family.say("3")
    assert family.asking == "cb_time"
    await family.say("etter klokka 13")
    assert family.asking == "cb_review" and family.slots["cb_time"] == "etter klokka 13"


async def test_stopping_or_refusing_saves_nothing_and_removes_what_was_typed(clock, empty_queue):
    clock(CLOSED)
    refusing = Family(f"cb-refuse-{secrets.token_hex(3)}", "en")
    await refusing.ask_for_a_person("talk to a human")
    await refusing.say("")
    before = _count(Application)
    messages = await refusing.tap("deny", "cb_consent")
    assert "Nothing has been saved" in messages[0]["text"] and refusing.asking is None
    with new_session(default_engine()) as session:
        assert session.query(Consent).order_by(Consent.id.desc()).first().granted is False

    stopping = Family(f"cb-stop-{secrets.token_hex(3)}", "en")
    await stopping.ask_for_a_person("talk to a human")
    await stopping.say("")
    await stopping.tap("affirm", "cb_consent")
    await stopping.say("Amira Haddad")
    messages = await stopping.say("cancel", "stop")
    assert "cancelled" in messages[0]["text"] and messages[1]["custom"]["type"] == "personal_data_removed"
    assert stopping.slots["cb_name"] is None and stopping.asking is None and _count(Application) == before


def _count(model) -> int:
    with new_session(default_engine()) as session:
        return session.query(model).count()


async def test_the_second_message_in_a_row_it_cannot_place_offers_a_person(clock, empty_queue):
    clock(CLOSED)
    first, events = await run(ActionFallback(), tracker("blørk fnugg", "nlu_fallback", {"language": "en"}))
    assert {"event": "slot", "timestamp": None, "name": "unplaced", "value": 1} in events
    assert not first[0]["text"].startswith(translator("en").gettext("Would you like a case worker"))
    second, events = await run(ActionFallback(), tracker("zzz qqq", "nlu_fallback", {"language": "en", "unplaced": 1}))
    assert second[0]["text"].startswith("Would you like a case worker to call you back")  # closed: a call back
    assert second[0]["buttons"][0] == {"title": "Ask to be called back", "payload": "/human_handoff"}
    placed, events = await run(ActionContact(), tracker("what is your phone number", "ask_contact", {"language": "en", "unplaced": 2}))
    assert {"event": "slot", "timestamp": None, "name": "unplaced", "value": 0} in events  # placed: counted from nothing


async def test_with_a_case_worker_free_the_offer_is_a_chat(clock, empty_queue):
    clock(OPEN)
    a_case_worker_available(OPEN)
    second, _ = await run(ActionFallback(), tracker("zzz qqq", "nlu_fallback", {"language": "en", "unplaced": 1}))
    assert second[0]["text"].startswith("Would you like to chat with a case worker")
    assert second[0]["buttons"][0] == {"title": "Chat with a case worker", "payload": "/human_handoff"}


def test_retention_deletes_call_back_requests_with_the_applications():
    from datetime import timedelta

    from knowledge.applications.store import purge_expired, record_consent, submit_application
    from knowledge.config import load_settings

    settings = load_settings()
    long_ago = datetime.now(timezone.utc) - timedelta(days=settings.retention_days + 1)
    with new_session(default_engine()) as session:
        consent = record_consent(session, "cb-retention", True, "ti", "1", settings, now=long_ago)
        old = submit_application(session, consent, {"kind": "callback", "guardian": {"name": "Old", "phone": "+47 40000000"}},
                                 [], "ti", settings, now=long_ago, kind="callback").reference
        session.commit()
        counts = purge_expired(session)
        session.commit()
        assert counts["applications"] >= 1 and session.query(Application).filter_by(reference=old).first() is None
