"""staff sessions in the database

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:10:00

Sessions were an encrypted cookie only, so a deactivated user or a logged-out cookie kept access
until it expired. Now each session is a row (the token's hash), checked on every request.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_sessions',
        sa.Column('token_hash', sa.String(length=64), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('staff_users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('csrf', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_staff_sessions_user_id', 'staff_sessions', ['user_id'])
    op.create_index('ix_staff_sessions_expires_at', 'staff_sessions', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_staff_sessions_expires_at', table_name='staff_sessions')
    op.drop_index('ix_staff_sessions_user_id', table_name='staff_sessions')
    op.drop_table('staff_sessions')
