"""Every table Veiviser has: importing this completes ``Base.metadata`` for Alembic and tests."""
from knowledge import (
    conversation_store,  # noqa: F401 - registers the table
    feedback,  # noqa: F401 - registers the table
    revision,  # noqa: F401 - registers the table
    unanswered,  # noqa: F401 - registers the table
)
from knowledge.applications import models as application_models  # noqa: F401 - registers the tables
from knowledge.handoff import live_chat  # noqa: F401 - registers the tables
from knowledge.insight import usage  # noqa: F401 - registers the table
from knowledge.models import Base
from knowledge.staff import content as staff_content  # noqa: F401 - registers the tables
from knowledge.staff import models as staff_models  # noqa: F401 - registers the tables
from knowledge.staff import records as staff_records  # noqa: F401 - registers the table

__all__ = ["Base"]
