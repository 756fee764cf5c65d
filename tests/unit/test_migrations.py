"""The schema exists only through migrations, so the migrations must build exactly what the
models describe, on SQLite and PostgreSQL, and must step down and up again cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from webapp.extensions import db


def _differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        return list(compare_metadata(context, db.metadata))


def test_migrations_build_exactly_the_models(app):
    assert _differences() == []


def test_migrations_go_down_to_nothing_and_up_again(app):
    downgrade(revision="base")
    with db.engine.connect() as connection:
        tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert _differences() == []
