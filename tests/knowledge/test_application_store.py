"""Consent, encrypted storage, outbox rows and retention for applications."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from knowledge.applications.models import Application, Consent, OutboxMessage
from knowledge.applications.store import ConsentMissing, purge_expired, record_consent, submit_application
from knowledge.config import ConfigError, load_settings

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
PAYLOAD = {"child": {"name": "Åse Ødegård", "identity_number": "15031951264"},
           "guardian": {"name": "Amira Haddad", "phone": "+47 400 00 000"},
           "need": "ابني يحتاج إلى رعاية في الليل"}


def settings(**overrides):
    return load_settings({**__import__("os").environ, **overrides})


def test_no_application_without_a_granted_consent(session):
    before = session.query(Application).count()
    refused = record_consent(session, "sender-1", False, "ar", "1", settings(), NOW)
    with pytest.raises(ConsentMissing):
        submit_application(session, refused, PAYLOAD, ["relief_care"], "ar", settings(), NOW)
    assert session.query(Application).count() == before
    assert refused.conversation != "sender-1" and len(refused.conversation) == 64  # hashed, not the id


def test_personal_data_is_encrypted_at_rest(session):
    consent = record_consent(session, "sender-2", True, "ar", "1", settings(), NOW)
    application = submit_application(session, consent, PAYLOAD, ["relief_care"], "ar", settings(), NOW)
    session.commit()
    raw = session.execute(text("SELECT payload FROM applications WHERE id = :id"), {"id": application.id}).scalar_one()
    for secret in ("Åse", "Ødegård", "15031951264", "Amira", "ابني"):
        assert secret not in raw
    session.expire_all()
    assert session.get(Application, application.id).payload == PAYLOAD


def test_an_application_gets_a_reference_and_an_outbox_row(session):
    consent = record_consent(session, "sender-3", True, "nb", "1", settings(), NOW)
    application = submit_application(session, consent, PAYLOAD, ["bpa", "relief_care"], "nb", settings(), NOW)
    assert application.reference.startswith("VV-2026-") and len(application.reference) == 14
    [message] = application.outbox
    assert message.status == "pending" and message.idempotency_key == f"{application.reference}:folder"


def test_retention_deletes_what_is_due_and_keeps_the_rest(session):
    short = settings(VEIVISER_RETENTION_DAYS="30")
    old_consent = record_consent(session, "sender-4", True, "en", "1", short, NOW - timedelta(days=31))
    old = submit_application(session, old_consent, PAYLOAD, ["bpa"], "en", short, NOW - timedelta(days=31))
    new_consent = record_consent(session, "sender-5", True, "en", "1", short, NOW)
    new = submit_application(session, new_consent, PAYLOAD, ["bpa"], "en", short, NOW)
    old_id, new_id = old.id, new.id
    counts = purge_expired(session, NOW)
    session.commit()
    assert counts["applications"] >= 1 and counts["consents"] >= 1
    assert session.get(Application, old_id) is None and session.query(OutboxMessage).filter_by(application_id=old_id).count() == 0
    assert session.get(Application, new_id) is not None and session.get(Consent, new_consent.id) is not None


def test_production_refuses_to_start_without_a_key():
    with pytest.raises(ConfigError, match="VEIVISER_ENCRYPTION_KEY"):
        load_settings({"VEIVISER_ENV": "production", "VEIVISER_DATABASE_URL": "postgresql://db/veiviser"})


def test_a_rotated_key_still_decrypts_old_data():
    from knowledge.crypto import make_cipher, new_key

    old, new = new_key(), new_key()
    token = make_cipher(settings(VEIVISER_ENCRYPTION_KEY=old)).encrypt(b"secret")
    assert make_cipher(settings(VEIVISER_ENCRYPTION_KEY=new), old_keys=old).decrypt(token) == b"secret"


def test_a_malformed_key_is_a_clear_error():
    from knowledge.crypto import make_cipher

    with pytest.raises(ConfigError, match="Fernet key"):
        make_cipher(settings(VEIVISER_ENCRYPTION_KEY="not-a-key"))
