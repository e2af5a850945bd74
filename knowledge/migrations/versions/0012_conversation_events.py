"""conversations in the database, encrypted

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:10:00

Rasa kept every conversation in its own memory: a restart lost a half-written application, and a
second replica could not run. Now each save of a conversation is a row whose events are one
Fernet token (knowledge/conversation_store.py); idle conversations are deleted by the retention job.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'conversation_events',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True),
        sa.Column('conversation_id', sa.String(length=64), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('event_count', sa.Integer(), nullable=False),
        sa.Column('events', sa.Text(), nullable=False),
    )
    op.create_index('ix_conversation_events_conversation_id', 'conversation_events', ['conversation_id'])
    op.create_index('ix_conversation_events_saved_at', 'conversation_events', ['saved_at'])


def downgrade() -> None:
    op.drop_index('ix_conversation_events_saved_at', table_name='conversation_events')
    op.drop_index('ix_conversation_events_conversation_id', table_name='conversation_events')
    op.drop_table('conversation_events')
