"""Fixtures for the web app's staff pages: the staff accounts every role test uses, and a client
for an app without its background work."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from knowledge.config import load_settings
from knowledge.db import default_engine, new_session
from knowledge.staff.accounts import AccountError, create_user
from web.app import create_app

PASSWORD = "a-long-enough-password"


@pytest.fixture(scope="module")
def users():
    with new_session(default_engine()) as session:
        for name, role in (("kari.case", "case_worker"), ("ed.itor", "editor"), ("ada.admin", "admin"), ("lock.me", "case_worker")):
            try:
                create_user(session, name, PASSWORD, role)
            except AccountError:
                pass  # created by an earlier test module run against the same database
        session.commit()


@pytest.fixture
async def client(users):
    client = TestClient(TestServer(create_app(load_settings(), background=False)))
    await client.start_server()
    yield client
    await client.close()


