"""Offline-first, proven in Chromium: entries made offline survive reloads and reach the
server exactly once, even when the connection flaps while they are being sent."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    BROWSER,
    give_kudos_in_form,
    log_moment_in_form,
    queue_items,
    queued,
    stored_client_ids,
    wait_for_worker,
)
from tests.browser.live import LiveApp, sign_in
from webapp.models import Kudos, Moment

pytestmark = BROWSER


def _open_online(page: Any, live: LiveApp) -> None:
    """Sign in and visit the screens once, so the worker has them for later."""
    sign_in(page, live)
    wait_for_worker(page)
    for path in ("/", "/moments/new", "/kudos/new"):
        page.goto(path)


def _wait_until_synced(page: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while queued(page):
        assert time.monotonic() < deadline, f"still queued: {queued(page)}"
        time.sleep(0.25)


def test_offline_entries_are_kept_shown_and_stored_once(
    context: Any, page: Any, live: LiveApp
) -> None:
    _open_online(page, live)
    context.set_offline(True)

    page.goto("/moments/new")
    moments = []
    for n in range(3):
        moments.append(log_moment_in_form(page, f"Offline journey moment {n + 1}"))
        queue_items(page).nth(n).wait_for()
    assert len(set(moments)) == 3, "each entry keeps its own client id"
    page.goto("/kudos/new")
    kudos = give_kudos_in_form(page, live.people.staff2_id, "Thanks for covering the desk!")
    queue_items(page).nth(3).wait_for()
    expect(page.locator("[data-sync-toast]")).to_be_visible()

    page.reload()  # still offline: served by the worker, the queue read back from IndexedDB
    expect(queue_items(page)).to_have_count(4)
    page.goto("/")
    expect(queue_items(page)).to_have_count(4)
    expect(queue_items(page).first).to_contain_text("Waiting to sync")
    expect(page.locator("[data-offline-banner]")).to_contain_text("last updated")
    assert stored_client_ids(live, Moment, moments) == dict.fromkeys(moments, 0)

    context.set_offline(False)
    _wait_until_synced(page)
    page.locator("[data-queue]").wait_for(state="hidden")
    assert stored_client_ids(live, Moment, moments) == dict.fromkeys(moments, 1)
    assert stored_client_ids(live, Kudos, [kudos]) == {kudos: 1}
    page.reload()
    assert "Offline journey moment 3" in page.inner_text("main")


class LossyApi:
    """A bad connection at the server's end: every other answer to an entry sent to the API
    is held back and then lost (the socket is cut) after the entry was stored, so the phone
    must send it again."""

    def __init__(self, app: Callable[..., Any], delay: float) -> None:
        self.app, self.delay, self.calls = app, delay, 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        sent = environ.get("REQUEST_METHOD") == "POST"
        if not (sent and environ.get("PATH_INFO", "").startswith("/api/")):
            return self.app(environ, start_response)
        self.calls += 1
        result = self.app(environ, start_response)
        time.sleep(self.delay)
        if self.calls % 2 == 1:
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
        return result


@pytest.fixture
def lossy_api(live: LiveApp) -> Iterator[LossyApi]:
    original = live.app.wsgi_app
    lossy = LossyApi(original, 0.3)
    live.app.wsgi_app = lossy  # type: ignore[method-assign]
    yield lossy
    live.app.wsgi_app = original  # type: ignore[method-assign]


def test_a_flapping_connection_still_stores_each_entry_once(
    context: Any, page: Any, live: LiveApp, lossy_api: LossyApi
) -> None:
    _open_online(page, live)
    context.set_offline(True)
    page.goto("/moments/new")
    moments = [log_moment_in_form(page, f"Flapping moment {n + 1}") for n in range(4)]
    queue_items(page).nth(3).wait_for()

    context.set_offline(False)  # the sync starts...
    for _ in range(5):  # ...and the connection comes and goes while it sends
        time.sleep(0.3)
        context.set_offline(True)
        time.sleep(0.3)
        context.set_offline(False)
    _wait_until_synced(page, timeout=40)
    assert lossy_api.calls > len(moments), "some answers were lost and the entries sent again"
    assert stored_client_ids(live, Moment, moments) == dict.fromkeys(moments, 1)
