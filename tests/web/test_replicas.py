"""One replica per conversation, the next when it cannot be reached, and back when it answers."""
from __future__ import annotations

from collections import Counter

from web.replicas import Replicas

URLS = ("http://rasa1:5005", "http://rasa2:5005", "http://rasa3:5005")


def test_a_conversation_always_goes_to_the_same_replica():
    replicas = Replicas(URLS)
    assert all(replicas.order_for(f"conv-{n:05d}")[0] == Replicas(URLS).order_for(f"conv-{n:05d}")[0] for n in range(100))


def test_conversations_are_spread_over_the_replicas():
    first = Counter(Replicas(URLS).order_for(f"conv-{n:05d}")[0] for n in range(3000))
    assert all(800 < first[url] < 1200 for url in URLS)


def test_removing_a_replica_moves_only_its_own_conversations():
    before, after = Replicas(URLS), Replicas(URLS[:2])
    for n in range(500):
        sender = f"conv-{n:05d}"
        if before.order_for(sender)[0] != URLS[2]:
            assert after.order_for(sender)[0] == before.order_for(sender)[0]


def test_a_failed_replica_goes_last_for_a_while_then_comes_back():
    replicas = Replicas(URLS, cooldown=0.0)
    sender = "conv-failover-1"
    own = replicas.order_for(sender)
    waiting = Replicas(URLS, cooldown=60.0)
    waiting.failed(own[0])
    assert waiting.order_for(sender) == [*own[1:], own[0]]
    waiting.answered(own[0])
    assert waiting.order_for(sender) == own
    replicas.failed(own[0])  # a cooldown of 0: tried first again at once
    assert replicas.order_for(sender) == own
