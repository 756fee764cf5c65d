"""Limits that hold under concurrency: serial locks, the gesture budget's mode and the
flag on gestures beyond it, and the weekly cap on recognitions per person

Revision ID: limits_0002
Revises: limits_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "limits_0002"
down_revision = "limits_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "serial_locks",
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_serial_locks")),
    )
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(
            sa.Column(
                "gesture_budget_mode", sa.String(length=8), nullable=False, server_default="refuse"
            )
        )
        batch.add_column(
            sa.Column("recognition_weekly_cap", sa.Integer(), nullable=False, server_default="3")
        )
    with op.batch_alter_table("moments") as batch:
        batch.add_column(
            sa.Column("over_budget", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("moments") as batch:
        batch.drop_column("over_budget")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("recognition_weekly_cap")
        batch.drop_column("gesture_budget_mode")
    op.drop_table("serial_locks")
