"""Moments and kudos keep the fingerprint of the input their client id was first used for

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("moments", "kudos")


def upgrade():
    # Nullable: entries stored before this revision have no fingerprint and are replayed
    # as before.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("payload_sha256", sa.String(length=64), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("payload_sha256")
