"""POST /api/feedback and its comment: created, refused with a reason, and limited per client."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from knowledge.config import load_settings
from knowledge.db import default_engine, new_session
from knowledge.feedback import AnswerFeedback
from web.app import create_app

CARD = {"type": "service_card", "service": "bpa", "aspect": "who_for"}


@pytest.fixture
async def api():
    client = TestClient(TestServer(create_app(load_settings(), background=False)))
    await client.start_server()
    yield client
    await client.close()


async def test_a_no_with_a_comment_after_it(api):
    given = await api.post("/api/feedback", json={"language": "ar", "card": CARD, "helpful": False})
    assert given.status == 201
    answer = await given.json()
    commented = await api.post(f"/api/feedback/{answer['id']}/comment",
                               json={"comment_token": answer["comment_token"], "comment": "لم أفهم من يحق له"})
    assert commented.status == 200
    again = await api.post(f"/api/feedback/{answer['id']}/comment", json={"comment_token": answer["comment_token"], "comment": "x"})
    assert again.status == 409
    with new_session(default_engine()) as session:
        row = session.get(AnswerFeedback, answer["id"])
        assert (row.language, row.key, row.aspect, row.helpful, row.traffic) == ("ar", "bpa", "who_for", False, "real")


async def test_a_yes_gets_no_comment_token_and_bad_requests_say_why(api):
    yes = await api.post("/api/feedback", json={"language": "ti", "card": CARD, "helpful": True, "traffic": "test"})
    assert yes.status == 201 and "comment_token" not in await yes.json()
    bad = await api.post("/api/feedback", json={"language": "ti", "card": CARD, "helpful": "maybe"})
    assert bad.status == 400 and "helpful" in await bad.text()
    assert (await api.post("/api/feedback", data=b"not json", headers={"Content-Type": "application/json"})).status == 400
    assert (await api.post("/api/feedback/1/comment", json={"comment": 5, "comment_token": "t"})).status == 400
