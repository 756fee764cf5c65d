"""Lie-fi, proven in Chromium: the network fails while the browser still says it is online
(navigator.onLine stays true), so the page posts its forms and the service worker must keep
them. The connection is cut in a TCP proxy in front of the live server (tests/browser/
network.py), which the page and the worker meet alike; each test counts the rows in the
database: every entry stored exactly once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlparse

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import (
    BROWSER,
    bounded,
    log_moment_in_form,
    queue_items,
    queued,
    stored_texts,
    wait_for_worker,
)
from tests.browser.live import LiveApp, sign_in
from tests.browser.network import CuttableProxy, ServerTrouble
from webapp.extensions import db
from webapp.models import Moment, User

pytestmark = BROWSER

BANNER = "[data-offline-banner]"


def unique(text: str) -> str:
    return f"{text} ({uuid.uuid4().hex[:8]})"


def open_app(page: Any, live: LiveApp, email: str | None = None) -> None:
    """Sign in and open the screens once, so the worker has them for later."""
    sign_in(page, live, email)
    wait_for_worker(page)
    for path in ("/", "/moments/new", "/kudos/new", "/"):
        page.goto(path)


def sync_until_done(page: Any, timeout: float = 40) -> None:
    """Wait until the queue is empty, opening the feed again now and then, as a person
    does (the page's own retries back off to a minute)."""
    deadline = time.monotonic() + timeout
    nudge = time.monotonic() + 6
    while queued(page):
        assert time.monotonic() < deadline, f"still queued: {queued(page)}"
        if time.monotonic() > nudge:
            page.goto("/")
            nudge = time.monotonic() + 6
        time.sleep(0.25)


def cached_client_id(page: Any, path: str) -> str | None:
    """The client id in the worker's cached copy of `path` (None when no form is there)."""
    return page.evaluate(
        bounded(
            """(path) => caches.open('kizuki-pages')
                .then((cache) => cache.match(new URL(path, location.href).href))
                .then((copy) => copy.text())
                .then((html) => {
                    const match = /name="client_id" type="hidden" value="([^"]*)"/.exec(html);
                    return match ? match[1] : null;
                })"""
        ),
        path,
    )


def on_path(path: str) -> Any:
    return lambda url: urlparse(url).path == path


def test_lie_fi_keeps_every_moment_under_its_own_id(
    behind_proxy: Any, proxy: CuttableProxy, live: LiveApp
) -> None:
    """Issue 9: one moment logged online, then three in a basement; none may be lost."""
    here = replace(live, url=proxy.url)
    page = behind_proxy.new_page()
    sign_in(page, here)
    wait_for_worker(page)
    page.goto("/moments/new")
    online_cue = unique("Logged online before the basement")
    online_id = log_moment_in_form(page, online_cue)
    page.wait_for_url(on_path("/"))
    page.goto("/kudos/new")
    page.goto("/")
    # The form's cached copy keeps no client id: the one used online must never come back.
    assert cached_client_id(page, "/moments/new") == ""

    proxy.cut()
    assert page.evaluate("navigator.onLine") is True
    cues = [unique(f"Basement moment {n}") for n in (1, 2, 3)]
    ids = []
    for n, cue in enumerate(cues):
        page.goto("/moments/new")  # from the cache
        ids.append(log_moment_in_form(page, cue))
        page.wait_for_url("**/?queued=1")
        # Shown at once, on the feed as it was, which says it is not up to date.
        expect(queue_items(page)).to_have_count(n + 1)
        expect(page.locator(BANNER)).to_contain_text("last updated")
    assert proxy.refused > 0, "the worker's posts really met the cut connection"
    assert len({online_id, *ids}) == 4 and "" not in ids
    assert {entry["client_id"] for entry in queued(page)} == set(ids)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 0)

    proxy.restore()
    page.goto("/")
    sync_until_done(page)
    everything = [online_cue, *cues]
    assert stored_texts(live, Moment.cue, everything) == dict.fromkeys(everything, 1)
    expect(page.locator("[data-queue]")).to_be_hidden()


def test_a_flapping_lie_fi_connection_stores_each_entry_once(
    behind_proxy: Any, proxy: CuttableProxy, live: LiveApp, trouble: ServerTrouble
) -> None:
    page = behind_proxy.new_page()
    open_app(page, replace(live, url=proxy.url))
    proxy.cut()
    cues = [unique(f"Flapping lie-fi moment {n}") for n in (1, 2, 3, 4)]
    for cue in cues:
        page.goto("/moments/new")
        log_moment_in_form(page, cue)
        page.wait_for_url("**/?queued=1")

    # The entries are stored slowly, so the cuts land while answers are on their way.
    trouble.hold_entries = 0.3
    proxy.restore()
    page.goto("/")
    proxy.flap(8, 0.2)
    trouble.hold_entries = 0
    sync_until_done(page)
    assert trouble.entry_posts >= len(cues)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 1)


