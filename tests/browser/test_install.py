"""Installing the app and updating it, in Chromium on a phone-sized screen."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.browser.helpers import BROWSER, bounded, wait_for_worker, worker_version
from tests.browser.live import LiveApp, sign_in

pytestmark = BROWSER


def _installability_errors(context: Any, page: Any) -> list[dict[str, Any]]:
    cdp = context.new_cdp_session(page)
    errors: list[dict[str, Any]] = []
    # Chromium checks the manifest and the worker asynchronously: poll for a settled answer.
    for _ in range(20):
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        if not errors:
            break
        time.sleep(0.5)
    return errors


def test_the_app_is_installable(persistent: Any, live: LiveApp) -> None:
    page = persistent.pages[0] if persistent.pages else persistent.new_page()
    sign_in(page, live)
    wait_for_worker(page)
    assert _installability_errors(persistent, page) == []
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")


def test_the_shell_is_precached_under_the_app_version(page: Any, live: LiveApp) -> None:
    page.goto("/offline")
    wait_for_worker(page)
    names = page.evaluate(bounded("() => caches.keys()"))
    assert any(name.startswith(f"kizuki-shell-{live.app.config['APP_VERSION']}-") for name in names)
    for path in ("/offline", "/static/pwa/js/app.js", "/static/pwa/css/app.css"):
        cached = bounded("(path) => caches.match(path).then((r) => r !== undefined)")
        assert page.evaluate(cached, path)


@pytest.fixture
def next_version(live: LiveApp) -> Any:
    before = live.app.config["APP_VERSION"]
    live.app.config["APP_VERSION"] = f"{before}-next"
    yield live.app.config["APP_VERSION"]
    live.app.config["APP_VERSION"] = before


def test_a_new_version_offers_a_reload(page: Any, live: LiveApp, request: Any) -> None:
    page.goto("/offline")
    wait_for_worker(page)
    first = worker_version(page)
    prompt = page.locator("[data-update-prompt]")
    assert prompt.is_hidden()

    new_version = request.getfixturevalue("next_version")
    update = "() => navigator.serviceWorker.getRegistration().then((r) => r.update())"
    page.evaluate(bounded(update))
    prompt.wait_for(state="visible")
    with page.expect_event("load"):
        prompt.get_by_role("button").click()
    wait_for_worker(page)
    assert worker_version(page).startswith(f"{new_version}-")
    assert worker_version(page) != first
    names = page.evaluate(bounded("() => caches.keys()"))
    assert not any(n.startswith("kizuki-shell-") and new_version not in n for n in names)
