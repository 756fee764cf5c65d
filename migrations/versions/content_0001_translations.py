"""Organisation content in each language: `translations` on values and challenges, holding
today's text as the organisation's default language

Revision ID: content_0001
Revises: locks_0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "content_0001"
down_revision = "locks_0001"
branch_labels = None
depends_on = None

# table: (its text columns, in the order they are copied)
TABLES = {"org_values": ("name", "description"), "challenges": ("title", "description")}


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("translations", sa.JSON(), server_default="{}", nullable=False)
            )
    for table, columns in TABLES.items():
        _keep_as_default_language(table, columns)


def _keep_as_default_language(table, columns):
    """Today's text becomes the translation in the organisation's default language."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            f"SELECT t.id, o.default_locale, {', '.join('t.' + c for c in columns)} "  # noqa: S608
            f"FROM {table} t JOIN organisations o ON o.id = t.org_id"
        )
    ).all()
    update = sa.text(f"UPDATE {table} SET translations = :texts WHERE id = :id")  # noqa: S608
    for row in rows:
        texts = {column: text for column, text in zip(columns, row[2:]) if text}
        connection.execute(update, {"id": row[0], "texts": json.dumps({row[1]: texts})})


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("translations")
