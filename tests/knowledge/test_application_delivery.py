"""Delivery through the outbox: the local KE inbox, a real SMTP server (aiosmtpd on loopback),
and a failed delivery that is kept and retried."""
from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller

from knowledge.applications.delivery import deliver_due, pause_after
from knowledge.applications.models import OutboxMessage
from knowledge.applications.store import record_consent, submit_application
from knowledge.config import load_settings
from knowledge.db import default_engine, new_session

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def payload(email: str = "none") -> dict:
    return {
        "guardian": {"name": "Amira Haddad", "phone": "+47 400 00 000", "email": email, "address": "Trondheim"},
        "child": {"name": "Åse Ødegård", "birth_date": "15.03.2019", "identity_number": "15031951264"},
        "services": [{"key": "relief_care", "title_nb": "Avlastning"}], "need_language": "ar",
        "need_description": "ابني يحتاج إلى رعاية في الليل", "current_services": "", "preferred_language": "ar",
        "interpreter_needed": True, "coordinator_wanted": False, "eligibility": [], "facts_nb": [],
        "consent": {"decided_at": NOW.isoformat(), "text_version": "2026-11-23"},
    }


def settings(**overrides):
    return load_settings({**os.environ, **overrides})


def submit(session, config, email: str = "none"):
    consent = record_consent(session, f"sender-{datetime.now().timestamp()}", True, "ar", "2026-11-23", config, NOW)
    application = submit_application(session, consent, payload(email), ["relief_care"], "ar", config, NOW)
    session.commit()
    return application


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        self.messages.append(envelope)
        return "250 OK"


