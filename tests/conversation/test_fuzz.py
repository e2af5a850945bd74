"""A short run of `make fuzz` in every test run (the long one is `make fuzz`): hypothesis-made chat,
eligibility and staff inputs, signed out and signed in as an admin, against the web app in front
of the real assistant; not one 5xx and not one timeout."""
from __future__ import annotations

import pytest

from veiviser_eval.fuzz import fuzz, prepare_database, web_app

pytestmark = pytest.mark.model


def test_no_input_gives_a_server_error_or_a_timeout(rasa, tmp_path, monkeypatch):
    # The signed-in forms save what validates: the web app gets a database of its own for this run.
    monkeypatch.setenv("VEIVISER_DATABASE_URL", f"sqlite:///{tmp_path / 'fuzz.db'}")
    prepare_database()
    with web_app(rasa, tmp_path) as web:
        tallies = fuzz(web, chat=300, eligibility=300, staff=200, seconds=300, live=200, signed_in=300)
    for tally in tallies:
        assert not tally.server_errors, tally.server_errors[:5]
    assert len(tallies) == 5 and sum(t.tried for t in tallies) >= 300
