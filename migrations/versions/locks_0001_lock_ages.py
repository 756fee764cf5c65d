"""Serial locks carry when they were made, so rows of periods long over can be forgotten

Revision ID: locks_0001
Revises: onboard_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "locks_0001"
down_revision = "onboard_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("serial_locks") as batch:
        batch.add_column(
            sa.Column(
                "created_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
        batch.create_index("ix_serial_locks_created_at", ["created_at"])


def downgrade():
    with op.batch_alter_table("serial_locks") as batch:
        batch.drop_index("ix_serial_locks_created_at")
        batch.drop_column("created_at")
