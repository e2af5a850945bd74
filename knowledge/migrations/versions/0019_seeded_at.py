"""when the seed content was loaded, so a record's first version is dated then

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 13:00:00

The history pages showed the seed version dated at the first edit. Service texts, contact points
and service settings take the time from their own row; the eligibility parameters, which have no
row, take it from here. An existing database gets the oldest time among its services, texts and
contact points (an edit moves a row's time on, so the oldest is the closest to the seeding; seed
versions stored before this migration keep the date of the first edit).
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('knowledge_revision') as batch:
        batch.add_column(sa.Column('seeded_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE knowledge_revision SET seeded_at = (SELECT min(oldest) FROM ("
               "SELECT min(updated_at) AS oldest FROM services UNION ALL "
               "SELECT min(updated_at) FROM service_content UNION ALL "
               "SELECT min(updated_at) FROM contact_points) AS content_rows)")


def downgrade() -> None:
    with op.batch_alter_table('knowledge_revision') as batch:
        batch.drop_column('seeded_at')
