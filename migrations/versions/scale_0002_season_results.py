"""Season results computed once when a season closes, and the best stories gathered in the
background, so the seasons page never recomputes history

Revision ID: scale_0002
Revises: scale_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "scale_0002"
down_revision = "scale_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("seasons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("stories_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "season_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("reached_goal", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["season_id"], ["seasons.id"], name=op.f("fk_season_results_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_season_results_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_results")),
        sa.UniqueConstraint(
            "season_id", "team_id", name=op.f("uq_season_results_season_id_team_id")
        ),
    )
    with op.batch_alter_table("season_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_season_results_team_goal", ["team_id", "reached_goal"], unique=False
        )
    op.create_table(
        "season_stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("moment_id", sa.Integer(), nullable=False),
        sa.Column("kudos", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["season_id"], ["seasons.id"], name=op.f("fk_season_stories_season_id_seasons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moment_id"], ["moments.id"], name=op.f("fk_season_stories_moment_id_moments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_season_stories")),
        sa.UniqueConstraint(
            "season_id", "position", name=op.f("uq_season_stories_season_id_position")
        ),
    )


def downgrade():
    op.drop_table("season_stories")
    with op.batch_alter_table("season_results", schema=None) as batch_op:
        batch_op.drop_index("ix_season_results_team_goal")
    op.drop_table("season_results")
    with op.batch_alter_table("seasons", schema=None) as batch_op:
        batch_op.drop_column("stories_at")
        batch_op.drop_column("closed_at")
