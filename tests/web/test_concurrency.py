"""Real concurrent HTTP requests racing for the last kudos of a weekly allowance."""

from __future__ import annotations

import threading
import uuid
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_user
from webapp.extensions import db
from webapp.kudos.services import current_week
from webapp.models import Kudos, KudosAllowanceUse

pytestmark = pytest.mark.xdist_group("live-server")


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


def _signed_in(base: str, email: str):  # type: ignore[no-untyped-def]
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    body = urlencode({"email": email, "password": PASSWORD}).encode()
    opener.open(f"{base}/login", data=body, timeout=20).read()
    return opener


def test_only_the_allowance_is_granted_under_concurrent_requests(app, world, live_url):
    receivers = [make_user(db.session, world.org, team=world.team) for _ in range(6)]
    allowance = world.org.kudos_weekly_allowance
    week = current_week(world.org)
    db.session.add(KudosAllowanceUse(user_id=world.staff.id, week_start=week, used=allowance - 1))
    # Read what the test needs before committing: afterwards this session must hold no
    # transaction (on SQLite every transaction takes the write lock the requests race for).
    giver_id, value_id, email = world.staff.id, world.values[0].id, world.staff.email
    receiver_ids = [r.id for r in receivers]
    db.session.commit()
    db.session.close()
    openers = [_signed_in(live_url, email) for _ in receiver_ids]
    barrier = threading.Barrier(len(receiver_ids))
    statuses: list[int] = []

    def send(opener, receiver_id: int) -> None:  # type: ignore[no-untyped-def]
        form = {
            "client_id": str(uuid.uuid4()),
            "receiver_ids": receiver_id,
            "value_id": value_id,
            "message": "Thank you for noticing",
        }
        barrier.wait()
        try:
            with opener.open(
                f"{live_url}/kudos/new", data=urlencode(form).encode(), timeout=30
            ) as r:
                statuses.append(r.status)
        except HTTPError as refused:
            statuses.append(refused.code)

    threads = [
        threading.Thread(target=send, args=(opener, receiver_id))
        for opener, receiver_id in zip(openers, receiver_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    granted = db.session.scalar(select(func.count(Kudos.id)).where(Kudos.giver_id == giver_id))
    used = db.session.scalar(
        select(KudosAllowanceUse.used).where(KudosAllowanceUse.user_id == giver_id)
    )
    assert granted == 1
    assert used == allowance
    # One request was granted; the others got a clear refusal, none a server error.
    assert len(statuses) == len(receiver_ids)
    assert all(status < 500 for status in statuses), statuses
