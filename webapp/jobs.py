"""Background work, never in the request thread.

With `REDIS_URL` set, a job goes to an RQ queue in Redis and the `worker:` process runs it
(`flask --app webapp worker`), retried with back-off; one that keeps failing lands in RQ's
failed-job registry, which admins see as dead letters. Without Redis, a small bounded pool
of threads in the web process runs it, so `make run` stays one process. Tests run jobs
inline (`JOBS_MODE=inline`) unless a test asks for another mode.

A job is a module-level function named by its dotted path, taking plain values (ids,
strings). It runs in an app context, owns its transaction (commits what it does) and must
be idempotent: RQ retries a failed job and re-queues one whose worker died mid-way.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, has_app_context

from webapp.extensions import db
from webapp.timeutil import utcnow

log = logging.getLogger(__name__)

MODES = ("rq", "threads", "inline")
QUEUE = "kizuki"
RETRY_DELAYS = (10, 60, 300)  # seconds before the 1st, 2nd and 3rd retry
THREAD_RETRY_DELAYS = (1, 5)  # in-process: shorter, the web process is busy meanwhile
JOB_TIMEOUT = 600  # seconds a job may run before RQ stops it
MAX_PENDING = 1000  # in-process: jobs waiting beyond this are refused, not piled up
KEPT_FAILURES = 200  # in-process dead letters kept in memory


@dataclass(frozen=True)
class Failure:
    """A job that kept failing: what it was, why, when, and for which organisation."""

    id: str
    name: str
    args: tuple[Any, ...]
    error: str
    failed_at: datetime
    org_id: int | None


def mode(app: Flask | None = None) -> str:
    """How jobs run here: `rq`, `threads` or `inline`."""
    config = (app or current_app).config
    chosen = config.get("JOBS_MODE") or ("rq" if config.get("REDIS_URL") else "threads")
    if chosen not in MODES:
        raise RuntimeError(f"JOBS_MODE must be one of {', '.join(MODES)}, not {chosen!r}")
    return str(chosen)


def name_of(func: Callable[..., Any] | str) -> str:
    """A job's dotted name (`webapp.notifications.push.deliver_for_user`)."""
    if isinstance(func, str):
        return func
    return f"{func.__module__}.{func.__qualname__}"


def enqueue(func: Callable[..., Any] | str, *args: Any, org_id: int | None = None) -> None:
    """Run `func(*args)` in the background, after the current transaction's commit is the
    caller's business: enqueue after committing what the job will read."""
    name = name_of(func)
    chosen = mode()
    if chosen == "inline":
        # Tests: now, in the caller's context and session (the job commits what it does).
        resolve(name)(*args)
    elif chosen == "threads":
        _runner(current_app._get_current_object()).submit(name, args, org_id)  # type: ignore[attr-defined]
    else:
        _rq_enqueue(current_app._get_current_object(), name, args, org_id)  # type: ignore[attr-defined]


def run(name: str, *args: Any) -> Any:
    """Run one job by name and leave no session behind. RQ calls this in the worker (inside
    the app context `flask --app webapp worker` holds); the other modes call it in theirs."""
    if not has_app_context():
        raise RuntimeError("Kizuki jobs run in `flask --app webapp worker`, not `rq worker`.")
    if current_app.config.get("JOBS_FORKED_WORKER"):
        # A forked work horse must not share its parent's database connections.
        db.engine.dispose(close=False)
    try:
        return resolve(name)(*args)
    finally:
        db.session.remove()


def resolve(name: str) -> Callable[..., Any]:
    """The function a dotted job name names; only Kizuki's own code (the packages named in
    JOBS_PACKAGES) may be a job, whatever a queue holds."""
    module, _, attribute = name.rpartition(".")
    packages = tuple(f"{p}." for p in current_app.config.get("JOBS_PACKAGES", ("webapp",)))
    if not module.startswith(packages):
        raise ValueError(f"not a Kizuki job: {name}")
    target = getattr(importlib.import_module(module), attribute)
    if not callable(target):
        raise ValueError(f"not callable: {name}")
    return target


