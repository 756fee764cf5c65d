"""Test set-up: a migrated database per test (SQLite by default, PostgreSQL when
KIZUKI_TEST_DATABASE_URL is set), the app, a client and helpers to sign in."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh
from sqlalchemy import create_engine, text

from tests import factories
from webapp import create_app
from webapp.extensions import db
from webapp.timeutil import frozen_time

PG_URL = os.environ.get("KIZUKI_TEST_DATABASE_URL")


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    assert PG_URL
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_template(
    tmp_path_factory: pytest.TempPathFactory, worker_id_safe: str
) -> Iterator[str]:
    """Migrate once per test process: a SQLite file to copy, or a PostgreSQL database."""
    if not PG_URL:
        path = tmp_path_factory.mktemp("db") / "template.db"
        _migrate(f"sqlite:///{path}")
        yield str(path)
        return
    # One database per test process, so parallel runs never share (or drop) each other's.
    name = f"kizuki_test_{worker_id_safe}_{os.getpid()}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + "/" + name
    _migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A clean, migrated database for one test."""
    if PG_URL:
        yield database_template
        _truncate(database_template)
        return
    path = tmp_path / "test.db"
    shutil.copyfile(database_template, path)
    yield f"sqlite:///{path}"


def _truncate(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname='public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app_config(database_url: str) -> dict[str, object]:
    """Settings for the test app; tests may override keys before `app` is created."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        "SECRET_KEY": "test-secret",
        "JOBS_MODE": "inline",
    }


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Iterator[datetime | None]:
    """The instant a test runs at: real time, unless parametrized (indirectly) with one of
    `tests.clock.edges()`; then `utcnow()` holds that instant for the whole test, from
    the organisations the `world` fixture builds to the pages the client fetches."""
    at: datetime | None = getattr(request, "param", None)
    if at is None:
        yield None
        return
    with frozen_time(at):
        yield at


@pytest.fixture
def app(app_config: dict[str, object], clock: datetime | None) -> Iterator[Flask]:
    app = create_app(app_config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app() -> Iterator[Callable[[dict[str, object]], Flask]]:
    """A further app (other settings, often the same database) for one test; its pool is
    emptied when the test ends. A pool left to the garbage collector closes its connections
    in whichever later test the collector happens to run (psycopg then warns, failing it)."""
    made: list[Flask] = []

    def _make(config: dict[str, object]) -> Flask:
        made.append(create_app(config))
        return made[-1]

    yield _make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def forget_each_request(app: Flask) -> None:
    """The tests keep one app context across requests, a server has one per request: before
    each request, forget the previous one's person, CSRF token and language, as a server does."""

    def _forget() -> None:
        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # Flask-WTF keeps the session's raw token on `g`
        refresh()

    # Ahead of the app's hooks, whose order `webapp.hooks.init_hooks` sets: this hook is no
    # part of that order but stands for the start of a new request itself, which a server
    # gives every request before any hook runs (the first-run redirect asks who is signed in
    # and must not see the previous request's person).
    app.before_request_funcs.setdefault(None, []).insert(0, _forget)


@pytest.fixture
def fresh_request_state(app: Flask) -> None:
    """Use with `pytestmark = pytest.mark.usefixtures("fresh_request_state")`."""
    forget_each_request(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def world(app: Flask) -> factories.World:
    """Two organisations with teams, values and people in every role."""
    return factories.build_world(db.session)


class Auth:
    """Sign a person in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = factories.PASSWORD, **kwargs: object) -> object:
        # Signed-in people are sent away from /login: sign out whoever was signed in first.
        self.client.post("/logout")
        return self.client.post(
            "/login",
            data={"email": email, "password": password},
            **kwargs,  # type: ignore[arg-type]
        )

    def logout(self) -> object:
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)
