"""The dashboard's figures equal counts computed independently from a seeded set of conversations:
each message below goes through the real actions (which record what each turn did), and the
expected figures are counted here from the seed's own table, not from the recorded rows. Test
traffic (the metadata `make eval` sends) is counted apart."""
from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime

import pytest
from rasa_sdk import Tracker
from sqlalchemy import delete

from actions.actions import ActionAnswerService, ActionFallback, ActionHumanHandoff, ActionSmallTalk
from knowledge.db import default_engine, new_session
from knowledge.feedback import AnswerFeedback
from knowledge.insight import usage
from knowledge.insight.figures import figures
from knowledge.insight.usage import OSLO, UsageTurn
from tests.actions.test_application_actions import run

SERVICE = ActionAnswerService
#: (conversation, language, action, text, intent, service entity, what the turn is: result and subject)
SEED = [
    ("a", "en", SERVICE, "What is relief care?", "ask_service", "relief_care", ("answered", "relief_care")),
    ("a", "en", SERVICE, "How much does relief care cost?", "ask_cost", "relief_care", ("answered", "relief_care")),
    ("a", "en", ActionFallback, "blørk fnugg zzz", "nlu_fallback", None, ("refused", None)),
    ("a", "en", ActionSmallTalk, "thanks", "thank", None, ("small_talk", None)),
    ("b", "ar", SERVICE, "ما هي بطاقة المرافق؟", "ask_service", "companion_card", ("answered", "companion_card")),
    ("b", "ar", ActionHumanHandoff, "أريد التحدث مع موظف", "human_handoff", None, ("person", None)),
    ("c", "ti", SERVICE, "ናይ ዕረፍቲ ሓገዝ እንታይ እዩ?", "ask_service", "relief_care", ("answered", "relief_care")),
    ("d", "nb", SERVICE, "Hva er BPA?", "ask_service", "bpa", ("answered", "bpa")),
    ("d", "nb", SERVICE, "Hva er ledsagerbevis?", "ask_service", "companion_card", ("answered", "companion_card")),
    ("d", "nb", ActionFallback, "qqq www", "nlu_fallback", None, ("refused", None)),
]
#: `make eval`'s traffic: marked as test in its messages' metadata.
TEST_TRAFFIC = [("t1", "en", SERVICE, "What is BPA?", "ask_service", "bpa"), ("t2", "nb", SERVICE, "Hva er avlastning?", "ask_service", "relief_care")]


def tracker(sender, language, text, intent, service, traffic=None):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.95},
              "entities": [{"entity": "service", "value": service}] if service else [],
              "metadata": {"language": language, **({"traffic": traffic} if traffic else {})}}
    return Tracker(sender, {"language": language}, latest, [{"event": "user", **latest}], False, None, {}, "action_listen")


@pytest.fixture
def counted_from_nothing():
    def clear():
        usage.flush()  # what other tests counted goes first
        with new_session(default_engine()) as session:
            session.execute(delete(UsageTurn))
            session.execute(delete(AnswerFeedback))
            session.commit()
    clear()
    yield
    clear()


async def test_the_figures_equal_counts_made_from_the_seed(counted_from_nothing):
    for conversation, language, action, text, intent, service, _expected in SEED:
        await run(action(), tracker(f"insight-{conversation}", language, text, intent, service))
    for conversation, language, action, text, intent, service in TEST_TRAFFIC:
        await run(action(), tracker(f"insight-{conversation}", language, text, intent, service, traffic="test"))

    assert usage.flush() == len(SEED) + len(TEST_TRAFFIC)  # written as one batch
    today = datetime.now(OSLO).date()
    with new_session(default_engine()) as session:
        result = figures(session, today, today)

    conversations = {row[0] for row in SEED}
    turns = Counter(row[0] for row in SEED)
    languages = {conversation: Counter(row[1] for row in SEED if row[0] == conversation).most_common(1)[0][0]
                 for conversation in conversations}
    questions = Counter(row[6][0] for row in SEED if row[6][0] in ("answered", "clarified", "refused", "person"))
    subjects = Counter(row[6][1] for row in SEED if row[6][0] == "answered" and row[6][1])

    assert result.conversations == len(conversations) == 4
    assert result.test_conversations == len({row[0] for row in TEST_TRAFFIC}) == 2
    assert dict(result.per_language) == Counter(languages.values())
    assert dict(result.per_day) == {today: len(conversations)}
    assert dict(result.results) == {name: questions.get(name, 0) for name in ("answered", "clarified", "refused", "person")}
    assert {key: count for _kind, key, count in result.subjects} == dict(subjects)
    assert result.median_turns == statistics.median(turns.values())
    assert dict(result.sent) == {"application": 0, "callback": 0}
