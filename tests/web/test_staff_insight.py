"""The dashboard page and its CSV: the period's figures, a comment escaped, a wrong period said
plainly, and only editors and admins."""
from __future__ import annotations

from datetime import datetime

from knowledge import feedback
from knowledge.db import default_engine, new_session
from knowledge.insight import usage
from knowledge.insight.usage import OSLO
from knowledge.turn import Turn
from tests.web.test_staff import login


def a_comment(text: str) -> None:
    with new_session(default_engine()) as session:
        row = feedback.record(session, feedback.read({"language": "en", "card": {"type": "service_card", "service": "bpa"},
                                                      "helpful": False}))
        feedback.add_comment(session, row.id, row.comment_token, text)
        session.commit()


def a_turn() -> None:
    usage.record(Turn("What is BPA?", conversation_id="insight-page"), "en", usage.Usage("answered", "service", "bpa"))
    usage.flush()


async def test_the_dashboard_shows_the_period_with_comments_escaped_and_exports_csv(client):
    a_comment('<script>alert("x")</script> the hours were missing')
    a_turn()
    await login(client, "ed.itor")
    today = datetime.now(OSLO).date().isoformat()
    page = await client.get(f"/staff/insight?fra={today}&til={today}")
    text = await page.text()
    assert page.status == 200 and "Var svaret til hjelp?" in text and "Brukerstyrt personlig assistanse" in text
    assert "<script>" not in text.replace("<script src=", "") and "&lt;[…]&gt;[…](&#34;x&#34;)&lt;/[…]&gt;" in text and "<svg" in text  # redacted, then escaped
    csv = await client.get(f"/staff/insight.csv?fra={today}&til={today}")
    assert csv.status == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert "tilbakemelding,bpa,nei," in await csv.text()
    wrong = await (await client.get("/staff/insight?fra=2026-13-01")).text()
    assert "Datoene må skrives som åååå-mm-dd" in wrong


async def test_case_workers_do_not_see_the_dashboard(client):
    await login(client, "kari.case")
    assert (await client.get("/staff/insight")).status == 403
