"""Slowing down password guessing without handing strangers a way to lock staff out.

Failures are counted per (username, client) and per client, in a sliding window. Five wrong
passwords for one name from one client pause that pair for ``PAUSE``; twenty from one client, for
any names, pause the client. The account itself is never locked, so someone guessing from
elsewhere cannot keep a case worker out, and an unknown name is treated exactly like a known one
(no way to tell which names exist). Counts live in the web process's memory: a restart forgets
them, and each web process counts on its own.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

PAIR_FAILURES = 5
CLIENT_FAILURES = 20
WINDOW_SECONDS = 15 * 60
PAUSE_MINUTES = 15
#: Forget a key once this many are tracked (a flood of made-up names must not fill the memory).
MAX_KEYS = 100_000


class LoginThrottle:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._failures: dict[tuple[str, ...], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, client: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ("pair", username.strip().lower(), client), ("client", client)

    def _recent(self, key: tuple[str, ...], now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - WINDOW_SECONDS:
            times.popleft()
        return times

    def paused(self, username: str, client: str) -> bool:
        """Whether this client may not try this name (or any name) now."""
        now = self._clock()
        pair, whole = self._keys(username, client)
        with self._lock:
            return len(self._recent(pair, now)) >= PAIR_FAILURES or len(self._recent(whole, now)) >= CLIENT_FAILURES

    def failures(self, username: str, client: str) -> int:
        with self._lock:
            return len(self._recent(self._keys(username, client)[0], self._clock()))

    def failed(self, username: str, client: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:
                self._failures.clear()
            for key in self._keys(username, client):
                self._recent(key, now).append(now)

    def succeeded(self, username: str, client: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(username, client)[0], None)
