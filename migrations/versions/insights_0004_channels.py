"""Team channels (Slack, Microsoft Teams, JSON webhooks) and their delivery log

Revision ID: insights_0004
Revises: insights_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "insights_0004"
down_revision = "insights_0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "team_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=True),
        sa.Column("post_recognitions", sa.Boolean(), nullable=False),
        sa.Column("post_practices", sa.Boolean(), nullable=False),
        sa.Column("post_digest", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_team_channels_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_team_channels_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_channels_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_channels")),
    )
    op.create_index(op.f("ix_team_channels_org_id"), "team_channels", ["org_id"], unique=False)
    op.create_index(op.f("ix_team_channels_team_id"), "team_channels", ["team_id"], unique=False)
    op.create_table(
        "channel_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["team_channels.id"],
            name=op.f("fk_channel_posts_channel_id_team_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_channel_posts_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_posts")),
    )
    op.create_index(
        "ix_channel_posts_channel_created", "channel_posts", ["channel_id", "created_at"]
    )
    op.create_index("ix_channel_posts_due", "channel_posts", ["status", "next_attempt_at"])


def downgrade():
    op.drop_index("ix_channel_posts_due", table_name="channel_posts")
    op.drop_index("ix_channel_posts_channel_created", table_name="channel_posts")
    op.drop_table("channel_posts")
    op.drop_index(op.f("ix_team_channels_team_id"), table_name="team_channels")
    op.drop_index(op.f("ix_team_channels_org_id"), table_name="team_channels")
    op.drop_table("team_channels")
