"""A short run of `make fuzz` in every test run (the long one is `make fuzz`): hypothesis-made chat,
eligibility and staff inputs against the web app in front of the real assistant; not one 5xx and
not one timeout."""
from __future__ import annotations

import pytest

from veiviser_eval.fuzz import fuzz, web_app

pytestmark = pytest.mark.model


def test_no_input_gives_a_server_error_or_a_timeout(rasa, tmp_path):
    with web_app(rasa, tmp_path) as web:
        tallies = fuzz(web, chat=300, eligibility=300, staff=200, seconds=240, live=200)
    for tally in tallies:
        assert not tally.server_errors, tally.server_errors[:5]
    assert sum(t.tried for t in tallies) >= 300
