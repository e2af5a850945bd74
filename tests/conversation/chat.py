"""Talking to a running assistant over Rasa's REST channel, and reading its replies."""
from __future__ import annotations

import json
import os
import re
import urllib.request
import uuid
from pathlib import Path

from veiviser_eval.servers import ROOT

MODEL = ROOT / "models" / "veiviser.tar.gz"
PHONE = "94 83 72 85"
ARABIC, ETHIOPIC = (0x0600, 0x06FF), (0x1200, 0x139F)


def delivered(reference: str) -> Path:
    """The application with ``reference`` as the coordinating unit's inbox gets it: the outbox
    worker's round (web.background), run here, where no web app runs; its folder in the inbox."""
    from knowledge.applications.delivery import deliver_due
    from knowledge.applications.models import Application
    from knowledge.config import load_settings
    from knowledge.db import engine_for, new_session

    settings = load_settings(os.environ)
    with new_session(engine_for(settings.database_url)) as session:
        application = session.query(Application).filter_by(reference=reference).one()
        deliver_due(session, settings, application_id=application.id)
        session.commit()
    return settings.ke_inbox_dir / reference


def post(url: str, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata or {}}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


class Conversation:
    """One user (a fresh sender id) talking to the assistant."""

    def __init__(self, url: str):
        self.url, self.sender = url, f"test-{uuid.uuid4().hex}"

    def say(self, message: str, **metadata) -> list[dict]:
        return post(self.url, self.sender, message, metadata)


def cards(replies) -> list[str]:
    return [r["custom"]["service"] for r in replies if (r.get("custom") or {}).get("type") == "service_card"]


def payloads(replies) -> list[str]:
    """The payloads of every button offered in the replies, without a form step ("/affirm" for
    '/affirm{"step": "app_consent"}'; the step is checked where it matters)."""
    return [re.sub(r'\{"step": "[a-z_]+"\}$', "", b["payload"]) for r in replies for b in r.get("buttons") or []]


def text(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def has_script(value: str, low: int, high: int) -> bool:
    return any(low <= ord(ch) <= high for ch in value)
