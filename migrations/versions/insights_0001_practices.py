"""Practices a team adopted from a moment, the moments that repeat them, and full-text
search over what moments say (PostgreSQL)

Revision ID: insights_0001
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "insights_0001"
down_revision = "scale_0002"
branch_labels = None
depends_on = None

SEARCH_DOCUMENT = (
    "to_tsvector('simple'::regconfig, (((cue || ' '::text) || action) || ' '::text) || reaction)"
)


def upgrade():
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("source_moment_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("adopted_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["adopted_by_id"], ["users.id"], name=op.f("fk_practices_adopted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_practices_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["source_moment_id"], ["moments.id"], name=op.f("fk_practices_source_moment_id_moments")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_practices_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
        sa.UniqueConstraint(
            "team_id", "source_moment_id", name=op.f("uq_practices_team_id_source_moment_id")
        ),
    )
    op.create_index("ix_practices_org_created", "practices", ["org_id", "created_at"])
    op.create_index("ix_practices_team_created", "practices", ["team_id", "created_at"])
    op.create_table(
        "practice_moments",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("moment_id", sa.Integer(), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["linked_by_id"], ["users.id"], name=op.f("fk_practice_moments_linked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["moment_id"],
            ["moments.id"],
            name=op.f("fk_practice_moments_moment_id_moments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practices.id"],
            name=op.f("fk_practice_moments_practice_id_practices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("practice_id", "moment_id", name=op.f("pk_practice_moments")),
    )
    op.create_index("ix_practice_moments_moment", "practice_moments", ["moment_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_moments_search", "moments", [sa.text(SEARCH_DOCUMENT)], postgresql_using="gin"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_moments_search", table_name="moments")
    op.drop_index("ix_practice_moments_moment", table_name="practice_moments")
    op.drop_table("practice_moments")
    op.drop_index("ix_practices_team_created", table_name="practices")
    op.drop_index("ix_practices_org_created", table_name="practices")
    op.drop_table("practices")
