"""The Redis lock two replicas share: one turn of a conversation at a time, across replicas, with
no lost lock when two take it at the same moment (Rasa's own store can: rasa#9213), and a lock left
by a dead replica that runs out."""
from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError

from veiviser_eval.services import redis_available, running_redis
from veiviser_nlu.lock_store import ConfiguredLockStore, RedisLocks

pytestmark = pytest.mark.skipif(not redis_available(), reason="redis-server is not installed (make test installs it)")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with running_redis(tmp_path_factory.mktemp("redis")) as redis:
        yield redis.url


async def test_two_replicas_never_serve_one_conversation_at_the_same_moment(redis_url):
    replicas = [RedisLocks(redis_url), RedisLocks(redis_url)]
    inside, most_inside, turns = 0, 0, []

    async def turn(number: int) -> None:
        nonlocal inside, most_inside
        async with replicas[number % 2].lock("lock-one-conversation"):
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.002)  # the turn's work, with other turns waiting meanwhile
            turns.append(number)
            inside -= 1

    started = time.monotonic()
    await asyncio.gather(*(turn(number) for number in range(40)))
    assert most_inside == 1 and sorted(turns) == list(range(40))
    assert time.monotonic() - started < 5  # waiting turns go on within milliseconds, not a second each


async def test_other_conversations_do_not_wait(redis_url):
    locks = RedisLocks(redis_url)
    async with locks.lock("lock-busy-conversation"):
        started = time.monotonic()
        async with locks.lock("lock-another-conversation"):
            pass
        assert time.monotonic() - started < 0.5


async def test_a_lock_left_by_a_dead_replica_runs_out_and_its_late_release_takes_nothing(redis_url):
    dead, alive = RedisLocks(redis_url, lock_seconds=0.3), RedisLocks(redis_url, lock_seconds=0.3)
    held = dead.lock("lock-dead-replica")
    await held.__aenter__()  # the replica dies here: it never releases
    started = time.monotonic()
    async with alive.lock("lock-dead-replica"):
        assert 0.2 < time.monotonic() - started < 2
        await held.__aexit__(None, None, None)  # a late release of the expired lock
        client = alive.client()
        assert await client.exists("veiviser:lock:lock-dead-replica")  # the new holder keeps its lock
    assert not await alive.client().exists("veiviser:lock:lock-dead-replica")


async def test_a_turn_that_cannot_get_the_lock_in_time_fails_without_naming_the_conversation(redis_url):
    holder, waiter = RedisLocks(redis_url, lock_seconds=5), RedisLocks(redis_url, lock_seconds=0.2)
    async with holder.lock("lock-held-12345678901"):
        with pytest.raises(LockError) as raised:
            async with waiter.lock("lock-held-12345678901"):
                pass
    assert "12345678901" not in str(raised.value)


def test_the_settings_choose_redis_or_memory(monkeypatch, redis_url):
    monkeypatch.setenv("VEIVISER_REDIS_URL", redis_url)
    assert isinstance(ConfiguredLockStore().store, RedisLocks)
    monkeypatch.delenv("VEIVISER_REDIS_URL")
    assert isinstance(ConfiguredLockStore().store, InMemoryLockStore)
