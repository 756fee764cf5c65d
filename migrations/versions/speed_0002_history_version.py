"""An organisation's history version: raised whenever something already counted in a past
week changes, so a cache of past weeks' counts is keyed by it (webapp/insights/history.py)

Revision ID: speed_0002
Revises: speed_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "speed_0002"
down_revision = "speed_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "organisations",
        sa.Column("history_version", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade():
    # A plain ALTER TABLE … DROP COLUMN on both databases (SQLite ≥ 3.35): rebuilding the
    # table, as a batch would on SQLite, is refused while other tables refer to it.
    op.drop_column("organisations", "history_version")
