"""Periodic jobs: what runs on a clock rather than after a request. With Redis the worker
(`flask --app webapp worker`) schedules them on RQ's cron; without, a thread of the web
process does. Every periodic job is idempotent, so two schedulers (two processes) at once
do no harm: each claims its work before doing it."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask

from webapp import jobs
from webapp.channels.delivery import send_due_posts
from webapp.digest.sending import send_weekly_digests
from webapp.extensions import db
from webapp.game.jobs import settle_seasons
from webapp.kudos.invitations import send_invitations
from webapp.manage.jobs import warm_glances
from webapp.notifications.push import deliver_all
from webapp.notifications.vapid import vapid_keys
from webapp.serial import forget_old_locks

log = logging.getLogger(__name__)
TICK_SECONDS = 15


@dataclass(frozen=True)
class Periodic:
    """A job run every `every` seconds."""

    name: str
    every: int


def release_held_pushes() -> None:
    """Send the pushes quiet hours held back, and retry those a push service turned away."""
    keys = vapid_keys()
    if keys is not None:
        deliver_all(db.session(), keys)


def send_monday_invitations() -> None:
    """The weekly note that a new week of kudos is there to give (Monday from 09:00)."""
    send_invitations(db.session())


def forget_old_serial_locks() -> None:
    """The serial locks of periods long over (one row per scope and period would pile up)."""
    forget_old_locks(db.session())
    db.session.commit()


def send_digests() -> None:
    """Last week's team digests (Monday from 08:00), once per team and person."""
    send_weekly_digests(db.session())


PERIODIC: tuple[Periodic, ...] = (
    Periodic(jobs.name_of(release_held_pushes), every=60),
    Periodic(jobs.name_of(send_monday_invitations), every=15 * 60),
    # Seasons close (results, stories, team-goal badges) in the background, never in a page.
    Periodic(jobs.name_of(settle_seasons), every=5 * 60),
    Periodic(jobs.name_of(send_digests), every=15 * 60),
    Periodic(jobs.name_of(send_due_posts), every=60),
    Periodic(jobs.name_of(forget_old_serial_locks), every=60 * 60),
    # The manager's weekly glance is counted ahead of the visit (a new week, a changed one).
    Periodic(jobs.name_of(warm_glances), every=5 * 60),
)


def start_in_process(app: Flask) -> None:
    """Without Redis: from the first request this process serves, a daemon thread hands each
    periodic job to the in-process pool when it is due. Commands (`flask seed-demo`, `flask
    db upgrade`, ...) never start it: a clock inside the demo seed, which writes weeks of
    history in the past, would send digests of weeks it is still writing."""
    if jobs.mode(app) != "threads" or not app.config.get("JOBS_SCHEDULER") or app.testing:
        return
    lock = threading.Lock()
    started: list[threading.Thread] = []

    @app.before_request
    def _start_clock() -> None:
        if started:
            return
        with lock:
            if not started:
                thread = threading.Thread(
                    target=_tick_forever, args=(app,), name="kizuki-clock", daemon=True
                )
                thread.start()
                started.append(thread)


def _tick_forever(app: Flask) -> None:
    last: dict[str, float] = {}
    while True:
        now = time.monotonic()
        for job in PERIODIC:
            if now - last.get(job.name, -job.every) >= job.every:
                last[job.name] = now
                with app.app_context():
                    jobs.enqueue(job.name)
        time.sleep(TICK_SECONDS)


def register_cron(app: Flask) -> object:
    """With Redis: RQ's cron scheduler, holding every periodic job (run it in the worker)."""
    from rq.cron import CronScheduler  # noqa: PLC0415  (rq only where Redis is configured)

    scheduler = CronScheduler(connection=jobs.redis_connection(app))
    for job in PERIODIC:
        scheduler.register(
            jobs.run, queue_name=jobs.queue_name(app), args=(job.name,), interval=job.every
        )
    return scheduler
