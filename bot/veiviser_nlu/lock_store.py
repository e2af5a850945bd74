"""Rasa's lock store as Veiviser configures it: a Redis lock when ``VEIVISER_REDIS_URL`` is set
(required with more than one replica, so a conversation taken over by another replica is still
served one turn at a time), else Rasa's in-memory store (one replica, the single-machine default).

Configured in bot/endpoints.yml (``lock_store: type: veiviser_nlu.lock_store.ConfiguredLockStore``).

Why not Rasa's own Redis lock store: it reads a conversation's ticket list, adds a ticket and writes
the list back, so two replicas that take a ticket at the same moment can both believe they hold
the lock (rasa#9213; the fix was reverted, rasa#11428). It also makes seven blocking Redis calls
per turn on Rasa's event loop, and a turn that has to wait sleeps a whole second. Here a lock is
one atomic ``SET key token NX PX lifetime``, released by a script that deletes the key only while
it still holds the holder's own token; a waiting turn tries again within milliseconds. A replica
that dies holding a lock holds it for at most ``LOCK_SECONDS``.

Not kept from Rasa's store: the order of two messages of one conversation that wait at the same
moment (the widget sends one at a time), and a lock renewed while a turn runs longer than
``LOCK_SECONDS`` (the web app gives up on a turn after a few seconds).
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from time import monotonic
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore

from knowledge.config import load_settings

logger = logging.getLogger(__name__)

#: The longest a turn holds its conversation's lock (the web app gives up on a turn after a few
#: seconds; a replica killed mid-turn blocks its conversations no longer than this).
LOCK_SECONDS = 20.0
#: A waiting turn tries again after this long at first, then up to MOST_PAUSE (doubling).
FIRST_PAUSE, MOST_PAUSE = 0.005, 0.1
#: Deletes the lock only if it still holds this holder's token (it may have expired and been taken).
RELEASE = """if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end"""


class RedisLocks(LockStore):
    """One lock per conversation in Redis, shared by every replica."""

    def __init__(self, url: str, key_prefix: str = "veiviser:lock:", lock_seconds: float = LOCK_SECONDS) -> None:
        super().__init__()
        self.url, self.key_prefix, self.lock_seconds = url, key_prefix, lock_seconds
        self._client: Any = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    def client(self) -> Any:
        """An asyncio Redis client for the running event loop (its connections belong to one loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            import redis.asyncio

            self._client = redis.asyncio.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
            self._client_loop = loop
        return self._client

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float | None = None,
                   wait_time_in_seconds: float = 0) -> AsyncIterator[TicketLock]:
        """Rasa's only use of a lock store: ``async with lock_store.lock(conversation_id)``."""
        client, key, token = self.client(), f"{self.key_prefix}{conversation_id}", secrets.token_hex(16)
        lifetime = min(lock_lifetime or self.lock_seconds, self.lock_seconds)
        deadline, pause = monotonic() + lifetime, FIRST_PAUSE
        while not await client.set(key, token, nx=True, px=int(lifetime * 1000)):
            if monotonic() > deadline:  # the holder neither finished nor let its lock run out
                raise LockError("Could not acquire the conversation's lock.")  # names no conversation
            await asyncio.sleep(pause)
            pause = min(pause * 2, MOST_PAUSE)
        try:
            yield TicketLock(conversation_id)
        finally:
            try:
                await client.eval(RELEASE, 1, key, token)
            except Exception as error:  # noqa: BLE001 - the turn is done; its lock runs out by itself
                logger.warning("conversation lock not released (%s): it runs out within %.0f s", type(error).__name__, lifetime)


class ConfiguredLockStore(LockStore):
    """Passes Rasa's lock to the store the settings choose."""

    def __init__(self, endpoint_config: Any = None) -> None:
        url = load_settings().redis_url
        self.store: LockStore = RedisLocks(url) if url else InMemoryLockStore()
        super().__init__()

    def lock(self, conversation_id: str, *args: Any, **kwargs: Any):
        return self.store.lock(conversation_id, *args, **kwargs)
