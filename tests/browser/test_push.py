"""Web Push in Chromium: the opt-in on /me follows the browser's permission, and a push
message delivered to the service worker becomes a notification with the sent title, body
and tag. (Subscribing itself needs the browser's real push service, which a test cannot
reach; the server side of delivery is tested against a local stand-in in tests/web.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.helpers import BROWSER, bounded, wait_for_worker
from tests.browser.live import LiveApp, sign_in
from tests.push_support import PUSH_CONFIG

pytestmark = BROWSER


@pytest.fixture
def push_on(live: LiveApp) -> Iterator[None]:
    before = {key: live.app.config.get(key) for key in PUSH_CONFIG}
    live.app.config.update(PUSH_CONFIG)
    yield
    live.app.config.update(before)


def state(page: Any) -> str:
    visible = page.locator("[data-push-state]:visible")
    visible.first.wait_for()
    return str(visible.first.get_attribute("data-push-state"))


def set_permission(context: Any, page: Any, live: LiveApp, setting: str) -> None:
    cdp = context.new_cdp_session(page)
    browser_context = cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "notifications"},
            "setting": setting,
            "origin": live.url,
            "browserContextId": browser_context,
        },
    )


@pytest.mark.usefixtures("push_on")
def test_the_opt_in_offers_to_turn_notifications_on(page: Any, live: LiveApp) -> None:
    sign_in(page, live)
    page.goto("/settings")
    wait_for_worker(page)
    assert state(page) == "off"
    assert page.locator("[data-push-on]").is_visible()
    assert page.locator("[data-push-off]").is_hidden()


@pytest.mark.usefixtures("push_on")
def test_blocked_notifications_are_explained(context: Any, page: Any, live: LiveApp) -> None:
    sign_in(page, live)
    set_permission(context, page, live, "denied")
    page.goto("/settings")
    assert state(page) == "denied"
    assert page.locator("[data-push-on]").is_hidden()


def test_without_keys_the_page_says_push_is_off(page: Any, live: LiveApp) -> None:
    sign_in(page, live)
    page.goto("/settings")
    assert page.locator("[data-push-off-server]").is_visible()
    assert page.locator("[data-push]").count() == 0


def _registration_id(page: Any, cdp: Any, scope: str) -> str:
    found: list[str] = []

    def updated(event: dict[str, Any]) -> None:
        found.extend(r["registrationId"] for r in event["registrations"] if r["scopeURL"] == scope)

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if found:
            return found[0]
        page.wait_for_timeout(100)  # lets Playwright deliver the events meanwhile
    raise AssertionError("no service worker registration reported")


def test_a_push_message_shows_a_notification(context: Any, page: Any, live: LiveApp) -> None:
    sign_in(page, live)
    wait_for_worker(page)
    set_permission(context, page, live, "granted")
    cdp = context.new_cdp_session(page)
    registration = _registration_id(page, cdp, f"{live.url}/")
    message = {"title": "Sanne gave you kudos", "body": "Well spotted", "url": "/me", "tag": "k-1"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live.url, "registrationId": registration, "data": json.dumps(message)},
    )
    shown: list[dict[str, Any]] = []
    for _ in range(200):  # up to 20 s: a loaded machine shows the notification late
        shown = page.evaluate(
            bounded(
                """() => navigator.serviceWorker.ready
                .then((registration) => registration.getNotifications())
                .then((all) => all.map((n) => ({title: n.title, body: n.body, tag: n.tag,
                                                url: n.data && n.data.url, icon: n.icon})))"""
            )
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert len(shown) == 1
    assert shown[0]["title"] == message["title"] and shown[0]["body"] == message["body"]
    assert shown[0]["tag"] == "k-1" and shown[0]["url"] == f"{live.url}/me"
    assert shown[0]["icon"].endswith("/static/pwa/icons/icon-192.png")
