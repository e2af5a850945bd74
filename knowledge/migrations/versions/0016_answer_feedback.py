"""answer feedback: "Was this helpful?" under an answer card

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 09:15:00

Yes or no per answer (service or signpost, aspect, language), a redacted comment with "no", and
whether it came from families or from a test run; never a sender id (knowledge/feedback.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'answer_feedback',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('card', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('aspect', sa.String(length=32), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('traffic', sa.String(length=8), nullable=False),
        sa.Column('comment_token', sa.String(length=64), nullable=True),
    )
    op.create_index('ix_answer_feedback_created_at', 'answer_feedback', ['created_at'])
    op.create_index('ix_answer_feedback_key', 'answer_feedback', ['key'])
    op.create_index('ix_answer_feedback_traffic', 'answer_feedback', ['traffic'])


def downgrade() -> None:
    op.drop_index('ix_answer_feedback_traffic', table_name='answer_feedback')
    op.drop_index('ix_answer_feedback_key', table_name='answer_feedback')
    op.drop_index('ix_answer_feedback_created_at', table_name='answer_feedback')
    op.drop_table('answer_feedback')
