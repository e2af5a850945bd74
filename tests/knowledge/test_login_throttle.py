"""Guessing is slowed per name and client, a stranger cannot lock a case worker out, and a flood
of chat messages is slowed (issue 14)."""
from __future__ import annotations

from knowledge.throttle import CLIENT_FAILURES, PAIR_FAILURES, WINDOW_SECONDS, LoginThrottle


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_stranger_guessing_does_not_keep_the_real_user_out():
    throttle = LoginThrottle(Clock())
    for _ in range(PAIR_FAILURES):
        throttle.failed("kari.case", "203.0.113.9")
    assert throttle.paused("kari.case", "203.0.113.9")
    assert not throttle.paused("kari.case", "198.51.100.4")  # Kari at her own desk


def test_many_names_from_one_client_pause_that_client_and_the_pause_ends():
    clock = Clock()
    throttle = LoginThrottle(clock)
    for number in range(CLIENT_FAILURES):
        throttle.failed(f"guess{number}", "203.0.113.9")
    assert throttle.paused("another.name", "203.0.113.9")
    clock.now += WINDOW_SECONDS + 1
    assert not throttle.paused("another.name", "203.0.113.9")


def test_a_success_forgets_that_names_failures():
    throttle = LoginThrottle(Clock())
    for _ in range(PAIR_FAILURES - 1):
        throttle.failed("ed.itor", "127.0.0.1")
    throttle.succeeded("ed.itor", "127.0.0.1")
    assert throttle.failures("ed.itor", "127.0.0.1") == 0


def test_a_flood_of_chat_messages_is_slowed_but_a_family_typing_is_not():
    from knowledge.throttle import ChatLimit

    clock = Clock()
    limit = ChatLimit(clock=clock)
    for _ in range(ChatLimit.PER_CONVERSATION):
        assert limit.allow("family-0001", "203.0.113.9")
    assert not limit.allow("family-0001", "203.0.113.9")
    assert limit.allow("family-0002", "203.0.113.9")  # another family at the same library
    clock.now += ChatLimit.SECONDS + 1
    assert limit.allow("family-0001", "203.0.113.9")
