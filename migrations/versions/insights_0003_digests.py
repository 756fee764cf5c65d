"""The weekly team digest and its deliveries

Revision ID: insights_0003
Revises: insights_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "insights_0003"
down_revision = "insights_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_digests_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_digests_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests")),
        sa.UniqueConstraint("team_id", "week_start", name=op.f("uq_digests_team_id_week_start")),
    )
    op.create_index("ix_digests_org_week", "digests", ["org_id", "week_start"])
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("emailed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["digests.id"],
            name=op.f("fk_digest_deliveries_digest_id_digests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_digest_deliveries_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_deliveries")),
        sa.UniqueConstraint(
            "digest_id", "user_id", name=op.f("uq_digest_deliveries_digest_id_user_id")
        ),
    )
    op.create_index(
        op.f("ix_digest_deliveries_user_id"), "digest_deliveries", ["user_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_digest_deliveries_user_id"), table_name="digest_deliveries")
    op.drop_table("digest_deliveries")
    op.drop_index("ix_digests_org_week", table_name="digests")
    op.drop_table("digests")
