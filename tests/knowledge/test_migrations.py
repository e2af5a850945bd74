"""The Alembic migrations build exactly the schema the models describe, and downgrade cleanly."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from knowledge.db import make_engine, migrate
from knowledge.schema import Base


def test_migrations_match_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    migrate(str(engine.url))
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert {"services", "service_content", "service_sources", "source_documents", "contact_points",
            "contact_content", "phone_hours"} <= set(inspect(engine).get_table_names())


def test_downgrade_removes_everything(tmp_path):
    from alembic import command
    from alembic.config import Config

    from knowledge.db import MIGRATIONS_DIR

    url = f"sqlite:///{tmp_path / 'down.db'}"
    migrate(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    command.downgrade(config, "base")
    assert set(inspect(make_engine(url)).get_table_names()) <= {"alembic_version"}
