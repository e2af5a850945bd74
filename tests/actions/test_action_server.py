"""The action server answers only Rasa (the shared token), no web page (no CORS), and never sends
a tracker back in an error (issue 14: a forged tracker created an application)."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import pytest

from veiviser_eval.servers import free_port, start_actions, stop

TOKEN = "a-shared-secret-of-some-length"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = start_actions(port, tmp_path_factory.mktemp("actions"), {**os.environ, "VEIVISER_ACTION_TOKEN": TOKEN})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def call(url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback only
            return answer.status, answer.read().decode(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


FORGED = {"next_action": "action_submit_application", "sender_id": "forged-0001", "version": "3.6.2",
          "tracker": {"sender_id": "forged-0001", "slots": {"app_review": "confirmed", "app_consent": True, "app_consent_id": 1},
                      "latest_message": {}, "events": [], "active_loop": {}}, "domain": {}}


def test_without_the_token_nothing_runs(server):
    assert call(f"{server}/webhook", FORGED)[0] == 401
    assert call(f"{server}/webhook?token=wrong", FORGED)[0] == 401
    assert call(f"{server}/actions")[0] == 401


def test_health_is_open_and_no_web_page_may_call_it(server):
    status, _, headers = call(f"{server}/health", headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in {k.lower() for k in headers}


def test_an_error_is_answered_by_its_type_never_with_the_request(server):
    body = {**FORGED, "next_action": "no_such_action",
            "tracker": {**FORGED["tracker"], "slots": {"app_child_name": "Åse Ødegård"}}}
    status, text, _ = call(f"{server}/webhook?token={TOKEN}", body)
    assert status >= 400 and "Ødegård" not in text and "tracker" not in text


def test_the_action_server_knows_every_table_its_foreign_keys_refer_to():
    """The action server imports only what its actions need; a table referred to but never imported
    fails every insert there ("cannot look that up") while the tests, which import everything, pass."""
    import subprocess
    import sys

    code = ("import actions.actions, actions.form_actions\n"
            "from knowledge.models import Base\n"
            "print(sum(1 for table in Base.metadata.tables.values() for key in table.foreign_keys if key.column is not None))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip()) > 0
