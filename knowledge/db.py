"""Database engine, sessions and migrations (SQLAlchemy 1.4 with 2.0-style usage)."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

import knowledge.revision  # noqa: F401 - its flush listener moves the revision on every content change
from knowledge.config import load_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def ensure_sqlite_folder(database_url: str) -> None:
    """A fresh clone has no var/ folder; SQLite will not create it."""
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


SQLITE_BUSY_SECONDS = 2


#: PostgreSQL: a server that does not accept the connection within this long counts as down; a
#: locked row is waited for as long as SQLite waits for a locked file (``busy_seconds``), so a
#: thread is never held by a lock for longer than that.
CONNECT_SECONDS = 2


def make_engine(database_url: str, busy_seconds: float = SQLITE_BUSY_SECONDS, pre_ping: bool = True,
                autocommit: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys on and its folder created. ``pre_ping``: each
    connection taken from the pool is tried first, so a database restarted since is never noticed
    by the caller (one more round trip; ``knowledge.revision`` retries instead). ``autocommit``:
    every statement is its own transaction (no BEGIN, no rollback when the connection goes back)."""
    ensure_sqlite_folder(database_url)
    # SQLite waits this long for another writer before it gives up (its default is 5 s): a family
    # is told "not sent, try again" within the web app's time limit instead of hearing nothing.
    connect_args = ({"timeout": busy_seconds} if database_url.startswith("sqlite")
                    else {"connect_timeout": CONNECT_SECONDS, "options": f"-c lock_timeout={int(busy_seconds * 1000)}"}
                    if database_url.startswith("postgresql") else {})
    engine = create_engine(database_url, future=True, pool_pre_ping=pre_ping, connect_args=connect_args,
                           **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _enable_foreign_keys(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


@cache
def engine_for(database_url: str) -> Engine:
    """One engine (and connection pool) per database for the life of the process."""
    return make_engine(database_url)


@cache
def default_engine() -> Engine:
    return engine_for(load_settings().database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker:
    return sessionmaker(bind=engine or default_engine(), future=True, expire_on_commit=False)


def new_session(engine: Engine | None = None) -> Session:
    return session_factory(engine)()


def alembic_config(database_url: str) -> AlembicConfig:
    """Alembic's configuration for ``database_url`` (our migrations, no alembic.ini)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(database_url: str) -> None:
    """Bring the schema to the newest Alembic revision."""
    ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), "head")


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the schema down to ``revision`` ("base": no tables of ours left)."""
    command.downgrade(alembic_config(database_url), revision)
