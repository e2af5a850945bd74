"""callbacks: a request to be called back is an application of kind "callback"; presence at a Chat page

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 08:40:00

A family outside opening hours (or when no case worker is free) asks to be called back; the
request goes the applications' way (encrypted, outbox, retention) and the staff queue follows its
handling: new, taken, done, with who and when. A case worker who stops taking new chats is still
present for the chats they have (``case_worker_presence.present_until``).
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='application'))
        batch.add_column(sa.Column('handling', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('handled_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key('fk_applications_handled_by', 'staff_users', ['handled_by_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_applications_kind', ['kind'])
    with op.batch_alter_table('case_worker_presence') as batch:
        batch.add_column(sa.Column('present_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('case_worker_presence') as batch:
        batch.drop_column('present_until')
    with op.batch_alter_table('applications') as batch:
        batch.drop_index('ix_applications_kind')
        batch.drop_constraint('fk_applications_handled_by', type_='foreignkey')
        batch.drop_column('handled_at')
        batch.drop_column('handled_by_id')
        batch.drop_column('handling')
        batch.drop_column('kind')
