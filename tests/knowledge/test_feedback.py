""""Was this helpful?": what the widget may send, what is stored (never a sender id; a comment
only with "no", redacted, once, with the token the "no" got), and how long comments are kept."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from knowledge import feedback
from knowledge.feedback import AnswerFeedback, Feedback, InvalidFeedback


def body(**changes):
    return {"language": "en", "card": {"type": "service_card", "service": "relief_care", "aspect": "cost"}, "helpful": False,
            **changes}


def test_what_the_widget_sends_is_read_and_anything_else_is_refused_by_name():
    assert feedback.read(body()) == Feedback("en", "service_card", "relief_care", "cost", False)
    signpost = feedback.read(body(card={"type": "signpost", "signpost": "nav_basic_benefit"}, helpful=True))
    assert (signpost.key, signpost.aspect) == ("nav_basic_benefit", "about")
    for wrong, field in ((body(language="de"), "language"), (body(card={"type": "contact"}), "card.type"),
                         (body(card={"type": "service_card", "service": "<b>"}), "card.service"),
                         (body(helpful="yes"), "helpful"), (body(comment="x" * 501), "comment"),
                         (body(traffic="bot"), "traffic"), ([], "JSON object")):
        with pytest.raises(InvalidFeedback, match=field):
            feedback.read(wrong)


def test_no_sender_id_is_stored_and_a_comment_is_redacted_and_added_once(session):
    assert not {"sender", "conversation", "sender_id"} & {c["name"] for c in inspect(session.bind).get_columns("answer_feedback")}
    no = feedback.record(session, feedback.read(body()))
    assert no.comment is None and no.comment_token
    assert not feedback.add_comment(session, no.id, "wrong-token", "hei")
    assert feedback.add_comment(session, no.id, no.comment_token, "It did not say how long we wait. I am Ola Nordmann, 40000000")
    assert no.comment == "It did not say how long we wait. I am [name], [number]" and no.comment_token is None
    assert not feedback.add_comment(session, no.id, "anything", "again")  # once
    yes = feedback.record(session, feedback.read(body(helpful=True, comment="ignored")))
    assert yes.comment is None and yes.comment_token is None
    only_numbers = feedback.record(session, feedback.read(body()))
    feedback.add_comment(session, only_numbers.id, only_numbers.comment_token, "40000000")
    assert only_numbers.comment is None  # nothing left worth keeping
    session.rollback()


def test_comments_go_with_the_unanswered_questions_retention_and_the_counts_stay(session):
    row = feedback.record(session, feedback.read(body()))
    feedback.add_comment(session, row.id, row.comment_token, "The price was not there")
    row.created_at = datetime.now(timezone.utc) - timedelta(days=91)
    session.flush()
    assert feedback.purge_old_comments(session, 90) >= 1
    session.refresh(row)
    assert row.comment is None and session.get(AnswerFeedback, row.id).helpful is False
    session.rollback()
