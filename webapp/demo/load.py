"""`flask seed-load`: a hotel chain's year (10,000 people in 200 teams, half a million
moments, a million kudos) for the benchmarks, written in bulk.

The plan (`webapp.demo.load_plan`) is applied by a `Simulator` that follows the services'
rules exactly (the daily cap, the pair halving, badges, notifications in each person's
language, quiet hours) and produces the rows the services would write; a test replays a
small plan through the services and compares every row. Rows go in with executemany on
SQLite and COPY on PostgreSQL, with ids assigned here so rows can point at each other.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import click
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from webapp.demo import content
from webapp.demo import load_plan as plan
from webapp.demo.bulk import Writer
from webapp.demo.load_rules import Simulator
from webapp.game.season_results import settle
from webapp.models import Membership, Moment, Notification, Organisation, Team, User, Value
from webapp.rules import BUDGET_FLAG
from webapp.timeutil import frozen_time, utcnow

PASSWORD = "kizuki-demo"  # noqa: S105  (the documented demo password, not a secret)
CHUNK = 20_000
OLD_NEWS = timedelta(days=1)  # notifications older than this are history: read, not pushed


@dataclass
class Summary:
    """What `seed_load` wrote."""

    people: int = 0
    teams: int = 0
    moments: int = 0
    kudos: int = 0
    recognitions: int = 0
    ledger: int = 0
    notifications: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k != "seconds")
        return f"Loaded in {self.seconds:.1f}s: {counts}"


# The command --------------------------------------------------------------------------------


def create_organisation(session: Session, shape: plan.Shape, slug: str, now: datetime) -> tuple:
    """The organisation, its values, teams and people (a lead per team), in bulk."""
    skeleton = plan.organisation(shape, slug)
    opened = now - timedelta(days=shape.days + 1)
    with frozen_time(opened):
        # Generated stories do not watch their budget: gestures beyond it are flagged.
        org = Organisation(
            name=skeleton.name, slug=slug, timezone=plan.TZ, gesture_budget_mode=BUDGET_FLAG
        )
        session.add(org)
        session.flush()
        teams = [Team(org_id=org.id, name=name) for name in skeleton.teams]
        session.add_all(teams)
        session.flush()
    values = _values(session, org)
    writer = Writer(session)
    password = generate_password_hash(PASSWORD)
    ids = []
    for person in skeleton.people:
        user_id = writer.new_id("users")
        role = "admin" if person.index == 1 else ("manager" if person.lead else "staff")
        email = f"admin@{slug}.test" if person.index == 1 else person.email
        work = person.work or (None, None)
        writer.add(
            "users", user_id, org.id, email, person.name, password, role, person.locale,
            True, 1, opened, work[0], work[1], False, True,
        )  # fmt: skip
        writer.add(
            "memberships", writer.new_id("memberships"), user_id, teams[person.team].id,
            "lead" if person.lead else "member", opened,
        )  # fmt: skip
        ids.append(user_id)
    writer.flush()
    members = select(func.count(Membership.id)).where(Membership.team_id == Team.id)
    session.execute(
        update(Team)
        .where(Team.org_id == org.id)
        .values(live_members=members.scalar_subquery())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return org, skeleton, [t.id for t in teams], values, ids, writer


def _values(session: Session, org: Organisation) -> list[int]:
    made = [Value(org_id=org.id, **v) for v in content.VALUES]
    session.add_all(made)
    session.flush()
    return [v.id for v in made]


def seed_load(
    session: Session, shape: plan.Shape, slug: str = "load", progress: bool = True
) -> Summary:
    """Build the organisation and write its planned year in bulk."""
    started = clock.perf_counter()
    now = utcnow()
    restore = _bulk_settings(session)
    try:
        return _load(session, shape, slug, progress, now, started)
    finally:
        restore()


def _load(
    session: Session,
    shape: plan.Shape,
    slug: str,
    progress: bool,
    now: datetime,
    started: float,
) -> Summary:
    org, skeleton, team_ids, value_ids, user_ids, writer = create_organisation(
        session, shape, slug, now
    )
    writer.defer_indexes()
    people = _people(session, user_ids)
    simulator = Simulator(org, people, writer)
    simulator.team_ids, simulator.value_ids = team_ids, value_ids
    simulator.by_id = {u.id: u for u in people.values()}
    simulator.team_of = {user_ids[p.index]: team_ids[p.team] for p in skeleton.people}
    simulator.read_by = (now - OLD_NEWS, now)
    apply: dict[type, Callable[[Any], None]] = {
        plan.Moment: simulator.moment,
        plan.Kudos: simulator.kudos,
        plan.Recognition: simulator.recognition,
        plan.Delight: simulator.delight,
    }
    events = plan.Planner(shape, skeleton, now).events()
    _run(events, apply, writer, shape, progress)
    simulator.finish()
    writer.finish()
    _mark_delighted(session, simulator.delighted)
    finish_history(session, org, now)
    _check_keys(session)  # last: the seasons `finish_history` settles are rows too
    summary = Summary(
        people=len(user_ids),
        teams=len(team_ids),
        moments=simulator.counts["moments"],
        kudos=simulator.counts["kudos"],
        recognitions=simulator.counts["recognitions"],
        ledger=writer.written["ledger_entries"],
        notifications=writer.written["notifications"],
    )
    summary.seconds = clock.perf_counter() - started
    return summary


@dataclass(frozen=True)
class PersonRow:
    """What the simulator reads of a person (plain attributes: ORM loads are slow here)."""

    id: int
    name: str
    locale: str | None
    work_start: time | None
    work_end: time | None
    quiet_start: time | None
    quiet_end: time | None


# For this connection during the load, on SQLite: the default page cache (2 MB) makes most
# index inserts a disk read, and the deferred indexes sort in memory up to this size.
_SQLITE_BULK = {"cache_size": -400_000}  # 400 MB

# For the load's own connection before its transaction begins (`load_session`), on SQLite:
# the rollback journal in memory instead of WAL (the file is written once, not into the WAL
# and again at the checkpoint; a new database has next to no pages to journal), no fsync,
# and no foreign-key look-ups per row (a quarter of the inserts' work; `seed_load` checks
# every key once at the end instead). They cannot change inside a transaction. Afterwards
# the app's own settings (`webapp.database`) are put back on the connection.
_SQLITE_OUTSIDE = {"journal_mode": "MEMORY", "synchronous": "OFF", "foreign_keys": "OFF"}
_SQLITE_APP = {"journal_mode": "WAL", "synchronous": "NORMAL", "foreign_keys": "ON"}


@contextmanager
def load_session(engine: Engine) -> Iterator[Session]:
    """A session on a connection of its own for `seed_load` and its commit: on SQLite with
    the bulk settings above from before its transaction to after it ends. For a database
    nobody else uses meanwhile (a crash mid-load leaves a new SQLite file unusable)."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection  # no transaction begun yet
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            _pragmas(raw, _SQLITE_OUTSIDE)
        try:
            with Session(bind=connection) as session:
                yield session
            if sqlite:
                connection.rollback()  # nothing is left open (after a commit: a no-op)
                _pragmas(raw, _SQLITE_APP)
        except BaseException:
            # The pool must never get this connection back with fsync and foreign keys off
            # (a load or a PRAGMA that failed would leave it so): it is closed, not returned.
            connection.invalidate()
            raise


