"""after_applying and appeal: two more texts per service and language

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 20:20:00

What happens once an application is sent (and how long it takes), and how to appeal a decision.
Existing rows start empty; `python -m knowledge setup` fills them from the seed, since an empty
text was never edited.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('service_content', schema=None) as batch_op:
        batch_op.add_column(sa.Column('after_applying', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('appeal', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('service_content', schema=None) as batch_op:
        batch_op.drop_column('appeal')
        batch_op.drop_column('after_applying')
