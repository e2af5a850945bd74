"""Two web processes on one PostgreSQL database deliver each outbox row once (issue 15).

Both run the outbox loop every second against a real SMTP server (aiosmtpd on loopback) that
counts what it receives: a folder inbox would hide a second delivery, an e-mail inbox would not.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from datetime import datetime, timezone

import pytest
from aiosmtpd.controller import Controller

from veiviser_eval.fuzz import web_app
from veiviser_eval.servers import ROOT, free_port
from veiviser_eval.services import postgres_available, running_postgres

pytestmark = pytest.mark.skipif(not postgres_available(), reason="PostgreSQL is not installed (scripts/ensure_services.sh)")
APPLICATIONS = 12


class Inbox:
    def __init__(self):
        self.message_ids: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("message-id:"):
                self.message_ids[line.split(":", 1)[1].strip()] += 1
        time.sleep(0.05)  # a real server takes a moment: the two processes overlap
        return "250 OK"


def submit_applications(count: int) -> list[str]:
    """Applications as the action server stores them, each with its outbox rows."""
    from knowledge.applications.store import record_consent, submit_application
    from knowledge.config import load_settings
    from knowledge.db import make_engine, new_session

    settings = load_settings()
    engine = make_engine(settings.database_url)
    now = datetime.now(timezone.utc)
    references = []
    with new_session(engine) as session:
        for number in range(count):
            consent = record_consent(session, f"outbox-processes-{number}", True, "nb", "2026-11-23", settings, now)
            payload = {"guardian": {"name": "Test Testesen", "phone": "400 00 000", "email": "none", "address": "Trondheim"},
                       "child": {"name": "Barn", "birth_date": "15.03.2019", "identity_number": ""},
                       "services": [{"key": "relief_care", "title_nb": "Avlastning"}], "need_language": "nb",
                       "need_description": "tilsyn", "current_services": "", "preferred_language": "nb",
                       "interpreter_needed": False, "coordinator_wanted": False, "eligibility": [], "facts_nb": [],
                       "consent": {"decided_at": now.isoformat(), "text_version": "2026-11-23"}}
            references.append(submit_application(session, consent, payload, ["relief_care"], "nb", settings, now).reference)
        session.commit()
    engine.dispose()
    return references


def test_two_web_processes_deliver_each_application_once(tmp_path):
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    saved = dict(os.environ)
    with running_postgres(tmp_path / "pg") as postgres, ExitStack() as processes:
        smtp.start()
        processes.callback(smtp.stop)
        os.environ.update({"VEIVISER_DATABASE_URL": postgres.url, "VEIVISER_DELIVERY": "smtp", "VEIVISER_SMTP_HOST": "127.0.0.1",
                           "VEIVISER_SMTP_PORT": str(smtp.port), "VEIVISER_SMTP_STARTTLS": "false", "VEIVISER_OUTBOX_INTERVAL": "1"})
        try:
            subprocess.run([sys.executable, "-m", "knowledge", "setup"], cwd=ROOT, check=True, capture_output=True)
            references = submit_applications(APPLICATIONS)
            for number in range(2):
                (tmp_path / f"web-{number}").mkdir()
                processes.enter_context(web_app(f"http://127.0.0.1:{free_port()}", tmp_path / f"web-{number}"))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(inbox.message_ids) < APPLICATIONS:
                time.sleep(0.5)
            time.sleep(3)  # a few more rounds of both loops: nothing may come twice
        finally:
            os.environ.clear()
            os.environ.update(saved)
    assert len(inbox.message_ids) == APPLICATIONS, (len(inbox.message_ids), references)
    assert set(inbox.message_ids.values()) == {1}, inbox.message_ids
