"""The throw-away PostgreSQL and Redis servers the tests start (veiviser_eval.services)."""
from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy import create_engine, text

from veiviser_eval.services import (
    Postgres,
    Redis,
    postgres_available,
    redis_available,
    running_postgres,
    running_redis,
)

# CI installs both (scripts/ensure_services.sh): there a missing binary fails instead of skipping.
IN_CI = bool(os.environ.get("CI"))


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


@pytest.mark.skipif(not postgres_available() and not IN_CI,
                    reason="PostgreSQL's server binaries are not installed (scripts/ensure_services.sh installs them)")
def test_postgres_keeps_its_data_across_stop_and_start(tmp_path):
    with running_postgres(tmp_path) as server:
        assert server.url.startswith("postgresql+psycopg2://veiviser@127.0.0.1:")
        engine = create_engine(server.url, future=True)
        try:
            with engine.begin() as connection:
                assert connection.execute(text("SELECT current_user, current_database()")).one() == ("veiviser", "veiviser")
                connection.execute(text("CREATE TABLE notes (body text)"))  # the role owns the database
                connection.execute(text("INSERT INTO notes VALUES ('kept')"))
            engine.dispose()
            server.stop()
            assert _refused(server.port)
            server.start()
            with engine.connect() as connection:
                assert connection.execute(text("SELECT body FROM notes")).scalars().all() == ["kept"]
        finally:
            engine.dispose()
        data = server.root
    assert _refused(server.port)
    assert not data.exists()  # stopped and removed


@pytest.mark.skipif(not redis_available() and not IN_CI,
                    reason="redis-server is not installed (scripts/ensure_services.sh installs it)")
def test_redis_answers_ping_and_restarts_on_the_same_port(tmp_path):
    import redis

    with running_redis(tmp_path) as server:
        assert server.url.startswith("redis://127.0.0.1:")
        client = redis.Redis.from_url(server.url)
        assert client.ping() is True
        client.set("key", "value")
        assert client.get("key") == b"value"
        assert client.config_get("bind")["bind"] == "127.0.0.1"
        assert client.config_get("save")["save"] == ""  # no persistence
        client.close()
        server.stop()
        assert _refused(server.port)
        server.start()
        client = redis.Redis.from_url(server.url)
        assert client.ping() is True
        assert client.get("key") is None  # nothing was kept
        client.close()
    assert _refused(server.port)


@pytest.mark.skipif(not (postgres_available() and redis_available()) and not IN_CI,
                    reason="PostgreSQL or Redis is not installed (scripts/ensure_services.sh installs them)")
def test_a_port_taken_before_the_first_start_is_replaced_by_a_free_one(tmp_path):
    with socket.socket() as holder:  # another program got the "free" port first
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        for server in (Postgres(tmp_path, port=taken), Redis(tmp_path, port=taken)):
            try:
                server.start()
                assert server.port != taken and str(server.port) in server.url
                assert not _refused(server.port)
            finally:
                server.remove()
