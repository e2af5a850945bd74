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


def test_rasa_warning_that_quotes_a_message_is_not_written(monkeypatch):
    """Found by the fuzz run: a message starting with "/" that Rasa cannot parse as a payload was
    written to its log, identity number and all."""
    import warnings

    from rasa.shared.utils.io import raise_warning
    from rasa.utils import log_utils

    from veiviser_nlu.server import install

    # install() changes process-wide logging; this test's process keeps its own.
    monkeypatch.setattr(logging, "setLogRecordFactory", lambda factory: None)
    monkeypatch.setattr(log_utils, "_anonymizer", log_utils._anonymizer)
    line = "Failed to parse arguments in line '/affirm 15031951264'. Expected the intent to be one of ..."
    with warnings.catch_warnings(record=True) as before:
        warnings.simplefilter("always")
        raise_warning(line)
    assert before, "the warning is raised without the filter"
    with warnings.catch_warnings(record=True) as after:
        warnings.simplefilter("always")
        install()
        raise_warning(line)
    assert not any("15031951264" in str(w.message) for w in after)


async def test_calls_to_the_action_server_reuse_one_connection_with_rasas_headers():
    """Rasa opened a new connection for every call to the action server; now they are kept."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from veiviser_nlu.server import keep_connections_to_the_action_server

    peers, tokens = [], []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        tokens.append(request.headers.get("Authorization"))
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        keep_connections_to_the_action_server()
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"Authorization": "Bearer t"})
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "action_answer"}, method="post") == {"events": [], "responses": []}
        assert len(set(peers)) == 1 and tokens == ["Bearer t"] * 3
        await endpoint._kept_session[1].close()
    finally:
        await runner.cleanup()
