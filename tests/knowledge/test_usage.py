"""Counting what each turn did: what an answer was, read from its cards, and the batches the
counts are written in (no commit per turn; nothing of the message itself)."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from knowledge.db import default_engine, new_session
from knowledge.insight import usage
from knowledge.insight.usage import Usage, UsageTurn, classify
from knowledge.replies import Reply
from knowledge.turn import Outcome, Turn


def test_what_an_answer_was_is_read_from_what_it_says():
    card = {"type": "service_card", "service": "bpa", "eligibility": {"outcome": "needs_assessment"}}
    assert classify("action_answer_service", Outcome([Reply(text="…"), Reply(custom=card)])) == \
        Usage("answered", "service", "bpa", "needs_assessment")
    assert classify("action_answer_service", Outcome([Reply(custom={"type": "signpost", "signpost": "gp"})])) == \
        Usage("answered", "signpost", "gp")
    assert classify("action_fallback", Outcome([Reply(custom={"type": "suggestions", "services": ["bpa"]})])).result == "clarified"
    assert classify("action_fallback", Outcome([Reply(text="Sorry")], result="refused")).result == "refused"
    assert classify("action_human_handoff", Outcome([Reply(custom={"type": "live_chat"})])).result == "person"
    assert classify("action_submit_callback", Outcome([Reply(text="reference VV-2026-ABCDEF")])) == Usage("sent", "callback")
    assert classify("action_submit_application", Outcome()) == Usage("form", "application")
    assert classify("action_small_talk", Outcome([Reply(text="Hello")])).result == "small_talk"
    assert classify("action_answer_service", Outcome([], followup="application_form")) == Usage("form", "application_form")


def _count() -> int:
    with new_session(default_engine()) as session:
        return session.execute(select(func.count()).select_from(UsageTurn)).scalar_one()


def test_counts_are_written_in_batches_and_hold_no_text_or_sender_id():
    usage.flush()
    with new_session(default_engine()) as session:
        session.execute(delete(UsageTurn))
        session.commit()
    turn = Turn("Jeg heter Amira og datteren min trenger BPA", conversation_id="sender-abc123")
    for _ in range(3):
        usage.record(turn, "nb", Usage("answered", "service", "bpa"))
    assert _count() == 0  # waiting for the batch
    assert usage.flush() == 3 and _count() == 3
    for _ in range(usage.BATCH_ROWS):
        usage.record(turn, "nb", Usage("answered"))
    assert _count() == 3 + usage.BATCH_ROWS  # a full batch is written at once
    with new_session(default_engine()) as session:
        row = session.execute(select(UsageTurn)).scalars().first()
        stored = " ".join(str(value) for value in (row.conversation, row.language, row.result, row.subject, row.traffic))
        assert "Amira" not in stored and "sender-abc123" not in stored and len(row.conversation) == 32
        session.execute(delete(UsageTurn))
        session.commit()
