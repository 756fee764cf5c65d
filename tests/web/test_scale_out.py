"""Scale-out: two app processes (gunicorn) and RQ workers against one PostgreSQL and one
Redis. Sign-in rate limits and the kudos allowance hold across the processes, every job runs
exactly once, and a job whose worker is killed mid-way is not lost: another worker runs it
and its effect lands once.

Needs PostgreSQL (KIZUKI_TEST_DATABASE_URL) and Redis on 127.0.0.1:6379; skipped otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import func, select

from tests import jobs_support
from tests.conftest import PG_URL
from tests.factories import make_user
from tests.query_support import redis_up
from webapp import jobs
from webapp.auth.tokens import create_token
from webapp.extensions import db
from webapp.kudos.services import current_week
from webapp.models import AuditEntry, Kudos, KudosAllowanceUse

pytestmark = [
    pytest.mark.xdist_group("live-server"),
    pytest.mark.skipif(not PG_URL, reason="scale-out needs PostgreSQL (KIZUKI_TEST_DATABASE_URL)"),
]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/13"
LOGIN_LIMIT = 3


@pytest.fixture
def shared(app_config: dict[str, object]) -> dict[str, str]:
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    run = uuid.uuid4().hex[:8]
    env = {
        "DATABASE_URL": str(app_config["SQLALCHEMY_DATABASE_URI"]),
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": f"scale-{run}",
        "JOBS_PACKAGES": "webapp,tests",
        "RATELIMIT_KEY_PREFIX": f"scale-{run}",
        "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
        "SECRET_KEY": "scale-out-test",
        "JOBS_SCHEDULER": "0",
        "PYTHONPATH": str(ROOT),
    }
    app_config.update(
        JOBS_MODE="rq",
        REDIS_URL=REDIS_URL,
        JOBS_QUEUE=env["JOBS_QUEUE"],
        JOBS_PACKAGES=("webapp", "tests"),
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,  # its own process group: killed whole, work horse included
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


@pytest.fixture
def instances(shared: dict[str, str], app) -> Iterator[list[str]]:
    """Two web processes, as two machines behind a load balancer would run them."""
    started, bases = [], []
    for _ in range(2):
        port = _free_port()
        started.append(
            _start(
                [
                    str(BIN / "gunicorn"),
                    "webapp:create_app()",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                ],
                shared,
            )  # fmt: skip
        )
        bases.append(f"http://127.0.0.1:{port}")
    for base in bases:
        _wait_ready(base)
    yield bases
    for process in started:
        _stop(process)


def _wait_ready(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urlopen(f"{base}/readyz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{base} did not become ready"
        time.sleep(0.3)


def _call(method: str, url: str, body: dict | None = None, token: str | None = None) -> int:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urlopen(Request(url, data=data, headers=headers, method=method), timeout=30) as r:  # noqa: S310
            return int(r.status)
    except HTTPError as refused:
        return int(refused.code)


def _race(calls: list) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []

    def run(call) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        statuses.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_sign_in_attempts_are_limited_across_processes(instances, world):
    wrong = {"email": world.staff.email, "password": "not-the-password"}
    statuses = [
        _call("POST", f"{instances[n % 2]}/api/v1/session", wrong) for n in range(LOGIN_LIMIT + 2)
    ]
    # Each process alone saw at most two attempts: only a shared counter says "too many".
    assert statuses[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT
    assert statuses[LOGIN_LIMIT:] == [429, 429]


def test_the_weekly_allowance_holds_across_processes(instances, world):
    giver = world.staff
    receivers = [make_user(db.session, world.org, team=world.team) for _ in range(6)]
    allowance = world.org.kudos_weekly_allowance
    db.session.add(
        KudosAllowanceUse(user_id=giver.id, week_start=current_week(world.org), used=allowance - 1)
    )
    _token, raw = create_token(db.session, giver, "scale", "write")
    giver_id, receiver_ids = giver.id, [r.id for r in receivers]
    db.session.commit()
    db.session.close()

    def give(n: int, receiver_id: int):  # type: ignore[no-untyped-def]
        body = {
            "client_id": str(uuid.uuid4()),
            "message": "Thank you",
            "receiver_ids": [receiver_id],
        }
        return lambda: _call("POST", f"{instances[n % 2]}/api/v1/kudos", body, raw)

    statuses = _race([give(n, r) for n, r in enumerate(receiver_ids)])
    assert sorted(statuses) == [201] + [409] * 5, statuses
    assert db.session.scalar(select(func.count(Kudos.id)).where(Kudos.giver_id == giver_id)) == 1
    db.session.close()


# The caps that hold exactly under races on this branch: the weekly allowance (above).
# Issue 9 makes the per-receiver weekly cap, the daily points cap, the gesture budget and the
# recognition cap exact under races; add a race for each here, as the allowance's, through
# both processes.


def _worker(shared: dict[str, str]) -> subprocess.Popen[bytes]:
    return _start([str(BIN / "flask"), "--app", "webapp", "worker", "--no-cron"], shared)


def _notes(detail_prefix: str) -> list[str]:
    db.session.expire_all()
    found = list(
        db.session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == "test.job", AuditEntry.detail.like(f"{detail_prefix}%")
            )
        )
    )
    db.session.rollback()
    return found


def _wait(condition, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_two_workers_run_every_job_exactly_once(shared, app, world):
    org_id = world.org.id
    db.session.commit()
    workers = [_worker(shared), _worker(shared)]
    try:
        for n in range(20):
            jobs.enqueue(jobs_support.note, org_id, f"once-{n:02d}", org_id=org_id)
        _wait(lambda: len(_notes("once-")) >= 20)
        time.sleep(1)  # anything run twice would show by now
        notes = _notes("once-")
        assert sorted(notes) == [f"once-{n:02d}" for n in range(20)]
    finally:
        for worker in workers:
            _stop(worker)
        jobs.queue(app).delete(delete_jobs=True)


def test_a_job_whose_worker_dies_is_run_again_and_lands_once(shared, app, world):
    from rq.registry import StartedJobRegistry

    org_id = world.org.id
    db.session.commit()
    first = _worker(shared)
    second = None
    try:
        jobs.enqueue(jobs_support.slow_note, org_id, "survivor", 5.0, org_id=org_id)

        def started() -> bool:
            db.session.expire_all()
            found = db.session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "test.started")
            )
            db.session.rollback()
            return bool(found)

        _wait(started)
        _stop(first, signal.SIGKILL)  # mid-job: the worker and its work horse, at once
        assert _notes("survivor") == []
        second = _worker(shared)
        # After the dead worker's heartbeat runs out, RQ's maintenance finds the job
        # abandoned and, with retries left, queues it again (here: at once, not in minutes).
        registry = StartedJobRegistry(jobs.queue_name(app), connection=jobs.redis_connection(app))
        registry.cleanup(timestamp=time.time() + 24 * 3600)
        _wait(lambda: _notes("survivor") == ["survivor"], seconds=90)
        time.sleep(1)
        assert _notes("survivor") == ["survivor"]
        assert jobs.failures(app) == []
    finally:
        for worker in (first, second):
            if worker is not None:
                _stop(worker)
        jobs.queue(app).delete(delete_jobs=True)
