"""Which Rasa replica answers a conversation.

Each conversation goes to one replica, chosen by rendezvous hashing of its sender id (the highest
hash of sender and replica wins), so two replicas never serve one conversation at the same moment
and adding or removing a replica moves only the conversations that were on it. A replica that
could not be reached is passed over for a while; its conversations go to the next replica in
their own order (the conversation is in the database, so any replica can continue it) and come
back when it answers again.
"""
from __future__ import annotations

import hashlib
from time import monotonic

#: How long a replica that failed is tried only after the others.
COOLDOWN_SECONDS = 10.0


def _score(sender: str, url: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{url}\n{sender}".encode(), digest_size=8).digest(), "big")


class Replicas:
    def __init__(self, urls: tuple[str, ...], cooldown: float = COOLDOWN_SECONDS):
        self.urls = urls
        self._cooldown = cooldown
        self._failed_at: dict[str, float] = {}

    def order_for(self, sender: str) -> list[str]:
        """The replicas to try for this conversation: its own first, then its fail-over order; those
        that failed lately go last (better a replica that may be back than no answer)."""
        ranked = sorted(self.urls, key=lambda url: _score(sender, url), reverse=True)
        now = monotonic()
        resting = {url for url, at in self._failed_at.items() if now - at < self._cooldown}
        return [url for url in ranked if url not in resting] + [url for url in ranked if url in resting]

    def number(self, url: str) -> int:
        """A replica's number for the logs (1, 2, …): its address says nothing more useful there."""
        return self.urls.index(url) + 1

    def failed(self, url: str) -> None:
        self._failed_at[url] = monotonic()

    def answered(self, url: str) -> None:
        self._failed_at.pop(url, None)
