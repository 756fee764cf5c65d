"""Offline-first, proven in Chromium: entries made offline survive reloads and reach the
server exactly once, even when the connection flaps while they are being sent."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import (
    BROWSER,
    bounded,
    give_kudos_in_form,
    log_moment_in_form,
    queue_items,
    queued,
    stored_client_ids,
    stored_texts,
    wait_for_worker,
)
from tests.browser.live import LiveApp, sign_in
from tests.browser.network import ServerTrouble
from webapp.extensions import db
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


# Closing, sharing, signing out: still every entry exactly once -------------------------------


def _queue_offline(context: Any, page: Any, cues: list[str]) -> list[str]:
    """Go offline and log `cues` on the moment form (the page keeps them)."""
    context.set_offline(True)
    page.goto("/moments/new")
    ids = []
    for n, cue in enumerate(cues):
        ids.append(log_moment_in_form(page, cue))
        queue_items(page).nth(n).wait_for()
    return ids


def _cues(label: str, count: int) -> list[str]:
    tag = uuid.uuid4().hex[:8]
    return [f"{label} {n + 1} ({tag})" for n in range(count)]


def test_a_tab_closed_while_sending_loses_nothing(
    context: Any, page: Any, live: LiveApp, trouble: ServerTrouble
) -> None:
    _open_online(page, live)
    cues = _cues("Closed-tab moment", 3)
    _queue_offline(context, page, cues)
    trouble.hold_entries = 1.5  # the first entry is stored, but its answer is slow...
    context.set_offline(False)
    assert trouble.entries_arrived.wait(15), "the page never started sending"
    page.close()  # ...and the tab is closed before it comes
    trouble.hold_entries = 0
    again = context.new_page()
    again.goto("/")  # opened again later
    _wait_until_synced(again)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 1)


def test_two_tabs_sending_at_once_store_each_entry_once(
    context: Any, page: Any, live: LiveApp, trouble: ServerTrouble
) -> None:
    _open_online(page, live)
    other = context.new_page()
    other.goto("/")
    cues = _cues("Two-tab moment", 4)
    _queue_offline(context, page, cues[:2])
    other.goto("/moments/new")
    for n, cue in enumerate(cues[2:]):
        log_moment_in_form(other, cue)
        queue_items(other).nth(n + 2).wait_for()
    trouble.hold_entries = 0.3
    context.set_offline(False)  # both tabs hear "online" and start sending
    _wait_until_synced(page)
    _wait_until_synced(other)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 1)


def _sign_out(page: Any) -> None:
    page.goto("/settings")
    page.locator('form[action="/logout"] [type="submit"]').click()
    page.wait_for_url("**/login")


def _whose(live: LiveApp, cues: list[str]) -> set[int]:
    with live.app.app_context():
        authors = set(db.session.scalars(select(Moment.author_id).where(Moment.cue.in_(cues))))
        db.session.remove()
    return authors


def test_entries_wait_for_their_author_across_sign_out_and_never_go_as_another(
    context: Any, page: Any, live: LiveApp, trouble: ServerTrouble
) -> None:
    _open_online(page, live)
    cues = _cues("Kept for its author", 2)
    _queue_offline(context, page, cues)
    trouble.api_down = True  # back online, but nothing can be sent yet
    context.set_offline(False)
    _sign_out(page)
    sign_in(page, live, live.people.staff2_email)
    trouble.api_down = False
    page.goto("/")
    # Someone else is signed in now: the entries are not theirs to see or to send, even when
    # the device still names the first person (as if their sign-out never ran).
    expect(queue_items(page)).to_have_count(0)
    page.evaluate(bounded("(id) => window.KizukiQueue.saveSession(id)"), str(live.people.staff_id))
    page.evaluate(
        bounded("() => navigator.serviceWorker.ready.then((r) => r.sync.register('kizuki-queue'))")
    )
    page.goto("/offline")
    page.goto("/")
    time.sleep(2)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 0)
    kept = [entry for entry in queued(page) if entry["payload"]["cue"] in cues]
    assert len(kept) == 2 and {e["user_id"] for e in kept} == {str(live.people.staff_id)}

    _sign_out(page)
    sign_in(page, live)  # their author is back: now they go, as theirs
    _wait_until_synced(page)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 1)
    assert _whose(live, cues) == {live.people.staff_id}


def test_an_expired_session_loses_nothing_once_the_person_signs_in_again(
    context: Any, page: Any, live: LiveApp
) -> None:
    _open_online(page, live)
    cues = _cues("Waited out a session", 2)
    _queue_offline(context, page, cues)
    context.clear_cookies()  # the session ended while they waited
    context.set_offline(False)
    page.goto("/")
    page.wait_for_url("**/login**")
    assert len([e for e in queued(page) if e["payload"]["cue"] in cues]) == 2
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 0)
    sign_in(page, live)
    _wait_until_synced(page)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 1)


def test_a_csrf_token_that_expired_while_entries_waited_is_replaced(
    context: Any, page: Any, live: LiveApp
) -> None:
    _open_online(page, live)
    cues = _cues("Waited out a CSRF token", 2)
    _queue_offline(context, page, cues)
    stale = page.get_attribute('meta[name="csrf-token"]', "content")
    # Signed in again elsewhere (a new session): the token in this page no longer works.
    context.clear_cookies()
    signed = context.request.post(
        f"{live.url}/api/v1/session",
        data={"email": live.people.staff_email, "password": live.password},
    )
    assert signed.ok and signed.json()["csrf_token"] != stale
    context.set_offline(False)  # the same page, never reloaded, sends them
    _wait_until_synced(page)
    assert stored_texts(live, Moment.cue, cues) == dict.fromkeys(cues, 1)


def test_a_reused_client_id_needs_attention_and_is_never_dropped(
    context: Any, page: Any, live: LiveApp
) -> None:
    _open_online(page, live)
    page.goto("/moments/new")
    first, second = _cues("Reused id", 2)
    used = log_moment_in_form(page, first)
    page.wait_for_url(lambda url: url.endswith("/"))
    # An entry that arrives with an id already used for another moment (as a cached form
    # once handed out): the server refuses it with 409 instead of answering with the first.
    page.evaluate(
        bounded(
            """([clientId, cue, userId, team, value]) => window.KizukiQueue.putEntry(
                window.KizukiQueue.newEntry({type: 'moment', clientId, userId,
                    returnUrl: '/moments/new', fields: [['cue', cue], ['action', 'Another'],
                    ['reaction', 'Another'], ['value_ids', value], ['team_id', team]]}))"""
        ),
        [
            used,
            second,
            str(live.people.staff_id),
            str(live.people.team_id),
            str(live.people.value_ids[0]),
        ],
    )
    page.goto("/")
    item = queue_items(page).first
    expect(item.locator('[data-field="status"]')).to_have_text("Not accepted")
    expect(item.locator('[data-field="reason"]')).to_contain_text(
        "already saved under this entry's id"
    )
    page.reload()
    expect(queue_items(page)).to_have_count(1)  # kept, however often the page syncs
    assert stored_texts(live, Moment.cue, [first, second]) == {first: 1, second: 0}

    queue_items(page).first.locator('[data-action="edit"]').click()
    page.wait_for_url("**/moments/new#edit=*")
    expect(page.locator('[name="cue"]')).to_have_value(second)
    assert page.input_value('input[name="client_id"]') not in ("", used)
    page.locator('main form[method="post" i] [type="submit"]').first.click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(queue_items(page)).to_have_count(0)
    assert stored_texts(live, Moment.cue, [first, second]) == {first: 1, second: 1}


def test_editing_an_entry_keeps_a_colleague_the_picker_does_not_list(
    context: Any, page: Any, live: LiveApp
) -> None:
    """A chain's picker lists a bounded number of colleagues; someone chosen through the
    search has no box on the page. Editing the entry keeps them chosen in a box of their own
    (here an id no page lists), instead of dropping them without a word."""
    _open_online(page, live)
    page.goto("/moments/new")
    (cue,) = _cues("Kept colleague", 1)
    page.evaluate(
        bounded(
            """([cue, userId, team, value]) => window.KizukiQueue.putEntry(
                window.KizukiQueue.newEntry({type: 'moment', clientId: crypto.randomUUID(),
                    userId, returnUrl: '/moments/new', fields: [['cue', cue],
                    ['action', 'Walked along'], ['reaction', 'Smiled'], ['value_ids', value],
                    ['team_id', team], ['colleague_ids', '987654321']]}))"""
        ),
        [cue, str(live.people.staff_id), str(live.people.team_id), str(live.people.value_ids[0])],
    )
    page.goto("/")
    item = queue_items(page).first
    expect(item.locator('[data-field="status"]')).to_have_text("Not accepted")
    item.locator('[data-action="edit"]').click()
    page.wait_for_url("**/moments/new#edit=*")
    expect(page.locator('[name="cue"]')).to_have_value(cue)
    kept = page.locator("#colleague_ids-kept-987654321")
    expect(kept).to_be_checked()
    expect(page.locator('label[for="colleague_ids-kept-987654321"]')).to_have_text(
        "A colleague you chose before"
    )
    posted = page.evaluate(
        "() => new FormData(document.querySelector('main form[method=\"post\" i]'))"
        ".getAll('colleague_ids')"
    )
    assert posted == ["987654321"]


def test_entries_kept_by_the_previous_version_are_still_sent(
    context: Any, page: Any, live: LiveApp
) -> None:
    """Before an update the queue kept entries under their client id alone (IndexedDB
    version 1); the new version moves them to its store and sends them."""
    cue = f"Queued before the update ({uuid.uuid4().hex[:8]})"
    page.goto("/static/pwa/icons/logo.svg")  # the origin, without the app's scripts
    client = str(uuid.uuid4())
    entry = {
        "type": "moment",
        "client_id": client,
        "user_id": str(live.people.staff_id),
        "payload": {
            "client_id": client,
            "cue": cue,
            "action": "Walked them to the lift.",
            "reaction": "A smile.",
            "value_ids": [live.people.value_ids[0]],
            "colleague_ids": [],
            "team_id": live.people.team_id,
        },
        "fields": [],
        "return_url": "/moments/new",
        "created_at": "2026-01-01T08:00:00.000Z",
        "status": "pending",
    }
    page.evaluate(
        bounded(
            """(entry) => new Promise((resolve, reject) => {
                const open = indexedDB.open('kizuki', 1);
                open.onupgradeneeded = () => {
                    open.result.createObjectStore('queue', {keyPath: 'client_id'});
                    open.result.createObjectStore('meta', {keyPath: 'key'});
                };
                open.onsuccess = () => {
                    const tx = open.result.transaction('queue', 'readwrite');
                    tx.objectStore('queue').put(entry);
                    tx.oncomplete = () => { open.result.close(); resolve(); };
                    tx.onerror = () => reject(tx.error);
                };
                open.onerror = () => reject(open.error);
            })"""
        ),
        entry,
    )
    sign_in(page, live)
    _wait_until_synced(page)
    assert stored_texts(live, Moment.cue, [cue]) == {cue: 1}
