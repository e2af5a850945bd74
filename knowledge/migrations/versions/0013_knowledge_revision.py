"""the knowledge base's revision number

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:40:00

Processes keep the knowledge base's content in memory and read only this number each turn to see
whether an editor changed anything (knowledge/revision.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'knowledge_revision',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('value', sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 1}])


def downgrade() -> None:
    op.drop_table('knowledge_revision')
