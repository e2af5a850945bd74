"""The production topology as real processes (issue 15): PostgreSQL, Redis, two Rasa replicas, two
action servers and the web app on free loopback ports.

A conversation half-way through an application continues when its replica is killed and after
every process is restarted; the database stopped during a submission loses nothing and the
application is delivered once it is back; the database holds no personal data in clear.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.conversation.chat import MODEL
from veiviser_eval.fuzz import web_app
from veiviser_eval.servers import ROOT, assistant, free_port
from veiviser_eval.services import postgres_available, redis_available, running_postgres, running_redis
from web.replicas import Replicas

pytestmark = [pytest.mark.model,
              pytest.mark.skipif(not (postgres_available() and redis_available()),
                                 reason="PostgreSQL and Redis are not installed (scripts/ensure_services.sh installs them)")]
WITHIN_SECONDS = 5.0
FIRST_ANSWERS = ["/affirm", "Amira Haddad", "400 00 000"]
LATER_ANSWERS = ["amira@example.no", "Storgata 1, 7011 Trondheim", "Åse Ødegård", "15.03.2019", "15031951264",
                 "Hun trenger tilsyn om natten.", "ingen", "nb", "nei", "nei"]
SEND = '/affirm{"step": "app_review"}'


class Cluster:
    """The processes of one topology; ``restart_all`` stops and starts every one of them."""

    def __init__(self, folder: Path, postgres, redis):
        self.folder, self.postgres, self.redis = folder, postgres, redis
        self.ports = [(free_port(), free_port()), (free_port(), free_port())]  # (rasa, actions) per replica
        self.rasa_urls = [f"http://127.0.0.1:{rasa}" for rasa, _ in self.ports]
        self.stack: ExitStack | None = None

    def start(self) -> None:
        self.stack = ExitStack()
        self.replicas: list[list[subprocess.Popen]] = []
        for rasa_port, actions_port in self.ports:
            started: list[subprocess.Popen] = []
            self.stack.enter_context(assistant(MODEL, self.folder, rasa_port=rasa_port, actions_port=actions_port, started=started))
            self.replicas.append(started)
        self.web = self.stack.enter_context(web_app(",".join(self.rasa_urls), self.folder))

    def stop(self) -> None:
        self.stack.close()

    def restart_all(self) -> None:
        self.stop()
        self.start()

    def say(self, sender: str, message: str, **metadata) -> tuple[str, list[str], float]:
        body = json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode()
        request = urllib.request.Request(f"{self.web}/api/chat", data=body, headers={"Content-Type": "application/json"})
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback only
            replies = json.loads(answer.read())
        text = " ".join(r.get("text") or "" for r in replies)
        return text, [b["payload"] for r in replies for b in r.get("buttons") or []], time.monotonic() - started

    def replica_of(self, sender: str) -> int:
        """Which replica the web app sends this conversation to (the same hashing)."""
        return self.rasa_urls.index(Replicas(tuple(self.rasa_urls)).order_for(sender)[0])

    def kill_replica(self, number: int) -> None:
        rasa = self.replicas[number][-1]
        rasa.send_signal(signal.SIGKILL)
        rasa.wait(timeout=20)

    def query(self, sql: str) -> list[tuple]:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.postgres.url, future=True)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql)).all()
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    saved = dict(os.environ)
    with running_postgres(folder / "pg") as postgres, running_redis(folder / "redis") as redis:
        os.environ.update({"VEIVISER_DATABASE_URL": postgres.url, "VEIVISER_REDIS_URL": redis.url,
                           "VEIVISER_KE_INBOX": str(folder / "inbox"), "VEIVISER_RECEIPT_DIR": str(folder / "receipts"),
                           "VEIVISER_ACTION_TOKEN": "production-test-shared-secret", "VEIVISER_OUTBOX_INTERVAL": "1"})
        try:
            subprocess.run([sys.executable, "-m", "knowledge", "setup"], cwd=ROOT, check=True, capture_output=True)
            cluster = Cluster(folder, postgres, redis)
            cluster.start()
            try:
                yield cluster
            finally:
                if not postgres.is_running():
                    postgres.start()
                cluster.stop()
        finally:
            os.environ.clear()
            os.environ.update(saved)


def family() -> str:
    return f"prod-{uuid.uuid4().hex[:16]}"


def test_the_conversation_goes_on_when_its_replica_is_killed_and_after_everything_restarts(cluster):
    sender = family()
    cluster.say(sender, "Jeg vil søke om avlastning")
    for answer in FIRST_ANSWERS:
        cluster.say(sender, answer)
    cluster.kill_replica(cluster.replica_of(sender))
    text, _, seconds = cluster.say(sender, LATER_ANSWERS[0])  # the other replica takes it, from the database
    assert seconds < WITHIN_SECONDS and "adresse" in text.lower(), text
    cluster.restart_all()  # every process: web, both replicas, both action servers
    text, _, _ = cluster.say(sender, LATER_ANSWERS[1])
    assert "navn" in text.lower(), text  # the child's name is next: the address was kept
    for answer in LATER_ANSWERS[2:]:
        text, buttons, _ = cluster.say(sender, answer)
    assert SEND in buttons and "Amira Haddad" in text, text  # the review has the name given before the kill
    text, _, _ = cluster.say(sender, SEND)
    assert "VV-" in text, text
    assert cluster.query("select count(*) from applications")[0][0] >= 1


def test_the_database_stopped_at_submission_loses_nothing_and_delivers_after_it_is_back(cluster):
    sender = family()
    cluster.say(sender, "Jeg vil søke om avlastning")
    for answer in FIRST_ANSWERS + LATER_ANSWERS:
        text, buttons, _ = cluster.say(sender, answer)
    assert SEND in buttons, text
    before = cluster.query("select count(*) from applications")[0][0]
    cluster.postgres.stop()
    try:
        text, _, seconds = cluster.say(sender, SEND, replied_in="nb")
    finally:
        cluster.postgres.start()
    assert seconds < WITHIN_SECONDS and "IKKE" in text, (seconds, text)
    cluster.say(sender, "/apply")  # "Try again": the review, every answer kept
    text, _, _ = cluster.say(sender, SEND)
    assert "VV-" in text, text
    assert cluster.query("select count(*) from applications")[0][0] == before + 1
    reference = cluster.query("select reference from applications order by id desc limit 1")[0][0]
    assert reference in text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (cluster.folder / "inbox" / reference).exists():
        time.sleep(0.5)  # the web app's outbox loop, every second here
    assert (cluster.folder / "inbox" / reference / f"{reference}.pdf").exists()


def test_the_database_holds_no_personal_data_in_clear(cluster):
    """A raw look at every table after whole applications: names, phone, identity number and the
    needs text are nowhere in clear (applications and conversations are encrypted)."""
    assert cluster.query("select count(*) from conversation_events")[0][0] > 0
    tables = [name for (name,) in cluster.query("select tablename from pg_tables where schemaname = 'public'")]
    dump = " ".join(str(row) for table in tables for row in cluster.query(f'select * from "{table}"'))
    for secret in ("Amira", "Haddad", "400 00 000", "40000000", "15031951264", "Åse", "Ødegård", "tilsyn om natten",
                   "amira@example.no", "Storgata"):
        assert secret not in dump, secret
