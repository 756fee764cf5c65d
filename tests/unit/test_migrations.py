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


def test_content_migration_keeps_todays_text_as_the_default_language(app):
    """Values and challenges written before translations keep their text as the
    organisation's default language (issue 10)."""
    from datetime import date

    from sqlalchemy import text

    from tests.factories import build_world
    from webapp.models import Challenge, Value

    world = build_world(db.session)
    world.org.default_locale = "nl"
    world.values[0].default_description = "Zie het vooraf."
    db.session.add(
        Challenge(
            org_id=world.org.id,
            team_id=world.team.id,
            title="Vaste gasten",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 2, 1),
            created_by_id=world.manager.id,
        )
    )
    value_id, other_id = world.values[0].id, world.other_value.id
    db.session.commit()
    db.session.close()
    downgrade(revision="onboard_0002")
    upgrade()
    db.session.close()
    value = db.session.get(Value, value_id)
    assert value.translations == {"nl": {"name": "Anticipate", "description": "Zie het vooraf."}}
    assert db.session.scalars(db.select(Challenge)).one().translations == {
        "nl": {"title": "Vaste gasten"}
    }
    other = db.session.get(Value, other_id)
    assert other.translations == {"en": {"name": "Their value"}}
    assert db.session.execute(text("SELECT count(*) FROM org_values")).scalar() == 3