def test_folder_inbox_gets_the_pdf_and_json_once(session, tmp_path):
    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"))
    application = submit(session, config)
    assert deliver_due(session, config, NOW, application_id=application.id) == {"sent": 1, "failed": 0}
    folder = tmp_path / "inbox" / application.reference
    assert (folder / f"{application.reference}.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((folder / f"{application.reference}.json").read_text())["child"]["name"] == "Åse Ødegård"
    assert application.status == "delivered" and application.outbox[0].status == "sent"
    assert deliver_due(session, config, NOW + timedelta(hours=1), application_id=application.id) == {"sent": 0, "failed": 0}
    assert len(list((tmp_path / "inbox").iterdir())) == 1


def test_smtp_delivery_to_a_real_server():
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        from knowledge.db import default_engine, new_session

        config = settings(VEIVISER_DELIVERY="smtp", VEIVISER_SMTP_STARTTLS="false", VEIVISER_SMTP_PORT=str(port), VEIVISER_SMTP_RECIPIENT="ke@trondheim.test")
        with new_session(default_engine()) as session:
            application = submit(session, config)
            assert deliver_due(session, config, NOW, application_id=application.id) == {"sent": 1, "failed": 0}
            reference, key = application.reference, application.outbox[0].idempotency_key
    finally:
        controller.stop()
    [envelope] = recorder.messages
    assert envelope.rcpt_tos == ["ke@trondheim.test"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == f"Søknad {reference} fra Veiviser"
    assert key.replace(":", ".") in message["Message-ID"]
    names = [part.get_filename() for part in message.walk() if part.get_filename()]
    assert names == [f"{reference}.pdf", f"{reference}.json"]
    assert b"Amira" not in envelope.content.split(b"Content-Disposition")[0]  # nothing personal before the attachments


def test_a_failed_delivery_is_kept_and_retried(session):
    port = free_port()  # nothing listens here yet
    config = settings(VEIVISER_DELIVERY="smtp", VEIVISER_SMTP_STARTTLS="false", VEIVISER_SMTP_PORT=str(port))
    application = submit(session, config)
    assert deliver_due(session, config, NOW, application_id=application.id) == {"sent": 0, "failed": 1}
    message = session.query(OutboxMessage).filter_by(application_id=application.id).one()
    assert message.status == "pending" and message.attempts == 1 and message.last_error == "ConnectionRefusedError"
    assert application.status == "submitted"
    assert deliver_due(session, config, NOW + timedelta(seconds=10), application_id=application.id) == {"sent": 0, "failed": 0}

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        later = NOW + pause_after(1)
        assert deliver_due(session, config, later, application_id=application.id) == {"sent": 1, "failed": 0}
    finally:
        controller.stop()
    assert len(recorder.messages) == 1 and application.status == "delivered" and message.attempts == 2


@pytest.mark.parametrize("attempts,minutes", [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (20, 60)])
def test_pauses_grow_and_are_capped(attempts, minutes):
    assert pause_after(attempts) == timedelta(minutes=minutes)


def test_a_family_that_gave_an_e_mail_gets_a_receipt_in_its_language_without_sensitive_details(session, tmp_path):
    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"), VEIVISER_RECEIPT_DIR=str(tmp_path / "receipts"))
    application = submit(session, config, email="amira@example.no")
    assert sorted(m.channel for m in application.outbox) == ["folder", "receipt"]
    assert deliver_due(session, config, NOW, application_id=application.id) == {"sent": 2, "failed": 0}
    mail = email.message_from_bytes((tmp_path / "receipts" / f"{application.reference}.eml").read_bytes(), policy=email.policy.default)
    body = mail.get_content()
    assert mail["To"] == "amira@example.no" and application.reference in mail["Subject"] and mail["Content-Language"] == "ar"
    assert application.reference in body and "الرعاية المؤقتة" in body and "94 83 72 85" in body
    assert "15031951264" not in body and "ابني يحتاج" not in body and "Åse" not in body
    assert application.status == "delivered"


def test_no_receipt_without_an_e_mail_and_a_failed_receipt_does_not_hold_back_the_application(session, tmp_path):
    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"))
    assert [m.channel for m in submit(session, config).outbox] == ["folder"]

    class Broken:
        name = "receipt"

        def deliver_mail(self, message, reference):
            raise ConnectionRefusedError

    from knowledge.applications.delivery import channels_for

    application = submit(session, config, email="amira@example.no")
    channels = {**channels_for(config), "receipt": Broken()}
    assert deliver_due(session, config, NOW, channels=channels, application_id=application.id) == {"sent": 1, "failed": 1}
    assert application.status == "delivered"  # the office has it; the receipt is retried


def test_a_written_receipt_goes_with_its_application_when_retention_ends(session, tmp_path):
    from knowledge.applications.store import purge_expired

    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"), VEIVISER_RECEIPT_DIR=str(tmp_path / "receipts"),
                      VEIVISER_RETENTION_DAYS="30")
    application = submit(session, config, email="amira@example.no")
    deliver_due(session, config, NOW, application_id=application.id)
    receipt = tmp_path / "receipts" / f"{application.reference}.eml"
    assert receipt.exists()
    purge_expired(session, NOW + timedelta(days=31), receipt_dir=config.receipt_dir)
    session.commit()
    assert not receipt.exists()


def test_the_folder_inbox_is_readable_by_the_service_account_only(session, tmp_path):
    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"))
    application = submit(session, config)
    deliver_due(session, config, NOW, application_id=application.id)
    folder = tmp_path / "inbox" / application.reference
    assert folder.stat().st_mode & 0o077 == 0
    assert all(path.stat().st_mode & 0o077 == 0 for path in folder.iterdir())


class CountingChannel:
    """Counts deliveries per reference, slowly enough for two processes to overlap."""

    name = "folder"

    def __init__(self):
        self.delivered: list[str] = []

    def deliver(self, parcel):
        time.sleep(0.05)
        self.delivered.append(parcel.reference)


def test_two_processes_delivering_at_once_send_each_application_once(session, tmp_path):
    """Two web processes run the outbox loop: each row is claimed by one of them."""
    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"))
    references = {submit(session, config).reference for _ in range(6)}
    channel = CountingChannel()
    channels = {"folder": channel, "receipt": type("NoMail", (), {"deliver_mail": lambda *a: None})()}
    results, errors = [], []

    def worker():
        try:
            with new_session(default_engine()) as own:
                results.append(deliver_due(own, config, NOW, channels=channels))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    mine = [reference for reference in channel.delivered if reference in references]
    assert sorted(mine) == sorted(references)  # every one, once
    assert sum(result["sent"] for result in results) >= len(references)


def test_a_claimed_row_is_left_alone_until_its_claim_runs_out(session, tmp_path):
    from knowledge.applications.delivery import CLAIM, claim_due

    config = settings(VEIVISER_KE_INBOX=str(tmp_path / "inbox"))
    application = submit(session, config)
    rows = len(application.outbox)
    assert len(claim_due(session, NOW, application.id)) == rows
    assert claim_due(session, NOW + timedelta(minutes=1), application.id) == []  # the first process is on it
    assert len(claim_due(session, NOW + CLAIM, application.id)) == rows  # it died: another takes over