def _pragmas(raw: Any, settings: dict[str, str]) -> None:
    for key, value in settings.items():
        raw.execute(f"PRAGMA {key} = {value}")


def _check_keys(session: Session) -> None:
    """With foreign keys off for the load (`load_session`), every key it wrote is checked
    once at the end (a scan per table, far less than a look-up per row); a dangling key
    fails the load, which then writes nothing."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.execute(text("PRAGMA foreign_keys")).scalar():
        return  # checked row by row already
    dangling = session.execute(text("PRAGMA foreign_key_check")).all()
    if dangling:
        raise RuntimeError(f"seed-load wrote keys pointing nowhere: {dangling[:5]}")


def _bulk_settings(session: Session) -> Callable[[], None]:
    """Settings for the load's own connection; returns what puts the previous ones back."""
    if session.get_bind().dialect.name != "sqlite":
        return lambda: None
    before = {k: session.execute(text(f"PRAGMA {k}")).scalar() for k in _SQLITE_BULK}

    def put(settings: dict[str, Any]) -> None:
        for key, value in settings.items():
            session.execute(text(f"PRAGMA {key} = {int(value)}"))

    put(_SQLITE_BULK)
    return lambda: put(before)


def _people(session: Session, user_ids: list[int]) -> dict[int, PersonRow]:
    found = {
        u.id: PersonRow(
            u.id, u.name, u.locale, u.work_start, u.work_end, u.quiet_start, u.quiet_end
        )
        for u in session.scalars(select(User).where(User.id.in_(user_ids)))
    }
    return {index: found[user_id] for index, user_id in enumerate(user_ids)}


def _run(
    events: Iterable[plan.Event],
    apply: dict[type, Callable[[Any], None]],
    writer: Writer,
    shape: plan.Shape,
    progress: bool,
) -> None:
    total = shape.moments + shape.kudos
    done = 0
    with click.progressbar(length=total, label="Writing a year", hidden=not progress) as bar:
        for event in events:
            apply[type(event)](event)
            if isinstance(event, plan.Moment | plan.Kudos):
                done += 1
                if done % CHUNK == 0:
                    writer.flush()
                    bar.update(CHUNK)
        bar.update(done % CHUNK)


def _mark_delighted(session: Session, moment_ids: set[int]) -> None:
    ids = sorted(moment_ids)
    for start in range(0, len(ids), 500):
        session.execute(
            update(Moment)
            .where(Moment.id.in_(ids[start : start + 500]))
            .values(delighted=True)
            .execution_options(synchronize_session=False)
        )


def finish_history(session: Session, org: Organisation, now: datetime) -> None:
    """History is old news (its notifications read, never pushed); seasons up to today."""
    session.execute(
        update(Notification)
        .where(
            Notification.user_id.in_(select(User.id).where(User.org_id == org.id)),
            Notification.created_at < now - OLD_NEWS,
            Notification.read_at.is_(None),  # the bulk load writes history read already
        )
        .values(read_at=now, push_due_at=None)
        .execution_options(synchronize_session=False)
    )
    # Fresh statistics before anything reads the loaded rows: without them SQLite's planner
    # picks the organisation index for a moment's kudos (a scan of every kudos) instead of
    # the moment's own, and PostgreSQL joins a season's kudos to its moments by nested loops
    # (one season's best stories took minutes at 100 %).
    session.execute(text("ANALYZE"))
    with frozen_time(now):
        settle(session, org)  # seasons up to today, the finished ones closed
