"""Limits that hold under concurrency: real HTTP requests at once (20 for most), through a threaded
server, on SQLite and on PostgreSQL (KIZUKI_TEST_DATABASE_URL). Each limit must grant
exactly what it allows, and refuse the rest clearly (never a server error)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from http.cookiejar import CookieJar
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, OpenerDirector, build_opener

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_user
from webapp.extensions import db
from webapp.kudos.services import current_week
from webapp.models import Kudos, KudosAllowanceUse, LedgerEntry, Moment, Recognition
from webapp.points import ledger

pytestmark = pytest.mark.xdist_group("live-server")

RACERS = 20


@pytest.fixture
def app_config(app_config):
    app_config.pop("SERVER_NAME", None)
    return app_config


@pytest.fixture
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _signed_in(base: str, email: str) -> OpenerDirector:
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    body = urlencode({"email": email, "password": PASSWORD}).encode()
    opener.open(f"{base}/login", data=body, timeout=20).read()
    return opener


def _race(base: str, email: str, path: str, forms: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Post every form at once, each from its own signed-in browser; (status, body) each."""
    # Commit what the test set up and hold no transaction while the requests race.
    db.session.commit()
    db.session.close()
    openers = [_signed_in(base, email) for _ in forms]
    barrier = threading.Barrier(len(forms))
    results: list[tuple[int, str]] = []

    def send(opener: OpenerDirector, form: dict[str, Any]) -> None:
        data = urlencode(form, doseq=True).encode()
        barrier.wait()
        try:
            with opener.open(f"{base}{path}", data=data, timeout=60) as response:
                results.append((response.status, response.read().decode()))
        except HTTPError as refused:
            results.append((refused.code, refused.read().decode()))

    threads = [
        threading.Thread(target=send, args=(o, f)) for o, f in zip(openers, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    db.session.expire_all()
    assert len(results) == len(forms)
    assert all(status < 500 for status, _ in results), [s for s, _ in results]
    return results


def _count(query: Any) -> int:
    return int(db.session.scalar(query) or 0)


def _moment_forms(world: Any, cost: str | None = None) -> Callable[[int], dict[str, Any]]:
    def form(i: int) -> dict[str, Any]:
        data = {
            "client_id": str(uuid.uuid4()),
            "cue": f"Guest {i} kept rubbing her hands in the lobby",
            "action": "Brought her a hot tea before she asked",
            "reaction": "She smiled and warmed up",
            "value_ids": [str(world.values[0].id)],
            "team_id": str(world.team.id),
        }
        if cost is not None:
            data["gesture_cost"] = cost
        return data

    return form


def test_only_the_allowance_is_granted_under_concurrent_requests(app, world, live_url):
    # One kudos left this week, six colleagues to give it to at once.
    receivers = [make_user(db.session, world.org, team=world.team) for _ in range(6)]
    allowance = world.org.kudos_weekly_allowance
    week = current_week(world.org)
    db.session.add(KudosAllowanceUse(user_id=world.staff.id, week_start=week, used=allowance - 1))
    giver_id = world.staff.id
    forms = [
        {
            "client_id": str(uuid.uuid4()),
            "receiver_ids": receiver.id,
            "value_id": world.values[0].id,
            "message": "Thank you for noticing",
        }
        for receiver in receivers
    ]
    _race(live_url, world.staff.email, "/kudos/new", forms)
    assert _count(select(func.count(Kudos.id)).where(Kudos.giver_id == giver_id)) == 1
    used = db.session.scalar(
        select(KudosAllowanceUse.used).where(KudosAllowanceUse.user_id == giver_id)
    )
    assert used == allowance


def test_the_same_receiver_cap_holds_under_concurrent_kudos(app, world, live_url):
    # A large allowance, so only the cap per receiver (2 a week) can say no.
    world.org.kudos_weekly_allowance = 100
    cap = world.org.kudos_same_receiver_weekly_cap
    giver_id, receiver_id = world.staff.id, world.staff2.id
    forms = [
        {
            "client_id": str(uuid.uuid4()),
            "receiver_ids": receiver_id,
            "value_id": world.values[0].id,
            "message": f"Thank you for noticing, number {i}",
        }
        for i in range(RACERS)
    ]
    results = _race(live_url, world.staff.email, "/kudos/new", forms)
    stored = _count(
        select(func.count(Kudos.id)).where(
            Kudos.giver_id == giver_id, Kudos.receiver_id == receiver_id
        )
    )
    assert stored == cap == 2
    refused = [body for status, body in results if status == 409 or status == 422]
    assert len(refused) == RACERS - cap
    assert all("kudos 2 times this week" in body for body in refused)


def test_the_daily_points_cap_holds_under_concurrent_moments(app, world, live_url):
    author_id = world.staff.id
    cap = world.org.moment_points_daily_cap
    make = _moment_forms(world)
    _race(live_url, world.staff.email, "/moments/new", [make(i) for i in range(RACERS)])
    assert _count(select(func.count(Moment.id)).where(Moment.author_id == author_id)) == RACERS
    rewarded = _count(
        select(func.count(LedgerEntry.id)).where(
            LedgerEntry.user_id == author_id,
            LedgerEntry.reason == ledger.MOMENT_LOGGED,
            LedgerEntry.points > 0,
        )
    )
    assert rewarded == cap == 3


def _gestures(author_id: int) -> list[Moment]:
    return list(
        db.session.scalars(
            select(Moment).where(Moment.author_id == author_id, Moment.gesture_cost_cents > 0)
        )
    )


def test_the_gesture_budget_is_refused_exactly_under_concurrent_moments(app, world, live_url):
    world.org.gesture_budget_cents = 2500  # €25: room for five gestures of €5
    author_id = world.staff.id
    make = _moment_forms(world, cost="5,00")
    results = _race(live_url, world.staff.email, "/moments/new", [make(i) for i in range(RACERS)])
    gestures = _gestures(author_id)
    assert len(gestures) == 5
    assert sum(m.gesture_cost_cents or 0 for m in gestures) == 2500
    assert not any(m.over_budget for m in gestures)
    refused = [body for status, body in results if status >= 400]
    assert len(refused) == RACERS - 5
    assert all("more than is left of your gesture budget" in body for body in refused)


def test_allow_and_flag_flags_exactly_the_gestures_beyond_the_budget(app, world, live_url):
    world.org.gesture_budget_cents = 2500
    world.org.gesture_budget_mode = "flag"
    author_id = world.staff.id
    make = _moment_forms(world, cost="5,00")
    _race(live_url, world.staff.email, "/moments/new", [make(i) for i in range(RACERS)])
    gestures = _gestures(author_id)
    assert len(gestures) == RACERS
    assert sum(1 for m in gestures if not m.over_budget) == 5
    assert sum(1 for m in gestures if m.over_budget) == RACERS - 5


def test_the_weekly_recognition_cap_holds_under_concurrent_recognitions(app, world, live_url):
    world.org.points_recognition = 25
    cap = world.org.recognition_weekly_cap
    recipient_id = world.staff.id
    forms = [
        {
            "recipient_id": recipient_id,
            "message": f"You noticed the guest's cold hands and brought tea, time {i}.",
        }
        for i in range(RACERS)
    ]
    results = _race(live_url, world.manager.email, "/manage/recognize", forms)
    stored = _count(
        select(func.count(Recognition.id)).where(Recognition.recipient_id == recipient_id)
    )
    assert stored == cap == 3
    points = _count(
        select(func.sum(LedgerEntry.points)).where(
            LedgerEntry.user_id == recipient_id,
            LedgerEntry.reason == ledger.RECOGNITION_RECEIVED,
        )
    )
    assert points == 3 * 25
    refused = [body for status, body in results if status >= 400]
    assert len(refused) == RACERS - cap
    assert all("the most a week allows" in body for body in refused)
