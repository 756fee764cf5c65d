"""Importing people from a file: the imports, and invites that carry a person's details

Revision ID: onboard_0002
Revises: onboard_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "onboard_0002"
down_revision = "onboard_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "people_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_people_imports_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_people_imports_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people_imports")),
    )
    op.create_index(op.f("ix_people_imports_org_id"), "people_imports", ["org_id"], unique=False)
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("name", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("locale", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("work_start", sa.Time(), nullable=True))
        batch.add_column(sa.Column("work_end", sa.Time(), nullable=True))
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_invites_import_id"), ["import_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_invites_import_id_people_imports"),
            "people_imports",
            ["import_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("invites") as batch:
        batch.drop_constraint(batch.f("fk_invites_import_id_people_imports"), type_="foreignkey")
        batch.drop_index(batch.f("ix_invites_import_id"))
        batch.drop_column("import_id")
        batch.drop_column("work_end")
        batch.drop_column("work_start")
        batch.drop_column("locale")
        batch.drop_column("name")
    op.drop_index(op.f("ix_people_imports_org_id"), table_name="people_imports")
    op.drop_table("people_imports")
