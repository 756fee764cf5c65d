"""Kiosks (a shared device in the staff room) and personal kiosk PINs

Revision ID: kiosk_0001
Revises: insights_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "kiosk_0001"
down_revision = "insights_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kiosk_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_pins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("person_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_kiosk_devices_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_kiosk_devices_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=op.f("fk_kiosk_devices_person_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_kiosk_devices_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_devices_token_hash")),
    )
    op.create_index(op.f("ix_kiosk_devices_org_id"), "kiosk_devices", ["org_id"], unique=False)
    op.create_index(op.f("ix_kiosk_devices_team_id"), "kiosk_devices", ["team_id"], unique=False)
    op.create_table(
        "kiosk_pins",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_kiosk_pins_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_kiosk_pins")),
    )


def downgrade():
    op.drop_table("kiosk_pins")
    op.drop_index(op.f("ix_kiosk_devices_team_id"), table_name="kiosk_devices")
    op.drop_index(op.f("ix_kiosk_devices_org_id"), table_name="kiosk_devices")
    op.drop_table("kiosk_devices")
