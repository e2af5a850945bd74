"""Counting requests in a sliding window, to slow down whoever sends too many: password guessing
at the staff login, and a flood of chat messages from one client.

Login: failures are counted per (username, client) and per client. Five wrong passwords for one
name from one client pause that pair for ``PAUSE_MINUTES``; twenty from one client, for any names,
pause the client. The account itself is never locked, so someone guessing from elsewhere cannot
keep a case worker out, and an unknown name is treated exactly like a known one (no way to tell
which names exist).

Counts live in the process's memory: a restart forgets them, and each web process counts on its own.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable

PAIR_FAILURES = 5
CLIENT_FAILURES = 20
WINDOW_SECONDS = 15 * 60
PAUSE_MINUTES = 15
#: Forget every key once this many are tracked (a flood of made-up names must not fill the memory).
MAX_KEYS = 100_000


class SlidingWindow:
    """How many times each key was counted in the last ``seconds``."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.seconds, self._clock = limit, seconds, clock
        self._times: dict[Hashable, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: Hashable, now: float) -> deque[float]:
        times = self._times[key]
        while times and times[0] <= now - self.seconds:
            times.popleft()
        return times

    def count(self, key: Hashable) -> int:
        with self._lock:
            return len(self._recent(key, self._clock()))

    def full(self, key: Hashable) -> bool:
        return self.count(key) >= self.limit

    def add(self, key: Hashable) -> None:
        now = self._clock()
        with self._lock:
            if len(self._times) > MAX_KEYS:
                self._times.clear()
            self._recent(key, now).append(now)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._times.pop(key, None)


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._pairs = SlidingWindow(PAIR_FAILURES, WINDOW_SECONDS, clock)
        self._clients = SlidingWindow(CLIENT_FAILURES, WINDOW_SECONDS, clock)

    @staticmethod
    def _pair(username: str, client: str) -> tuple[str, str]:
        return username.strip().lower(), client

    def paused(self, username: str, client: str) -> bool:
        """Whether this client may not try this name (or any name) now."""
        return self._pairs.full(self._pair(username, client)) or self._clients.full(client)

    def failures(self, username: str, client: str) -> int:
        return self._pairs.count(self._pair(username, client))

    def failed(self, username: str, client: str) -> None:
        self._pairs.add(self._pair(username, client))
        self._clients.add(client)

    def succeeded(self, username: str, client: str) -> None:
        self._pairs.forget(self._pair(username, client))


class ChatLimit:
    """Messages per conversation and per client in a minute: far more than a family types (the
    widget sends one message at a time), far fewer than a script flooding the assistant."""

    PER_CONVERSATION, SECONDS = 30, 60

    def __init__(self, per_client: int = 300, clock: Callable[[], float] = time.monotonic):
        self._conversations = SlidingWindow(self.PER_CONVERSATION, self.SECONDS, clock)
        self._clients = SlidingWindow(per_client, self.SECONDS, clock)

    def allow(self, sender: str, client: str) -> bool:
        if self._conversations.full((sender, client)) or self._clients.full(client):
            return False
        self._conversations.add((sender, client))
        self._clients.add(client)
        return True
