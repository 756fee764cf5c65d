"""Standings kept with the ledger (per person and team, per week, month and all time), the
indexes the write path and the manager's overview need, and live member counts per team

Revision ID: scale_0001
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "scale_0001"
down_revision = "0004"
branch_labels = None
depends_on = None

ALL_TIME = "2000-01-01"


def upgrade():
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_reverses", ["reverses_id"], unique=False)
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.create_index("ix_kudos_receiver_week", ["receiver_id", "week_start"], unique=False)
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("live_members", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "user_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_user_points_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_points_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_points")),
        sa.UniqueConstraint(
            "user_id", "period", "starts_on", name=op.f("uq_user_points_user_id_period_starts_on")
        ),
    )
    op.create_table(
        "team_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_team_points_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_points_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_points")),
        sa.UniqueConstraint(
            "team_id", "period", "starts_on", name=op.f("uq_team_points_team_id_period_starts_on")
        ),
    )
    with op.batch_alter_table("team_points", schema=None) as batch_op:
        batch_op.create_index("ix_team_points_board", ["org_id", "period", "starts_on"], unique=False)
    _backfill()


def _backfill():
    """Existing history: the standings from the daily roll-up, the live member counts."""
    postgres = op.get_bind().dialect.name == "postgresql"
    week = "date_trunc('week', day)::date" if postgres else "date(day, 'weekday 0', '-6 days')"
    month = "date_trunc('month', day)::date" if postgres else "date(day, 'start of month')"
    every = f"DATE '{ALL_TIME}'" if postgres else f"'{ALL_TIME}'"
    for period, start in (("week", week), ("month", month), ("all", every)):
        op.execute(
            f"INSERT INTO user_points (org_id, user_id, period, starts_on, points) "  # noqa: S608
            f"SELECT org_id, user_id, '{period}', {start}, SUM(points) FROM points_daily "
            f"GROUP BY org_id, user_id, {start}"
        )
    op.execute(
        "INSERT INTO team_points (org_id, team_id, period, starts_on, points) "
        "SELECT t.org_id, t.id, p.period, p.starts_on, SUM(p.points) FROM teams t "
        "JOIN memberships m ON m.team_id = t.id "
        "JOIN users u ON u.id = m.user_id AND u.active AND u.deleted_at IS NULL "
        "JOIN user_points p ON p.user_id = u.id "
        "GROUP BY t.org_id, t.id, p.period, p.starts_on"
    )
    op.execute(
        "UPDATE teams SET live_members = (SELECT COUNT(*) FROM memberships m "
        "JOIN users u ON u.id = m.user_id AND u.active AND u.deleted_at IS NULL "
        "WHERE m.team_id = teams.id)"
    )


def downgrade():
    with op.batch_alter_table("team_points", schema=None) as batch_op:
        batch_op.drop_index("ix_team_points_board")
    op.drop_table("team_points")
    op.drop_table("user_points")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("live_members")
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index("ix_kudos_receiver_week")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_reverses")
