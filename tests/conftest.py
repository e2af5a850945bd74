"""Test set-up: every run gets its own SQLite database, migrated and seeded like production."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

_DB_DIR = Path(tempfile.mkdtemp(prefix="veiviser-test-"))
os.environ["VEIVISER_DATABASE_URL"] = f"sqlite:///{_DB_DIR / 'test.db'}"
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
