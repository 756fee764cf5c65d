"""A live Kizuki for real browsers: a migrated SQLite file, a small seeded organisation and a
threaded server on 127.0.0.1. Used by the browser tests and by scripts/make_screenshots.py
and scripts/pwa_budget.py."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from tests import factories
from webapp import create_app
from webapp.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-quic",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A phone: what frontline staff hold between guests.
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
}


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return None


@dataclass
class People:
    """Who the browser signs in as, and the ids the forms offer."""

    staff_email: str
    staff_id: int
    staff2_id: int
    staff2_email: str
    team_id: int
    value_ids: list[int]
    manager_email: str
    admin_email: str


@dataclass
class LiveApp:
    app: Flask
    url: str
    people: People
    password: str = factories.PASSWORD


def build_app(database: Path | str, **config: Any) -> Flask:
    """A migrated app on its own SQLite file (or a database URL), with CSRF on (as in
    production)."""
    from flask_migrate import upgrade

    settings: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database
        if isinstance(database, str)
        else f"sqlite:///{database}",
        "SECRET_KEY": "browser-test-secret",
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "APP_VERSION": "browser-1",
        "JOBS_SCHEDULER": False,  # no clock-driven jobs behind a test's back
    }
    settings.update(config)
    app = create_app(settings)
    with app.app_context():
        upgrade()
    return app


def seed(app: Flask) -> People:
    """The test world (two organisations, every role), committed."""
    with app.app_context():
        world = factories.build_world(db.session())
        people = People(
            staff_email=world.staff.email,
            staff_id=world.staff.id,
            staff2_id=world.staff2.id,
            staff2_email=world.staff2.email,
            team_id=world.team.id,
            value_ids=[value.id for value in world.values],
            manager_email=world.manager.email,
            admin_email=world.admin.email,
        )
        db.session.remove()
    return people


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port in a background thread; yields its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="kizuki-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@contextmanager
def live_app(directory: Path, **config: Any) -> Iterator[LiveApp]:
    """Build, seed and serve an app in `directory`."""
    app = build_app(directory / "live.db", **config)
    people = seed(app)
    with serve(app) as url:
        yield LiveApp(app=app, url=url, people=people)


def sign_in(page: Any, live: LiveApp, email: str | None = None) -> None:
    """Sign in through the real login form."""
    page.goto(f"{live.url}/login")
    page.fill('input[name="email"]', email or live.people.staff_email)
    page.fill('input[name="password"]', live.password)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url(lambda url: "/login" not in url)


@dataclass
class Account:
    """A person to sign in as on a served app."""

    url: str
    email: str
    password: str
    app: Flask | None = None  # when served in this process


@contextmanager
def demo_app(directory: Path, **config: Any) -> Iterator[Account]:
    """Serve the seeded demo hotel (an English-speaking staff member signs in); falls back to
    the small test world when the demo seed cannot run."""
    app = build_app(directory / "demo.db", **config)
    try:
        from webapp.demo.seed import PASSWORD, seed_demo

        with app.app_context():
            seed_demo(progress=False)
            db.session.remove()
        email, password = "staff2@demo.test", PASSWORD
    except Exception as error:  # noqa: BLE001  (any failure: measure on the test world instead)
        print(f"demo seed unavailable ({error!r}); using the test world")
        app = build_app(directory / "world.db", **config)
        email, password = seed(app).staff_email, factories.PASSWORD
    with serve(app) as url:
        yield Account(url=url, email=email, password=password, app=app)


def sign_in_as(page: Any, account: Account) -> None:
    """Sign in through the login form of a served app."""
    page.goto(f"{account.url}/login")
    page.fill('input[name="email"]', account.email)
    page.fill('input[name="password"]', account.password)
    page.press('input[name="password"]', "Enter")
    page.wait_for_url(lambda url: "/login" not in url)
