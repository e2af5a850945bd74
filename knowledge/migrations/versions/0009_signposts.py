"""signposts: entries for what another body handles, stored as services of kind "signpost"

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:10:00

A signpost may have no contact point of its own (NAV, the hospital), so the contact becomes
optional; every existing row is a service.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='service'))
        batch_op.alter_column('contact_key', existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM services WHERE kind = 'signpost'")
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.alter_column('contact_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('kind')
