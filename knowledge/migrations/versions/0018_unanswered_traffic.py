"""unanswered questions: test traffic marked, kept off the editors' list

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unanswered_questions') as batch:
        batch.add_column(sa.Column('traffic', sa.String(length=8), nullable=False, server_default='real'))
        batch.create_index('ix_unanswered_questions_traffic', ['traffic'])


def downgrade() -> None:
    with op.batch_alter_table('unanswered_questions') as batch:
        batch.drop_index('ix_unanswered_questions_traffic')
        batch.drop_column('traffic')
