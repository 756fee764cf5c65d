"""Small waits and look-ups the browser tests share."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser.live import chromium_missing
from tests.web.test_page_isolation import ADMIN, MANAGER, PUBLIC, STAFF

# CI (KIZUKI_REQUIRE_BROWSER=1) never skips: a missing Chromium fails the browser tests there.
_missing = None if os.environ.get("KIZUKI_REQUIRE_BROWSER") else chromium_missing()
# Every browser test: marked, kept on one xdist worker (one Chromium at a time on a small
# machine), and skipped with the reason where Chromium is missing on a developer's machine.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(_missing is not None, reason=_missing or ""),
]

# Who opens the pages of each level of tests/web/test_page_isolation.py (public: signed out).
SEES = {PUBLIC: {PUBLIC}, STAFF: {STAFF, MANAGER, ADMIN}, MANAGER: {MANAGER, ADMIN}, ADMIN: {ADMIN}}

PAGE_PROMISE_SECONDS = 20


def open_page(page: Any, url: str) -> bool:
    """Go to `url`; whether it is an HTML page this viewer may see (not a download, an error
    or a page closed to them)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        response = page.goto(url)
    except PlaywrightError as error:  # a download (my data, the CSV export): not a page
        if "Download is starting" in str(error):
            return False
        raise
    if response is None or response.status != 200:
        return False
    return "text/html" in (response.headers.get("content-type") or "")


def bounded(script: str, seconds: float = PAGE_PROMISE_SECONDS) -> str:
    """`script` (a JS function that may return a promise) raced against a timer, so a promise
    that never settles (a worker that never installs, a blocked IndexedDB) fails the test
    with a message instead of hanging the suite: page.evaluate itself never times out."""
    ms = int(seconds * 1000)
    return (
        f"(arg) => Promise.race([Promise.resolve(({script})(arg)), new Promise((_, reject) => "
        f"setTimeout(() => reject(new Error('no answer from the page in {seconds:g} s')), {ms}))])"
    )


def worker_state(page: Any) -> str:
    """What the page knows about its service worker (for a failure message)."""
    return str(
        page.evaluate(
            bounded(
                """() => navigator.serviceWorker.getRegistration().then((r) => JSON.stringify({
                    url: location.href, controller: !!navigator.serviceWorker.controller,
                    registration: !!r, installing: r && r.installing && r.installing.state,
                    waiting: r && r.waiting && r.waiting.state,
                    active: r && r.active && r.active.state}))""",
                5,
            )
        )
    )


def wait_for_worker(page: Any) -> None:
    """Wait until a service worker controls the page (the first one claims it at once)."""
    try:
        _wait_for_worker(page)
    except Exception as error:
        raise AssertionError(f"no service worker took over: {worker_state(page)}") from error


def _wait_for_worker(page: Any) -> None:
    # A promise, not wait_for_function: the CSP forbids the eval that polling would need.
    page.evaluate(
        bounded(
            """() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller
            || new Promise((resolve) => navigator.serviceWorker.addEventListener(
                'controllerchange', resolve, {once: true})))"""
        )
    )


def worker_version(page: Any) -> str:
    """The build version of the worker controlling the page."""
    return str(
        page.evaluate(
            bounded(
                """() => new Promise((resolve) => {
                const channel = new MessageChannel();
                channel.port1.onmessage = (event) => resolve(event.data);
                navigator.serviceWorker.controller.postMessage({type: 'VERSION'}, [channel.port2]);
            })"""
            )
        )
    )


def queued(page: Any) -> list[dict[str, Any]]:
    """The offline queue in this browser's IndexedDB (empty before the app made it)."""
    return list(
        page.evaluate(
            bounded(
                """() => new Promise((resolve, reject) => {
                const open = indexedDB.open('kizuki');
                open.onsuccess = () => {
                    const db = open.result;
                    if (!db.objectStoreNames.contains('entries')) {
                        db.close();
                        resolve([]);
                        return;
                    }
                    const all = db.transaction('entries').objectStore('entries').getAll();
                    all.onsuccess = () => { db.close(); resolve(all.result); };
                    all.onerror = () => reject(all.error);
                };
                open.onerror = () => reject(open.error);
                open.onblocked = () => reject(new Error('IndexedDB is blocked'));
            })"""
            )
        )
    )


def stored_client_ids(live: Any, model: Any, client_ids: list[str]) -> dict[str, int]:
    """How many rows of `model` the database holds for each client id."""
    from sqlalchemy import func, select

    from webapp.extensions import db

    with live.app.app_context():
        rows = db.session.execute(
            select(model.client_id, func.count())
            .where(model.client_id.in_(client_ids))
            .group_by(model.client_id)
        ).all()
        db.session.remove()
    counts = {client_id: 0 for client_id in client_ids}
    counts.update({client_id: int(count) for client_id, count in rows})
    return counts


def stored_texts(live: Any, column: Any, texts: list[str]) -> dict[str, int]:
    """How many rows the database holds with each of `texts` in `column` (for example
    Moment.cue): what counts is every entry stored exactly once, whatever its id."""
    from sqlalchemy import func, select

    from webapp.extensions import db

    with live.app.app_context():
        rows = db.session.execute(
            select(column, func.count()).where(column.in_(texts)).group_by(column)
        ).all()
        db.session.remove()
    counts = dict.fromkeys(texts, 0)
    counts.update({text: int(count) for text, count in rows})
    return counts


def log_moment_in_form(page: Any, cue: str) -> str:
    """Fill and submit the moment form; returns the client id the form carried."""
    client_id = str(page.input_value('input[name="client_id"]'))
    page.fill('[name="cue"]', cue)
    page.fill('[name="action"]', "Walked them to the lift and carried the bags.")
    page.fill('[name="reaction"]', "They smiled and said thank you twice.")
    page.locator('[name="value_ids"]').first.check()
    page.locator('main form[method="post" i] [type="submit"]').first.click()
    return client_id


def give_kudos_in_form(page: Any, receiver_id: int, message: str) -> str:
    """Fill and submit the kudos form for one colleague; returns its client id."""
    client_id = str(page.input_value('input[name="client_id"]'))
    receivers = page.locator('[name="receiver_ids"]')
    if receivers.first.evaluate("(el) => el.tagName") == "SELECT":
        receivers.first.select_option(str(receiver_id))
    else:
        box = page.locator(f'[name="receiver_ids"][value="{receiver_id}"]')
        search = page.locator("#receiver_ids-search")
        if not box.is_visible() and search.count():
            # The picker shows the first names of a long list; a person searches for the
            # rest (other tests may have added colleagues to the shared live app).
            search.fill(box.evaluate("(el) => el.closest('.picker__item').dataset.name"))
        box.check()
    page.fill('[name="message"]', message)
    # The form asks which value they showed (its first option is "Choose a value").
    page.select_option('[name="value_id"]', index=1)
    page.locator('main form[method="post" i] [type="submit"]').first.click()
    return client_id


def queue_items(page: Any) -> Any:
    return page.locator("[data-queue-list] > li")
