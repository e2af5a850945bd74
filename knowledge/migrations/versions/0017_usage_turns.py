"""usage: what each turn did, for the staff's figures (no text, no sender id)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 09:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'usage_turns',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('conversation', sa.String(length=32), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('result', sa.String(length=16), nullable=False),
        sa.Column('subject_kind', sa.String(length=16), nullable=True),
        sa.Column('subject', sa.String(length=64), nullable=True),
        sa.Column('check_outcome', sa.String(length=24), nullable=True),
        sa.Column('traffic', sa.String(length=8), nullable=False),
    )
    op.create_index('ix_usage_turns_day', 'usage_turns', ['day'])
    op.create_index('ix_usage_turns_conversation', 'usage_turns', ['conversation'])
    op.create_index('ix_usage_turns_traffic', 'usage_turns', ['traffic'])


def downgrade() -> None:
    op.drop_index('ix_usage_turns_traffic', table_name='usage_turns')
    op.drop_index('ix_usage_turns_conversation', table_name='usage_turns')
    op.drop_index('ix_usage_turns_day', table_name='usage_turns')
    op.drop_table('usage_turns')
