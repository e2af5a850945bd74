"""Rasa as Veiviser runs it (veiviser_nlu.server) logs no message text, slot, tracker or response body."""
from __future__ import annotations

import logging

from veiviser_nlu.server import REMOVED, exceptions_by_type, remove_personal_values


def test_structured_events_keep_their_name_and_lose_what_the_family_wrote():
    event = {"event": "rest.message.received.timeout", "text": "Amira Haddad 15031951264", "slot_values": {"app_child_name": "Åse"},
             "tracker": {"slots": {}}, "action_name": "action_submit_application"}
    cleaned = remove_personal_values(None, "error", dict(event))
    assert cleaned["event"] == "rest.message.received.timeout" and cleaned["action_name"] == "action_submit_application"
    assert cleaned["text"] == cleaned["slot_values"] == cleaned["tracker"] == REMOVED


def test_an_exception_is_named_by_its_type_not_its_text_or_locals():
    try:
        raise ValueError("Amira Haddad")
    except ValueError as error:
        cleaned = remove_personal_values(None, "exception", {"event": "failed", "exc_info": (ValueError, error, None)})
    assert cleaned == {"event": "failed", "error": "ValueError"}


def test_a_logged_exception_with_a_response_body_keeps_only_its_type_and_place():
    factory = exceptions_by_type(logging.LogRecord)
    try:
        raise RuntimeError('{"tracker": {"slots": {"app_child_identity_number": "15031951264"}}}')
    except RuntimeError:
        import sys
        record = factory("rasa.core.actions.action", logging.ERROR, __file__, 1, "Failed to execute custom action", (),
                         sys.exc_info())
    text = logging.Formatter().format(record)
    assert "RuntimeError at test_server_logs.py" in text and "15031951264" not in text
