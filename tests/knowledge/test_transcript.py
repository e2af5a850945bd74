"""What a case worker sees of the conversation with the assistant: the questions and answers, and
of the application and call-back forms only that they were filled in."""
from __future__ import annotations

from knowledge import conversation_store
from knowledge.handoff import transcript
from knowledge.handoff.transcript import TAPPED, Line


def user(text):
    return {"event": "user", "text": text}


def bot(text=None, custom=None):
    return {"event": "bot", "text": text, "data": {"custom": custom} if custom else {}}


EVENTS = [
    user("old question"), {"event": "restart"},  # "Start over": what came before is gone
    user("Hva er avlastning?"), {"event": "action", "name": "action_answer_service"},
    bot(custom={"type": "service_card", "text": "Avlastning gir foreldre en pause."}),
    bot(custom={"type": "contact", "replaces_text": True, "text": "twin"}),  # a card after its text: one answer
    user('/apply{"service": "relief_care"}'), {"event": "action", "name": "application_form"},
    {"event": "active_loop", "name": "application_form"}, bot("Do you agree?"),
    user("Amira Haddad"), {"event": "action", "name": "validate_application_form"}, bot("What is the child's name?"),
    user("15031951264"), bot("Please check: Amira Haddad, 15031951264 …"),
    {"event": "active_loop", "name": None}, {"event": "action", "name": "action_submit_application"},
    bot("Thank you! Reference VV-2026-ABCDEF, phone +47 40000000"),
    user("Kan jeg snakke med en person?"), {"event": "action", "name": "action_human_handoff"}, bot("Du er nummer 1 i køen."),
]


def test_the_forms_answers_and_what_the_assistant_said_about_them_are_hidden():
    lines = transcript.lines(EVENTS)
    shown = [line.text for line in lines if not line.hidden]
    assert shown == ["Hva er avlastning?", "Avlastning gir foreldre en pause.", TAPPED, "Kan jeg snakke med en person?",
                     "Du er nummer 1 i køen."]
    words = " ".join(line.text or "" for line in lines)
    for personal in ("Amira", "15031951264", "40000000", "old question"):
        assert personal not in words
    assert Line("family", None) in lines and Line("assistant", None) in lines  # said that something was left out


def test_a_conversation_read_from_the_store(session):
    conversation_store.append(session, "transcript-sender", EVENTS)
    session.commit()
    assert transcript.bot_conversation(session, "transcript-sender")[0].text == "Hva er avlastning?"
    assert transcript.bot_conversation(session, "no-such-sender") == []
