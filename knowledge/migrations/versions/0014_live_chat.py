"""live chat with a case worker: availability, the queue and the messages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:30:00

A family can ask for a person; in opening hours with a case worker available the chat is handed
over (knowledge/handoff/live_chat.py). Messages are stored encrypted and deleted by retention.
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_worker_presence',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('staff_users.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('available_until', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_case_worker_presence_available_until', 'case_worker_presence', ['available_until'])
    op.create_table(
        'live_chats',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('conversation', sa.String(length=64), nullable=False),
        sa.Column('sender', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('topic', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_by', sa.String(length=16), nullable=True),
        sa.Column('case_worker_id', sa.Integer(), sa.ForeignKey('staff_users.id', ondelete='SET NULL'), nullable=True),
    )
    op.create_index('ix_live_chats_conversation', 'live_chats', ['conversation'])
    op.create_index('ix_live_chats_status', 'live_chats', ['status'])
    op.create_index('uq_live_chats_open_conversation', 'live_chats', ['conversation'], unique=True,
                    postgresql_where=sa.text("status <> 'ended'"), sqlite_where=sa.text("status <> 'ended'"))
    op.create_table(
        'live_chat_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('chat_id', sa.Integer(), sa.ForeignKey('live_chats.id', ondelete='CASCADE'), nullable=False),
        sa.Column('author', sa.String(length=16), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
    )
    op.create_index('ix_live_chat_messages_chat_id', 'live_chat_messages', ['chat_id'])


def downgrade() -> None:
    op.drop_index('ix_live_chat_messages_chat_id', table_name='live_chat_messages')
    op.drop_table('live_chat_messages')
    op.drop_index('uq_live_chats_open_conversation', table_name='live_chats')
    op.drop_index('ix_live_chats_status', table_name='live_chats')
    op.drop_index('ix_live_chats_conversation', table_name='live_chats')
    op.drop_table('live_chats')
    op.drop_index('ix_case_worker_presence_available_until', table_name='case_worker_presence')
    op.drop_table('case_worker_presence')
