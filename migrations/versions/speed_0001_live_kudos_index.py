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
    columns = ["receiver_id", "created_at"]
    if op.get_bind().dialect.name != "postgresql":
        op.create_index("ix_kudos_receiver_live", "kudos", columns, sqlite_where=LIVE)
        return
    # Built concurrently, outside the migration's transaction: a chain's kudos stay
    # writable while the index over a million rows is built.
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_kudos_receiver_live",
            "kudos",
            columns,
            postgresql_where=LIVE,
            postgresql_concurrently=True,
        )


def downgrade():
    op.drop_index("ix_kudos_receiver_live", table_name="kudos")
