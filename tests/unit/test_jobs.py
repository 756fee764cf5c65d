"""Background jobs: inline in tests, a bounded in-process pool without Redis, RQ with it.
Each mode runs the job in an app context, keeps failures as dead letters after retries,
and can send a dead letter back."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import func, select

from tests import jobs_support
from webapp import jobs
from webapp.extensions import db
from webapp.models import AuditEntry


@pytest.fixture
def app_config(app_config):
    return {**app_config, "JOBS_PACKAGES": ("webapp", "tests")}


def notes() -> list[str]:
    db.session.expire_all()
    found = db.session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "test.job"))
    details = list(found)
    db.session.rollback()  # end the read: on SQLite an open transaction blocks the job's write
    return details


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the job did not run in time"
        time.sleep(0.05)


def test_inline_runs_the_job_now(app, world):
    jobs.enqueue(jobs_support.note, world.org.id, "inline")
    assert notes() == ["inline"]


def test_only_our_own_code_can_be_a_job(app):
    with pytest.raises(ValueError, match="not a Kizuki job"):
        jobs.enqueue("os.system", "echo owned")
    app.config["JOBS_PACKAGES"] = ("webapp",)
    with pytest.raises(ValueError, match="not a Kizuki job"):
        jobs.resolve("tests.jobs_support.note")


def test_threads_run_outside_the_caller_and_keep_dead_letters(app, world, monkeypatch):
    app.config["JOBS_MODE"] = "threads"
    monkeypatch.setattr(jobs, "THREAD_RETRY_DELAYS", (0, 0))
    jobs_support.CALLS.clear()
    org_id, other_org_id = world.org.id, world.other_org.id
    db.session.rollback()
    jobs.enqueue(jobs_support.note, org_id, "in a thread")
    jobs.enqueue(jobs_support.fail, "thread", org_id=org_id)
    wait_for(lambda: "in a thread" in notes())
    wait_for(lambda: len(jobs.failures(app)) == 1)
    assert len(jobs_support.CALLS) == 3  # the first try and two retries
    failure = jobs.failures(app, org_id=org_id)[0]
    assert failure.name == "tests.jobs_support.fail" and "no luck" in failure.error
    assert jobs.failures(app, org_id=other_org_id) == []
    assert jobs.retry_failure(failure.id, app) is True
    wait_for(lambda: len(jobs_support.CALLS) == 6)
    wait_for(lambda: len(jobs.failures(app)) == 1)
    assert jobs.retry_failure("no-such-job", app) is False


@pytest.fixture
def rq_app(app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    app.config.update(
        JOBS_MODE="rq", REDIS_URL="redis://127.0.0.1:6379/0", JOBS_QUEUE=f"t-{uuid.uuid4()}"
    )
    yield app
    queue = jobs.queue(app)
    queue.delete(delete_jobs=True)


def _drain(app) -> None:
    from rq import SimpleWorker

    worker = SimpleWorker([jobs.queue(app)], connection=jobs.redis_connection(app))
    worker.work(burst=True)


def test_rq_runs_jobs_in_a_worker_and_keeps_dead_letters(rq_app, world, monkeypatch):
    monkeypatch.setattr(jobs, "RETRY_DELAYS", (0,))
    org_id = world.org.id  # the in-process worker below ends this test's session per job
    jobs.enqueue(jobs_support.note, org_id, "on rq")
    jobs.enqueue(jobs_support.fail, "rq", org_id=org_id)
    assert notes() == []  # nothing ran in the caller
    for _ in range(3):  # the first try, then the retry RQ re-queues
        _drain(rq_app)
    assert notes() == ["on rq"]
    failures = jobs.failures(rq_app, org_id=org_id)
    assert [f.name for f in failures] == ["tests.jobs_support.fail"]
    assert "no luck" in failures[0].error
    assert jobs.retry_failure(failures[0].id, rq_app) is True
    assert jobs.queue(rq_app).count == 1


def test_an_unknown_mode_is_refused(app):
    app.config["JOBS_MODE"] = "carrier-pigeon"
    with pytest.raises(RuntimeError, match="JOBS_MODE"):
        jobs.mode(app)


def test_count_helper_is_sane(app, world):
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0
    assert jobs_support.organisations() == 2
