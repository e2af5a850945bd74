"""Fault injection (issue 14): the action server killed and frozen, Rasa frozen, the database
locked during a submission. In each the family gets a reply in their language within 5 seconds
through the web app, and no application is lost.

One stack per module: the action server, Rasa and the web app as real processes on free ports,
with their own database.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conversation.chat import MODEL
from veiviser_eval.fuzz import web_app
from veiviser_eval.servers import ROOT, assistant, free_port, start_actions

pytestmark = pytest.mark.model
WITHIN_SECONDS = 5.0


class Stack:
    def __init__(self, web: str, actions: subprocess.Popen, rasa: subprocess.Popen, actions_port: int, database: Path, logs: Path):
        self.web, self.actions, self.rasa, self.actions_port, self.database, self.logs = web, actions, rasa, actions_port, database, logs

    def say(self, sender: str, message: str, **metadata) -> tuple[list[dict], float]:
        body = json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode()
        request = urllib.request.Request(f"{self.web}/api/chat", data=body, headers={"Content-Type": "application/json"})
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback only
            replies = json.loads(answer.read())
        return replies, time.monotonic() - started

    def restart_actions(self) -> None:
        self.actions = start_actions(self.actions_port, self.logs)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    saved = dict(os.environ)
    database = folder / "veiviser.db"
    os.environ.update({"VEIVISER_DATABASE_URL": f"sqlite:///{database}", "VEIVISER_KE_INBOX": str(folder / "inbox"),
                       "VEIVISER_RECEIPT_DIR": str(folder / "receipts"), "VEIVISER_ACTION_TOKEN": "fault-test-shared-secret"})
    try:
        subprocess.run([sys.executable, "-m", "knowledge", "setup"], cwd=ROOT, check=True, capture_output=True)
        started: list[subprocess.Popen] = []
        actions_port = free_port()
        with assistant(MODEL, folder, rasa_port=free_port(), actions_port=actions_port, started=started) as rasa_url, \
                web_app(rasa_url, folder) as web:
            actions, rasa = started
            stack = Stack(web, actions, rasa, actions_port, database, folder)
            yield stack
            for process in (stack.actions, rasa):
                if process.poll() is None:
                    process.send_signal(signal.SIGCONT)
            if stack.actions is not actions:  # started again by a test: ours to stop
                stack.actions.terminate()
                stack.actions.wait(timeout=20)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def sender() -> str:
    return f"fault-{uuid.uuid4().hex[:16]}"


def text(replies: list[dict]) -> str:
    return " ".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize("message,expected", [
    ("Hva er avlastning?", "Veiviser kan ikke svare akkurat nå"),
    ("What is relief care?", "Veiviser cannot answer right now"),
])
def test_a_frozen_action_server_still_gives_a_reply_in_the_familys_language(stack, message, expected):
    stack.actions.send_signal(signal.SIGSTOP)
    try:
        replies, seconds = stack.say(sender(), message, replied_in="nb")
    finally:
        stack.actions.send_signal(signal.SIGCONT)
    assert seconds < WITHIN_SECONDS and expected in text(replies), (seconds, replies)


def test_a_frozen_rasa_still_gives_a_reply(stack):
    stack.rasa.send_signal(signal.SIGSTOP)
    try:
        replies, seconds = stack.say(sender(), "ما هي الرعاية المؤقتة؟")
    finally:
        stack.rasa.send_signal(signal.SIGCONT)
    assert seconds < WITHIN_SECONDS and "94 83 72 85" in text(replies) and any("\u0600" <= c <= "\u06ff" for c in text(replies))


def test_a_killed_action_server_gives_a_reply_and_the_application_goes_on_after_it_is_back(stack):
    family = sender()
    stack.say(family, "Jeg vil søke om avlastning")
    for answer in ["/affirm", "Amira Haddad", "400 00 000"]:
        stack.say(family, answer)
    stack.actions.kill()
    stack.actions.wait(timeout=20)
    replies, seconds = stack.say(family, "amira@example.no", replied_in="nb")  # as the widget says
    assert seconds < WITHIN_SECONDS and "Veiviser kan ikke svare akkurat nå" in text(replies)
    stack.restart_actions()
    replies, _ = stack.say(family, "amira@example.no")  # answered again: nothing was lost
    assert "adresse" in text(replies).lower(), text(replies)


def test_a_locked_database_at_submission_says_not_sent_within_five_seconds_and_a_second_try_sends(stack):
    family = sender()
    stack.say(family, "Jeg vil søke om avlastning")
    for answer in ["/affirm", "Amira Haddad", "400 00 000", "ingen", "Storgata 1, 7011 Trondheim", "Åse Ødegård", "15.03.2019",
                   "15031951264", "Hun trenger tilsyn om natten.", "ingen", "nb", "nei", "nei"]:
        replies, _ = stack.say(family, answer)
    assert '/affirm{"step": "app_review"}' in [b["payload"] for r in replies for b in r.get("buttons") or []]
    lock = sqlite3.connect(str(stack.database), timeout=1)
    lock.execute("BEGIN EXCLUSIVE")  # another process holds the database
    try:
        replies, seconds = stack.say(family, '/affirm{"step": "app_review"}')
    finally:
        lock.rollback()
        lock.close()
    assert seconds < WITHIN_SECONDS and "IKKE" in text(replies), (seconds, text(replies))
    stack.say(family, "/apply")  # "Try again": the review, every answer kept
    replies, _ = stack.say(family, '/affirm{"step": "app_review"}')
    assert "VV-" in text(replies), text(replies)
    with sqlite3.connect(str(stack.database)) as connection:
        assert connection.execute("select count(*) from applications").fetchone()[0] == 1
