"""The Alembic migrations build exactly the schema the models describe, and downgrade cleanly."""
from __future__ import annotations

import os

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from knowledge.db import alembic_config, downgrade, make_engine, migrate
from knowledge.schema import Base
from veiviser_eval.services import postgres_available, running_postgres


def test_migrations_match_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    migrate(str(engine.url))
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert {"services", "service_content", "service_sources", "source_documents", "contact_points",
            "contact_content", "phone_hours"} <= set(inspect(engine).get_table_names())


def test_downgrade_removes_everything(tmp_path):
    url = f"sqlite:///{tmp_path / 'down.db'}"
    migrate(url)
    downgrade(url, "base")
    assert set(inspect(make_engine(url)).get_table_names()) <= {"alembic_version"}


# PostgreSQL (production's database): every migration up, every one down, and up again. CI installs
# PostgreSQL (scripts/ensure_services.sh), so there a missing server fails instead of skipping.
requires_postgres = pytest.mark.skipif(
    not postgres_available() and not os.environ.get("CI"),
    reason="PostgreSQL's server binaries are not installed (scripts/ensure_services.sh installs them)")


def _state(engine) -> tuple[str | None, frozenset[str]]:
    """The Alembic revision the database is at, and its tables (besides alembic_version)."""
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    return revision, frozenset(set(inspect(engine).get_table_names()) - {"alembic_version"})


@requires_postgres
def test_every_migration_up_down_and_up_again_on_postgresql(tmp_path):
    revisions = [script.revision for script in reversed(list(ScriptDirectory.from_config(alembic_config("x")).walk_revisions()))]
    assert len(revisions) >= 11 and revisions[0] == "0001"
    with running_postgres(tmp_path) as server:
        engine = make_engine(server.url)
        try:
            assert _state(engine) == (None, frozenset())
            states = [_state(engine)]
            for revision in revisions:  # one at a time: each migration runs on what the one before left
                command.upgrade(alembic_config(server.url), revision)
                states.append(_state(engine))
                assert states[-1][0] == revision
            assert {"services", "service_content", "source_documents", "applications", "staff_users"} <= states[-1][1]
            with engine.connect() as connection:
                assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []

            for expected in reversed(states[:-1]):  # each downgrade leaves what its upgrade found
                downgrade(server.url, "-1")
                assert _state(engine) == expected
            assert _state(engine) == (None, frozenset())

            migrate(server.url)
            assert _state(engine) == states[-1]
        finally:
            engine.dispose()
