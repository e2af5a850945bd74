"""The widget's labels come from the catalogs, in each language, with the text direction."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from knowledge.config import load_settings
from web.app import create_app
from web.widget import widget_labels


@pytest.fixture
async def client():
    client = TestClient(TestServer(create_app(load_settings(), background=False)))
    await client.start_server()
    yield client
    await client.close()


@pytest.mark.parametrize("language,direction,send", [("nb", "ltr", "Send"), ("en", "ltr", "Send"), ("ar", "rtl", "إرسال"), ("ti", "ltr", None)])
async def test_labels_per_language(client, language, direction, send):
    data = await (await client.get(f"/widget/i18n/{language}.json")).json()
    assert data["dir"] == direction and data["phone"] == "94 83 72 85"
    assert set(data["messages"]) == set(widget_labels()) and len(widget_labels()) > 25
    if send:
        assert data["messages"]["Send"] == send
    if language in ("ar", "ti"):  # every label translated, none left in English
        assert all(text != label for label, text in data["messages"].items() if label not in ("Veiviser",))


async def test_unknown_language_is_a_clear_404(client):
    response = await client.get("/widget/i18n/xx.json")
    assert response.status == 404 and "nb, en, ar, ti" in await response.text()


async def test_the_demo_page_embeds_the_widget_with_one_script_tag(client):
    page = await (await client.get("/")).text()
    assert page.count("<script") == 1 and 'src="/static/widget/veiviser.js"' in page
    assert (await client.get("/static/widget/veiviser.css")).status == 200
