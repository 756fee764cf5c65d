"""Browser fixtures: one live app per test session, Debian's Chromium driven by Playwright
with a phone's screen, touch and pixel density. Skipped (with the reason) without Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    LiveApp,
    build_app,
    live_app,
    serve,
)
from tests.browser.network import CuttableProxy, ServerTrouble
from tests.factories import PASSWORD, build_world
from tests.web.test_page_isolation import ADMIN, MANAGER, PAGES, STAFF, _make, _url
from webapp.extensions import db
from webapp.game import challenges
from webapp.kiosk import services as kiosk
from webapp.timeutil import utcnow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EXTRA = [("/api/v1/docs", STAFF)]  # the API's documentation is a page too
# Parts of a page fetched by a script, not pages (they fit inside the page that holds them).
FRAGMENTS = {"/manage/recognize/moments"}
KIOSK_PIN = "4071"


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The app served on 127.0.0.1 with its own migrated, seeded SQLite file."""
    with live_app(tmp_path_factory.mktemp("live")) as served:
        yield served


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Any, live: LiveApp) -> Iterator[Any]:
    """A fresh phone: no cookies, no caches, no service worker."""
    context = browser.new_context(base_url=live.url, **PHONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def proxy(live: LiveApp) -> Iterator[CuttableProxy]:
    """A connection to the live app that a test can cut while the browser stays online."""
    proxy = CuttableProxy(int(live.url.rsplit(":", 1)[1]))
    yield proxy
    proxy.close()


@pytest.fixture
def behind_proxy(browser: Any, proxy: CuttableProxy) -> Iterator[Any]:
    """A fresh phone that reaches the app only through `proxy` (its own origin)."""
    context = browser.new_context(base_url=proxy.url, **PHONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def trouble(live: LiveApp) -> Iterator[ServerTrouble]:
    """Switches for server trouble around the live app (see ServerTrouble)."""
    original = live.app.wsgi_app
    switches = ServerTrouble(original)
    live.app.wsgi_app = switches  # type: ignore[method-assign]
    yield switches
    live.app.wsgi_app = original  # type: ignore[method-assign]


@pytest.fixture
def persistent(playwright: Any, live: LiveApp, tmp_path: Path) -> Iterator[Any]:
    """A phone with a real profile directory (installability needs one)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=live.url,
        **PHONE,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A served app with the test world and, for every GET page of the URL map (as
    classified in tests/web/test_page_isolation.py), the URL of a real object with the role
    that may see it; the e-mail of each role; a kiosk's device token, and whose PIN it takes;
    a running challenge.
    One per test module (the reflow and axe sweeps), so one module's forms touch no other's."""
    app = build_app(Path(tmp_path_factory.mktemp("site")) / "site.db")
    with app.app_context():
        world = build_world(db.session())
        pages = [
            # A link token that is not valid still shows its page (the "expired link" one).
            (_url(rule, {"token": "not-a-valid-token", **_make((rule, method), world)}), page.role)
            for (rule, method), page in sorted(PAGES.items())
            if method == "GET" and rule not in FRAGMENTS
        ]
        emails = {STAFF: world.staff.email, MANAGER: world.manager.email, ADMIN: world.admin.email}
        _device, device_token = kiosk.create_device(
            db.session, world.manager, "Staff room", world.team.id
        )
        kiosk.set_pin(db.session, world.staff, PASSWORD, KIOSK_PIN)
        today = utcnow().date()  # a running challenge: on /challenges, /me and the kiosk
        challenges.create_challenge(
            db.session,
            world.manager,
            challenges.ChallengeInput(world.team.id, "Notice the rain", today, today),
        )
        db.session.commit()
        people = {"staff": world.staff.id, "team": world.team.id}
        db.session.remove()
    with serve(app) as url:
        yield {
            "url": url,
            "pages": pages + EXTRA,
            "emails": emails,
            "kiosk": device_token,
            "people": people,
        }
