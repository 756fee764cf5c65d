"""The first run: one row naming the organisation /setup created (race-safe by its key)

Revision ID: onboard_0001
Revises: insights_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "onboard_0001"
down_revision = "limits_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "first_run",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_first_run_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_first_run")),
    )


def downgrade():
    op.drop_table("first_run")
