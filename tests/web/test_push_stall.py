"""A push service that accepts and never answers cannot stall the server (issue 9, §2).

Before, pushes were sent one after another in the request's own thread: eight recognitions
to a person with a stalling endpoint held API calls for a minute. Now the request only
queues a job (here the in-process pool, as without Redis), and returns at once; the job
gives up on the stalled endpoint within its budget and leaves the push due for a retry.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from flask import g
from sqlalchemy import select

from tests.push_support import PUSH_CONFIG, BrowserKeys, FakePushService, outbound_config
from webapp import jobs
from webapp.extensions import db
from webapp.models import Notification
from webapp.notifications import push, subscriptions

# The stalled push is given STALL seconds; a request that waited for it would take that long.
# FAST is far above a page's time even on a loaded test machine, and far below STALL.
STALL = 6.0
FAST = 2.5


@pytest.fixture
def stalled() -> Iterator[FakePushService]:
    service = FakePushService(stall=True).start()
    yield service
    service.stop()


@pytest.fixture
def app_config(app_config, stalled):
    return {**app_config, **PUSH_CONFIG, **outbound_config(stalled), "JOBS_MODE": "threads"}


def give_kudos(client, ids: tuple[int, int], message: str):
    receiver_id, value_id = ids
    return client.post(
        "/kudos/new",
        data={
            "client_id": str(uuid.uuid4()),
            "message": message,
            "value_id": str(value_id),
            "receiver_ids": [receiver_id],
        },
    )


def timed(call):
    started = time.monotonic()
    response = call()
    elapsed = time.monotonic() - started
    # The test shares its session with the requests (one app context); a served request
    # would end it here, and the background job needs the write lock it may hold.
    db.session.remove()
    g.pop("_login_user", None)  # flask-login keeps the person on the shared `g`
    return response, elapsed


def test_a_stalled_push_service_never_holds_a_request(
    app, client, auth, world, stalled, monkeypatch
):
    world.org.quiet_hours_start = world.org.quiet_hours_end = None
    keys = BrowserKeys()
    subscriptions.subscribe(db.session, world.staff2, stalled.endpoint(), keys.p256dh, keys.auth)
    db.session.commit()
    queued = []
    enqueue = jobs.enqueue

    def spy(func, *args, **kwargs):
        queued.append((jobs.name_of(func), args))
        return enqueue(func, *args, **kwargs)

    monkeypatch.setattr(jobs, "enqueue", spy)
    monkeypatch.setattr(push, "CONNECT_TIMEOUT", STALL)
    monkeypatch.setattr(push, "PUSH_BUDGET", STALL)
    auth.login(world.staff.email)
    ids = (world.staff2.id, world.values[0].id)

    first, first_s = timed(lambda: give_kudos(client, ids, "You caught the allergy in time"))
    assert first.status_code == 302
    assert queued == [(jobs.name_of(push.deliver_for_user), (ids[0],))]
    deadline = time.monotonic() + 10
    while not stalled.received and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(stalled.received) == 1  # the background job is now stuck on the endpoint

    other = app.test_client()
    login_page, login_s = timed(lambda: other.get("/login"))
    second, second_s = timed(lambda: give_kudos(client, ids, "And the birthday cake"))
    assert (login_page.status_code, second.status_code) == (200, 302)

    started = time.monotonic()
    jobs._runner(app).pool.shutdown(wait=True)  # let the background pushes give up
    background_s = time.monotonic() - started
    print(
        f"\nwhile a push stalls: kudos POST {first_s:.3f} s, GET /login {login_s:.3f} s, "
        f"second kudos POST {second_s:.3f} s; background jobs gave up after "
        f"{background_s:.2f} s more (budget {push.PUSH_BUDGET} s each)"
    )
    assert max(first_s, login_s, second_s) < FAST
    db.session.expire_all()
    pushed = db.session.scalars(select(Notification).where(Notification.kind == "kudos")).all()
    assert len(pushed) == 2
    # Not delivered, not lost: each waits for its retry.
    assert all(n.pushed_at is None and n.push_due_at is not None for n in pushed)
    assert background_s < 2 * STALL + 2
