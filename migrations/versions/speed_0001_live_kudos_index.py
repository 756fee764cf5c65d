"""A partial index of live kudos by receiver and time: who was noticed lately (the manager's
overview) reads a person's recent rows from the index alone

Revision ID: speed_0001
Revises: content_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "speed_0001"
down_revision = "content_0001"
branch_labels = None
depends_on = None

LIVE = sa.text("reversed_at IS NULL")


def upgrade():
    op.create_index(
        "ix_kudos_receiver_live",
        "kudos",
        ["receiver_id", "created_at"],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade():
    op.drop_index("ix_kudos_receiver_live", table_name="kudos")
