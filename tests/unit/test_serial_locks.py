"""Serial locks: one row per scope and period, made on first use, forgotten once the period
is long over (a periodic job), and made again if an old period's rule is checked once more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from webapp import jobs, schedule
from webapp.extensions import db
from webapp.models import SerialLock
from webapp.serial import LOCK_KEPT, forget_old_locks, serialize
from webapp.timeutil import frozen_time, utcnow


def _scopes() -> list[str]:
    return sorted(db.session.scalars(select(SerialLock.scope)))


def test_a_scope_gets_one_row_however_often_it_is_locked(app):
    serialize(db.session, "moment-points:1:2026-12-01", "kudos-pair:1:2:2026-11-30")
    serialize(db.session, "moment-points:1:2026-12-01")
    db.session.commit()
    assert _scopes() == ["kudos-pair:1:2:2026-11-30", "moment-points:1:2026-12-01"]


def test_rows_of_periods_long_over_are_forgotten_and_made_again_when_needed(app):
    now = utcnow()
    with frozen_time(now - LOCK_KEPT - timedelta(hours=1)):
        serialize(db.session, "gesture-budget:1:2026-09")
    with frozen_time(now - LOCK_KEPT + timedelta(hours=1)):
        serialize(db.session, "gesture-budget:1:2026-10")
    serialize(db.session, "moment-points:1:today")
    db.session.commit()

    assert forget_old_locks(db.session) == 1
    db.session.commit()
    assert _scopes() == ["gesture-budget:1:2026-10", "moment-points:1:today"]

    # Editing a moment of that old month checks its budget again: the row comes back.
    serialize(db.session, "gesture-budget:1:2026-09")
    db.session.commit()
    assert "gesture-budget:1:2026-09" in _scopes()


def test_the_cleanup_is_a_periodic_job_that_owns_its_transaction(app):
    with frozen_time(utcnow() - LOCK_KEPT - timedelta(days=1)):
        serialize(db.session, "recognition:7:2026-08-31")
    db.session.commit()
    names = {job.name for job in schedule.PERIODIC}
    assert jobs.name_of(schedule.forget_old_serial_locks) in names

    jobs.run(jobs.name_of(schedule.forget_old_serial_locks))

    assert db.session.scalar(select(func.count()).select_from(SerialLock)) == 0
