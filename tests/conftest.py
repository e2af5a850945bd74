"""Test set-up: every run gets its own database, migrated and seeded like production.

The database is a SQLite file, or, with ``VEIVISER_TEST_DATABASE=postgresql``, a throw-away
PostgreSQL server (``veiviser_eval.services``) started here and stopped when the session ends.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
from pathlib import Path

_DB_DIR = Path(tempfile.mkdtemp(prefix="veiviser-test-"))
TEST_DATABASE = os.environ.get("VEIVISER_TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
_SERVICES = contextlib.ExitStack()  # closed by pytest_sessionfinish, or at exit whatever happens
atexit.register(_SERVICES.close)
if TEST_DATABASE in ("postgresql", "postgres"):
    TEST_DATABASE = "postgresql"
    from veiviser_eval.services import running_postgres

    # Raises ServiceUnavailable (binaries missing: scripts/ensure_services.sh) rather than fall back.
    os.environ["VEIVISER_DATABASE_URL"] = _SERVICES.enter_context(running_postgres(_DB_DIR)).url
elif TEST_DATABASE == "sqlite":
    os.environ["VEIVISER_DATABASE_URL"] = f"sqlite:///{_DB_DIR / 'test.db'}"
else:
    raise ValueError(f"VEIVISER_TEST_DATABASE={TEST_DATABASE!r}: use 'sqlite' (the default) or 'postgresql'")
os.environ.setdefault("VEIVISER_ENV", "test")
os.environ["VEIVISER_KE_INBOX"] = str(_DB_DIR / "ke-inbox")
os.environ["VEIVISER_RECEIPT_DIR"] = str(_DB_DIR / "receipts")
if "VEIVISER_ENCRYPTION_KEY" not in os.environ:
    from cryptography.fernet import Fernet

    os.environ["VEIVISER_ENCRYPTION_KEY"] = Fernet.generate_key().decode()  # a fresh key per run
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

import pytest  # noqa: E402

from knowledge.config import load_settings  # noqa: E402
from knowledge.db import default_engine, migrate, new_session  # noqa: E402
from knowledge.seed import load_seed  # noqa: E402

LANGUAGES = ("nb", "en", "ar", "ti")


def pytest_report_header(config) -> str:
    return f"test database: {TEST_DATABASE} ({os.environ['VEIVISER_DATABASE_URL']})"


def pytest_sessionfinish(session, exitstatus) -> None:
    """Stop the PostgreSQL server (if any), after the last test, also when tests failed."""
    if TEST_DATABASE != "sqlite":
        default_engine().dispose()
    _SERVICES.close()


@pytest.fixture(scope="session", autouse=True)
def seeded_database() -> str:
    url = load_settings().database_url
    migrate(url)
    with new_session(default_engine()) as session:
        load_seed(session)
    return url


@pytest.fixture
def session():
    with new_session(default_engine()) as db_session:
        yield db_session


@pytest.fixture(scope="session")
def rasa(seeded_database, tmp_path_factory):
    """One assistant (Rasa + action server on free ports, so `make run` and another test run are
    left alone) for the conversation and browser tests; it starts once."""
    from tests.conversation.chat import MODEL
    from veiviser_eval.servers import assistant, free_port

    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it for you)")
    with assistant(MODEL, tmp_path_factory.mktemp("logs"), rasa_port=free_port(), actions_port=free_port()) as url:
        yield url


@pytest.fixture
def empty_queue():
    """No live chat, message or case worker's presence before and after the test (the live-chat
    tests of every package share these tables)."""
    from sqlalchemy import delete

    from knowledge.handoff.live_chat import CaseWorkerPresence, LiveChat, LiveChatMessage

    def clear():
        with new_session(default_engine()) as session:
            for table in (LiveChatMessage, LiveChat, CaseWorkerPresence):
                session.execute(delete(table))
            session.commit()
    clear()
    yield
    clear()