def test_server_errors_serve_the_page_as_it_was_and_keep_the_form(
    page: Any, live: LiveApp, trouble: ServerTrouble
) -> None:
    open_app(page, live)
    trouble.down = True
    page.goto("/")
    expect(page.locator("h1")).not_to_contain_text("The server is down")
    expect(page.locator(BANNER)).to_contain_text("last updated")
    page.goto("/moments/new")
    cue = unique("Logged while the server was down")
    log_moment_in_form(page, cue)
    page.wait_for_url("**/?queued=1")
    expect(queue_items(page)).to_have_count(1)
    assert stored_texts(live, Moment.cue, [cue]) == {cue: 0}

    trouble.down = False
    page.goto("/")
    sync_until_done(page)
    assert stored_texts(live, Moment.cue, [cue]) == {cue: 1}
    expect(page.locator(BANNER)).to_be_hidden()


AMOUNTS = ["2,505", "€ 3", "0", "-1", ""]


def fill_moment(page: Any, cue: str, cost: str) -> None:
    page.fill('[name="cue"]', cue)
    page.fill('[name="action"]', "Bought them a coffee.")
    page.fill('[name="reaction"]', "They were delighted.")
    page.locator('[name="value_ids"]').first.check()
    page.locator("form details summary").first.click()
    page.fill('[name="gesture_cost"]', cost)
    page.fill('[name="gesture_note"]', "A coffee")
    page.locator('main form[method="post" i] [type="submit"]').first.click()


def new_entries(page: Any, known: set[str]) -> list[dict[str, Any]]:
    entries = [entry for entry in queued(page) if entry["key"] not in known]
    known.update(entry["key"] for entry in entries)
    return entries


def without_id(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key != "client_id"}


def test_the_page_and_the_worker_keep_the_same_entry_for_the_same_form(
    behind_proxy: Any, proxy: CuttableProxy, live: LiveApp
) -> None:
    page = behind_proxy.new_page()
    open_app(page, replace(live, url=proxy.url))
    proxy.cut()  # nothing leaves this phone in this test
    known: set[str] = set()
    for cost in AMOUNTS:
        cue = unique(f"Same form, gesture cost {cost!r}")
        # The page keeps it: the browser knows it is offline.
        behind_proxy.set_offline(True)
        page.goto("/moments/new")
        fill_moment(page, cue, cost)
        by_page = new_entries(page, known)
        refused = page.locator("[data-local-error]")
        # The worker keeps it: lie-fi, the page believes it is online and posts the form.
        behind_proxy.set_offline(False)
        if by_page:
            page.goto("/moments/new")
        else:
            expect(refused).to_have_count(1)  # on the field, in the server's words
            said = refused.inner_text().strip()
            page.reload()
        fill_moment(page, cue, cost)
        page.wait_for_url("**/?queued=1")
        (by_worker,) = new_entries(page, known)
        if by_page:
            (entry,) = by_page
            assert entry["status"] == by_worker["status"] == "pending", cost
            assert without_id(entry["payload"]) == without_id(by_worker["payload"]), cost
            assert entry["client_id"] != by_worker["client_id"]
        else:
            assert by_worker["status"] == "rejected", cost
            item = page.locator(f'[data-queue-list] > li[data-key="{by_worker["key"]}"]')
            expect(item.locator('[data-field="reason"]')).to_have_text(said)
            assert "gesture_cost_cents" not in by_worker["payload"]
    assert page.evaluate("navigator.onLine") is True


@pytest.fixture
def dutch_person(live: LiveApp) -> Iterator[str]:
    """A person whose language is Dutch (the browser asks for British English)."""
    with live.app.app_context():
        staff = db.session.get(User, live.people.staff_id)
        assert staff is not None
        team = staff.memberships[0].team
        person = factories.make_user(
            db.session, staff.organisation, "staff", team, name="Noor de Vries", locale="nl"
        )
        db.session.commit()
        email = person.email
        db.session.remove()
    yield email


def dutch(app: Any, text: str) -> str:
    with app.test_request_context(), force_locale("nl"):
        return str(_(text))


def test_the_offline_page_and_the_queue_speak_the_persons_language(
    context: Any, page: Any, live: LiveApp, dutch_person: str
) -> None:
    open_app(page, live, dutch_person)
    assert page.get_attribute("html", "lang") == "nl"
    # The worker fetches its offline page again, in Dutch, once it sees a Dutch page.
    deadline = time.monotonic() + 15
    while 'lang="nl"' not in page.evaluate(
        bounded("() => caches.match('/offline').then((page) => page.text())")
    ):
        assert time.monotonic() < deadline, "the offline page was not fetched in Dutch"
        time.sleep(0.25)

    context.set_offline(True)
    page.goto("/leaderboard")  # never opened: the offline page
    assert page.get_attribute("html", "lang") == "nl"
    expect(page.locator("h1")).to_have_text(dutch(live.app, "You are offline"))
    page.goto("/moments/new")
    log_moment_in_form(page, unique("Een gast had het koud"))
    expect(queue_items(page)).to_have_count(1)
    expect(page.locator("#queue-title")).to_have_text(dutch(live.app, "Waiting to sync"))
    expect(queue_items(page).first.locator('[data-field="status"]')).to_have_text(
        dutch(live.app, "Waiting to sync")
    )
