"""The web app retries deliveries from the outbox on its own, and runs the retention job."""
from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta, timezone

from aiohttp.test_utils import TestClient, TestServer

from knowledge.applications.models import Application
from knowledge.applications.store import record_consent, submit_application
from knowledge.config import load_settings
from knowledge.db import default_engine, new_session
from web.app import create_app
from web.background import purge_round


def store(settings, when) -> int:
    with new_session(default_engine()) as session:
        consent = record_consent(session, "background-test", True, "nb", "1", settings, when)
        payload = {"guardian": {"name": "Kari Nordmann"}, "child": {"name": "Ola"}, "services": [{"key": "bpa", "title_nb": "BPA"}],
                   "consent": {"decided_at": when.isoformat(), "text_version": "1"}}
        application = submit_application(session, consent, payload, ["bpa"], "nb", settings, when)
        session.commit()
        return application.id


async def test_the_app_delivers_what_is_waiting_in_the_outbox(tmp_path):
    settings = load_settings({**os.environ, "VEIVISER_KE_INBOX": str(tmp_path), "VEIVISER_OUTBOX_INTERVAL": "1"})
    application_id = store(settings, datetime.now(timezone.utc))
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    try:
        for _ in range(50):
            with new_session(default_engine()) as session:
                if session.get(Application, application_id).status == "delivered":
                    break
            await asyncio.sleep(0.2)
    finally:
        await client.close()
    with new_session(default_engine()) as session:
        reference = session.get(Application, application_id).reference
        assert session.get(Application, application_id).status == "delivered"
    assert (tmp_path / reference / f"{reference}.pdf").exists()


def test_the_retention_round_deletes_old_applications():
    settings = load_settings({**os.environ, "VEIVISER_RETENTION_DAYS": "1"})
    application_id = store(settings, datetime.now(timezone.utc) - timedelta(days=2))
    assert purge_round(settings)["applications"] >= 1
    with new_session(default_engine()) as session:
        assert session.get(Application, application_id) is None
