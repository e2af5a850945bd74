"""field sources: which texts each service source supports, and the law it cites

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:00:00

Existing rows get no field list, which means "all texts" (as before), until `python -m knowledge
seed` or an editor sets them.
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('law', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('service_sources', schema=None) as batch_op:
        batch_op.drop_column('law')
        batch_op.drop_column('fields')
