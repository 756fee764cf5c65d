"""Who a notification is about (the giver of kudos, the recognising manager), so it can name
them as "Former colleague" once they are deleted or deactivated

Revision ID: hardening_0001
Revises: insights_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "hardening_0001"
down_revision = "kiosk_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_notifications_actor_id_users"), "users", ["actor_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint(op.f("fk_notifications_actor_id_users"), type_="foreignkey")
        batch.drop_column("actor_id")
