"""Kudos patterns a manager dismissed after talking about them

Revision ID: insights_0002
Revises: insights_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "insights_0002"
down_revision = "insights_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pattern_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("people", sa.String(length=80), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["users.id"], name=op.f("fk_pattern_dismissals_manager_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_pattern_dismissals_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_pattern_dismissals_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pattern_dismissals")),
        sa.UniqueConstraint(
            "manager_id",
            "kind",
            "people",
            name=op.f("uq_pattern_dismissals_manager_id_kind_people"),
        ),
    )


def downgrade():
    op.drop_table("pattern_dismissals")
