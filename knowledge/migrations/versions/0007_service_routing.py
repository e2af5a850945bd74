"""service routing: how families apply and who decides

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:20:00

Existing databases get the routing the seed files now hold for the seeded services; services
editors created themselves keep the default (Veiviser's application to the coordinating unit)
until an editor changes it. Physiotherapy and occupational therapy get their own contact points
only from `python -m knowledge seed`; until then they stay "contact" with their current contact.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: service key → (apply route, decided-by contact key or None), as in the seed files of this revision.
SEEDED_ROUTES = {
    "companion_card": ("contact", "transport"),
    "family_measures": ("contact", "family_services"),
    "physiotherapy": ("contact", None),
    "occupational_therapy": ("contact", None),
    "interpreter": ("none", None),
    "starthjelp": ("none", None),
}
APPLIED_TO_THE_COORDINATING_UNIT = ("bpa", "care_allowance", "caregiver_training", "child_coordinator", "child_residence",
                                    "coordinator", "extended_after_school", "home_health_care", "individual_plan",
                                    "relief_care", "support_contact")


def upgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('apply_route', sa.String(length=16), nullable=False, server_default='ke_application'))
        batch_op.add_column(sa.Column('decided_by_key', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key('fk_services_decided_by_key', 'contact_points', ['decided_by_key'], ['key'])
    services = sa.table('services', sa.column('key', sa.String), sa.column('apply_route', sa.String),
                        sa.column('decided_by_key', sa.String), sa.column('contact_key', sa.String))
    contacts = {row[0] for row in op.get_bind().execute(sa.text("SELECT key FROM contact_points"))}
    for key, (route, decided_by) in SEEDED_ROUTES.items():
        op.execute(services.update().where(services.c.key == key).values(
            apply_route=route, decided_by_key=decided_by if decided_by in contacts else None))
    if "hvk_0_18" in contacts:
        op.execute(services.update().where(services.c.key.in_(APPLIED_TO_THE_COORDINATING_UNIT))
                   .values(decided_by_key="hvk_0_18"))


def downgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_constraint('fk_services_decided_by_key', type_='foreignkey')
        batch_op.drop_column('decided_by_key')
        batch_op.drop_column('apply_route')