def failures(app: Flask | None = None, org_id: int | None = None) -> list[Failure]:
    """Dead letters: jobs that failed every retry, newest first (one organisation's, when
    `org_id` is given; server-wide ones have no organisation)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = _rq_failures(app) if mode(app) == "rq" else list(_runner(app).failed)
    found.sort(key=lambda f: f.failed_at, reverse=True)
    return [f for f in found if org_id is None or f.org_id == org_id]


def retry_failure(failure_id: str, app: Flask | None = None) -> bool:
    """Send a dead letter back to the queue; False when it is gone."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if mode(app) == "rq":
        from rq.registry import FailedJobRegistry  # noqa: PLC0415  (rq is optional here)

        registry = FailedJobRegistry(queue_name(app), connection=redis_connection(app))
        if failure_id not in registry.get_job_ids():
            return False
        registry.requeue(failure_id)
        return True
    runner = _runner(app)
    for failure in list(runner.failed):
        if failure.id == failure_id:
            runner.failed.remove(failure)
            runner.submit(failure.name, failure.args, failure.org_id)
            return True
    return False


# In-process ---------------------------------------------------------------------------------


class _Runner:
    """A bounded pool of threads for one app; failures are kept as dead letters."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kizuki-job")
        self.pending = threading.BoundedSemaphore(MAX_PENDING)
        self.failed: deque[Failure] = deque(maxlen=KEPT_FAILURES)
        self.lock = threading.Lock()

    def submit(self, name: str, args: tuple[Any, ...], org_id: int | None) -> None:
        if not self.pending.acquire(blocking=False):
            log.error("job refused, %d already waiting: %s", MAX_PENDING, name)
            return
        self.pool.submit(self._work, name, args, org_id)

    def _work(self, name: str, args: tuple[Any, ...], org_id: int | None) -> None:
        try:
            failure = _run_with_retries(self.app, name, args, org_id, THREAD_RETRY_DELAYS)
            if failure is not None:
                with self.lock:
                    self.failed.append(failure)
        finally:
            self.pending.release()


def _runner(app: Flask) -> _Runner:
    runner = app.extensions.get("kizuki_jobs")
    if runner is None:
        runner = app.extensions["kizuki_jobs"] = _Runner(app, int(app.config["JOBS_THREADS"]))
    return runner


def _run_with_retries(
    app: Flask, name: str, args: tuple[Any, ...], org_id: int | None, delays: tuple[int, ...]
) -> Failure | None:
    for attempt in range(len(delays) + 1):
        try:
            with app.app_context():
                run(name, *args)
            return None
        except Exception as error:  # a job's failure must not take the pool down
            log.exception("job failed (attempt %d): %s", attempt + 1, name)
            if attempt < len(delays):
                time.sleep(delays[attempt])
                continue
            return Failure(
                id=f"local-{id(error)}-{time.monotonic_ns()}",
                name=name,
                args=args,
                error=f"{type(error).__name__}: {error}",
                failed_at=utcnow(),
                org_id=org_id,
            )
    return None


# RQ -----------------------------------------------------------------------------------------


def redis_connection(app: Flask) -> Any:
    """The Redis connection jobs use (one per app)."""
    from redis import Redis  # noqa: PLC0415  (only where Redis is configured)

    connection = app.extensions.get("kizuki_redis")
    if connection is None:
        connection = app.extensions["kizuki_redis"] = Redis.from_url(app.config["REDIS_URL"])
    return connection


def queue_name(app: Flask) -> str:
    """The name of the RQ queue this app's jobs go to."""
    return str(app.config.get("JOBS_QUEUE") or QUEUE)


def queue(app: Flask) -> Any:
    """The RQ queue this app's jobs go to."""
    from rq import Queue  # noqa: PLC0415

    return Queue(queue_name(app), connection=redis_connection(app))


def _rq_enqueue(app: Flask, name: str, args: tuple[Any, ...], org_id: int | None) -> None:
    from rq import Retry  # noqa: PLC0415

    queue(app).enqueue_call(
        run,
        args=(name, *args),
        timeout=JOB_TIMEOUT,
        retry=Retry(max=len(RETRY_DELAYS), interval=list(RETRY_DELAYS)),
        meta={"org_id": org_id},
        description=name,
        failure_ttl=30 * 24 * 3600,
    )


def _rq_failures(app: Flask) -> list[Failure]:
    from rq.job import Job  # noqa: PLC0415
    from rq.registry import FailedJobRegistry  # noqa: PLC0415

    connection = redis_connection(app)
    registry = FailedJobRegistry(queue_name(app), connection=connection)
    found = []
    for job in Job.fetch_many(registry.get_job_ids(), connection=connection):
        if job is None:
            continue
        name, *args = job.args or ("?",)
        result = job.latest_result()
        error = (result.exc_string if result is not None else "") or ""
        found.append(
            Failure(
                id=job.id,
                name=str(name),
                args=tuple(args),
                error=error.strip().splitlines()[-1] if error.strip() else "",
                failed_at=job.ended_at or utcnow(),
                org_id=(job.meta or {}).get("org_id"),
            )
        )
    return found
