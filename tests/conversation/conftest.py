"""One assistant (Rasa + action server on their own ports) shared by the conversation tests, so a
developer's `make run` is left alone and the servers start once."""
from __future__ import annotations

import pytest

from tests.conversation.chat import MODEL
from veiviser_eval.servers import assistant


@pytest.fixture(scope="package")
def rasa(seeded_database, tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does it for you)")
    with assistant(MODEL, tmp_path_factory.mktemp("logs"), rasa_port=5105, actions_port=5155) as url:
        yield url
