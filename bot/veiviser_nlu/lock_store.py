"""Rasa's lock store as Veiviser configures it: Redis when ``VEIVISER_REDIS_URL`` is set (required
with more than one replica, so a conversation taken over by another replica is still served one
turn at a time), else Rasa's in-memory store (one replica, the single-machine default).

Configured in bot/endpoints.yml (``lock_store: type: veiviser_nlu.lock_store.ConfiguredLockStore``).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from knowledge.config import load_settings


def redis_lock_store(url: str) -> RedisLockStore:
    """Rasa's Redis lock store from a redis:// URL (Rasa wants host, port and password apart)."""
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"
    return RedisLockStore(host=parts.hostname or "127.0.0.1", port=parts.port or 6379, db=int(database),
                          username=unquote(parts.username) if parts.username else None,
                          password=unquote(parts.password) if parts.password else None,
                          use_ssl=parts.scheme == "rediss", key_prefix="veiviser")


class ConfiguredLockStore(LockStore):
    """Passes Rasa's three lock operations to the store the settings choose."""

    def __init__(self, endpoint_config: Any = None) -> None:
        url = load_settings().redis_url
        self.store: LockStore = redis_lock_store(url) if url else InMemoryLockStore()
        super().__init__()

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self.store.get_lock(conversation_id)

    def delete_lock(self, conversation_id: str) -> None:
        self.store.delete_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self.store.save_lock(lock)
