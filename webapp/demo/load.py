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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from webapp import rules
from webapp.demo import content
from webapp.demo import load_plan as plan
from webapp.game.badges import BADGES
from webapp.game.season_results import settle
from webapp.kudos.services import KudosInput
from webapp.kudos.services import input_fingerprint as kudos_fingerprint
from webapp.models import Membership, Moment, Notification, Organisation, Team, User, Value
from webapp.moments.services import MomentInput
from webapp.moments.services import input_fingerprint as moment_fingerprint
from webapp.notifications.quiet import release_time
from webapp.points import ledger, standings
from webapp.timeutil import frozen_time, utcnow, week_start

PASSWORD = "kizuki-demo"  # noqa: S105  (the documented demo password, not a secret)
CHUNK = 20_000


def _cols(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# Tables in the order they are written (rows only point at rows written before them).
COLUMNS: dict[str, tuple[str, ...]] = {
    "users": _cols(
        "id org_id email name password_hash role locale "
        "active session_version created_at work_start work_end hide_from_boards reminders_enabled"
    ),
    "memberships": _cols("id user_id team_id role created_at"),
    "moments": _cols(
        "id org_id team_id author_id client_id occurred_at created_at "
        "cue action reaction gesture_cost_cents gesture_note outside_hours delighted "
        "payload_sha256"
    ),
    "moment_values": _cols("moment_id value_id"),
    "moment_colleagues": _cols("moment_id user_id"),
    "kudos": _cols(
        "id org_id client_id giver_id receiver_id "
        "moment_id value_id message private week_start created_at payload_sha256"
    ),
    "kudos_allowance_uses": _cols("id user_id week_start used"),
    "recognitions": _cols("id org_id manager_id recipient_id message award created_at"),
    "recognition_moments": _cols("recognition_id moment_id"),
    "ledger_entries": _cols(
        "id org_id user_id points reason day created_at moment_id kudos_id recognition_id note"
    ),
    "points_daily": _cols("id org_id user_id day points"),
    "user_points": _cols("id org_id user_id period starts_on points"),
    "team_points": _cols("id org_id team_id period starts_on points"),
    "badge_awards": _cols("id org_id user_id badge awarded_at"),
    "notifications": _cols("id user_id kind title body url created_at push_due_at push_attempts"),
}
WITH_ID = [t for t, cols in COLUMNS.items() if cols[0] == "id"]


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


# Writing rows -------------------------------------------------------------------------------


class Writer:
    """Bulk rows into the session's connection: executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.next_id = {t: self._max_id(t) + 1 for t in WITH_ID}
        self.written: dict[str, int] = defaultdict(int)

    def _max_id(self, table: str) -> int:
        return int(self.session.execute(text(f"SELECT MAX(id) FROM {table}")).scalar() or 0)  # noqa: S608

    def new_id(self, table: str) -> int:
        made = self.next_id[table]
        self.next_id[table] = made + 1
        return made

    def add(self, table: str, *values: Any) -> None:
        self.rows[table].append(values)

    def flush(self) -> None:
        raw = self.session.connection().connection.driver_connection
        for table in COLUMNS:
            rows = self.rows.get(table)
            if rows:
                (self._copy if self.postgres else self._insert)(raw, table, rows)
                self.written[table] += len(rows)
        self.rows.clear()

    def _insert(self, raw: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
        columns = COLUMNS[table]
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        convert = [(i, _SQLITE[kind]) for i, kind in enumerate(_kinds(rows)) if kind in _SQLITE]
        if convert:
            rows = [_converted(row, convert) for row in rows]
        raw.executemany(sql, rows)

    def _copy(self, raw: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
        with raw.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self) -> None:
        """On PostgreSQL, move each id sequence past the ids written here."""
        self.flush()
        if self.postgres:
            for table in WITH_ID:
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )


# The text forms SQLAlchemy's SQLite types store (UTC, no zone), so the app reads them back.
_SQLITE: dict[type, Callable[[Any], Any]] = {
    datetime: lambda v: v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
    date: date.isoformat,
    time: lambda v: v.strftime("%H:%M:%S.%f"),
    bool: int,
}


def _kinds(rows: list[tuple[Any, ...]]) -> list[type]:
    """Each column's Python type, from the first row that has a value there."""
    kinds: list[type] = [type(None)] * len(rows[0])
    for row in rows:
        for i, value in enumerate(row):
            if value is not None and kinds[i] is type(None):
                kinds[i] = type(value)
        if type(None) not in kinds:
            break
    return kinds


def _converted(row: tuple[Any, ...], convert: list[tuple[int, Callable[[Any], Any]]]) -> tuple:
    values = list(row)
    for i, to_text in convert:
        if values[i] is not None:
            values[i] = to_text(values[i])
    return tuple(values)


# Following the rules ------------------------------------------------------------------------


@dataclass
class PersonState:
    """What the badges look at, for one person."""

    moments: bool = False
    gave: bool = False
    receivers: frozenset[int] | set[int] = frozenset()
    delighted: bool = False
    across: bool = False
    recognized: bool = False


class Simulator:
    """Applies planned actions as the services would, producing rows for the `Writer`."""

    def __init__(self, org: Organisation, people: dict[int, Any], writer: Writer) -> None:
        self.org, self.people, self.out = org, people, writer
        self.rules = rules.PointsRules.of(org)
        self.zone = ZoneInfo(org.timezone)
        # Plain copies of what every row needs (ORM attribute loads are slow in a hot loop).
        self.org_id, self.tz, self.default_locale = org.id, org.timezone, org.default_locale
        self.quiet = (org.quiet_hours_start, org.quiet_hours_end)
        self.state: dict[int, PersonState] = defaultdict(PersonState)
        self.held: dict[int, set[str]] = defaultdict(set)
        self.rewarded: dict[tuple[int, date], int] = defaultdict(int)
        self.pairs: dict[tuple[int, int, date], int] = defaultdict(int)
        self.used: dict[tuple[int, date], int] = defaultdict(int)
        self.daily: dict[tuple[int, date], int] = defaultdict(int)
        self.moments: dict[int, tuple[int, int]] = {}  # plan index -> (id, author id)
        self.delighted: set[int] = set()
        self.titles: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = defaultdict(int)
        # Set by `seed_load`: ids by plan index, and each person's team.
        self.team_ids: list[int] = []
        self.value_ids: list[int] = []
        self.team_of: dict[int, int] = {}
        self.by_id: dict[int, Any] = {}

    # Helpers

    def _local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)

    def _title(self, key: str, locale: str, **names: str) -> str:
        # Translated once per language: the same words gettext gives in the services.
        if (key, locale) not in self.titles:
            with force_locale(locale):
                self.titles[key, locale] = _(key)
        return (self.titles[key, locale] % names)[:140]

    def _ledger(self, at: datetime, user: Any, points: int, reason: str, **refs: Any) -> None:
        day = self._local(at).date()
        note = refs.pop("note", None)
        self.out.add(
            "ledger_entries",
            self.out.new_id("ledger_entries"),
            self.org_id,
            user.id,
            points,
            reason,
            day,
            at,
            refs.get("moment_id"),
            refs.get("kudos_id"),
            refs.get("recognition_id"),
            note,
        )
        if points:
            self.daily[user.id, day] += points

    def _notify(self, at: datetime, user: Any, kind: str, title: str, body: str, url: str) -> None:
        due = self._push_due(user, at) if kind != "badge" else at
        self.out.add(
            "notifications",
            self.out.new_id("notifications"),
            user.id,
            kind,
            title,
            body,
            url,
            at,
            due,
            0,
        )

    def _push_due(self, user: Any, at: datetime) -> datetime | None:
        windows = [
            self.quiet,
            (user.quiet_start, user.quiet_end),
        ]
        return release_time(at, self.tz, windows)

    def _locale(self, user: Any) -> str:
        return str(user.locale or self.default_locale)

    # Actions

    def moment(self, event: plan.Moment) -> None:
        author = self.people[event.author]
        text = content.MOMENTS[event.text]
        moment_id = self.out.new_id("moments")
        cost = text["gesture_cost_cents"] or None
        local = self._local(event.at).time()
        outside = not rules.within_hours(local, author.work_start, author.work_end)
        self.out.add(
            "moments",
            moment_id,
            self.org_id,
            self.team_ids[event.team],
            author.id,
            event.client_id,
            event.at - timedelta(minutes=event.minutes_before),
            event.at,
            text["cue"],
            text["action"],
            text["reaction"],
            cost,
            (text["gesture_note"] or None) if cost else None,
            outside,
            False,
            self._moment_fingerprint(event, author, text),
        )
        for value in event.values:
            self.out.add("moment_values", moment_id, self.value_ids[value])
        for colleague in event.colleagues:
            self.out.add("moment_colleagues", moment_id, self.people[colleague].id)
        self.moments[event.index] = (moment_id, author.id)
        day = self._local(event.at).date()
        points = rules.moment_points(self.rules, self.rewarded[author.id, day], outside)
        note = None if points else ("outside_hours" if outside else "daily_cap")
        if points:
            self.rewarded[author.id, day] += 1
        self._ledger(event.at, author, points, ledger.MOMENT_LOGGED, moment_id=moment_id, note=note)
        self.state[author.id].moments = True
        self.counts["moments"] += 1
        self._follow(event.at, [author])

    def _moment_fingerprint(self, event: plan.Moment, author: Any, text: dict) -> str:
        # The idempotency key's fingerprint, from the input the service would be given.
        return moment_fingerprint(
            MomentInput(
                client_id=event.client_id,
                team_id=self.team_ids[event.team],
                cue=str(text["cue"]),
                action=str(text["action"]),
                reaction=str(text["reaction"]),
                value_ids=[self.value_ids[v] for v in event.values],
                colleague_ids=[self.people[c].id for c in event.colleagues],
                gesture_cost_cents=text["gesture_cost_cents"],
                gesture_note=text["gesture_note"],
                occurred_at=event.at - timedelta(minutes=event.minutes_before),
            )
        )

    def kudos(self, event: plan.Kudos) -> None:
        giver, receiver = self.people[event.giver], self.people[event.receiver]
        week = week_start(self._local(event.at).date())
        pair = (min(giver.id, receiver.id), max(giver.id, receiver.id), week)
        exchanges = self.pairs[pair]
        kudos_id = self.out.new_id("kudos")
        moment = self.moments[event.moment][0] if event.moment is not None else None
        self.out.add(
            "kudos",
            kudos_id,
            self.org_id,
            event.client_id,
            giver.id,
            receiver.id,
            moment,
            self.value_ids[event.value] if event.value is not None else None,
            event.message,
            event.private,
            week,
            event.at,
            kudos_fingerprint(
                KudosInput(
                    client_id=event.client_id,
                    message=event.message,
                    receiver_ids=[receiver.id],
                    moment_id=moment,
                    value_id=self.value_ids[event.value] if event.value is not None else None,
                    private=event.private,
                )
            ),
        )
        self.pairs[pair] += 1
        self.used[giver.id, week] += 1
        points = rules.kudos_received_points(self.rules, exchanges)
        note = "repeated_pair" if exchanges else None
        self._ledger(
            event.at, receiver, points, ledger.KUDOS_RECEIVED, kudos_id=kudos_id, note=note
        )
        self._ledger(event.at, giver, self.rules.kudos_given, ledger.KUDOS_GIVEN, kudos_id=kudos_id)
        title = self._title("%(name)s gave you kudos", self._locale(receiver), name=giver.name)
        self._notify(event.at, receiver, "kudos", title, event.message, "/me")
        state = self.state[giver.id]
        state.gave = True
        state.receivers = (
            {*state.receivers, receiver.id} if len(state.receivers) < 5 else state.receivers
        )
        if self.team_of[receiver.id] != self.team_of[giver.id]:
            state.across = True
        self.counts["kudos"] += 1
        self._follow(event.at, [receiver, giver])

    def recognition(self, event: plan.Recognition) -> None:
        manager, recipient = self.people[event.manager], self.people[event.recipient]
        recognition_id = self.out.new_id("recognitions")
        self.out.add(
            "recognitions",
            recognition_id,
            self.org_id,
            manager.id,
            recipient.id,
            event.message,
            event.award,
            event.at,
        )
        for index in sorted(set(event.moments)):
            self.out.add("recognition_moments", recognition_id, self.moments[index][0])
        self._ledger(
            event.at,
            recipient,
            self.rules.recognition,
            ledger.RECOGNITION_RECEIVED,
            recognition_id=recognition_id,
        )
        title = self._title(
            "%(name)s recognized your work", self._locale(recipient), name=manager.name
        )
        self._notify(event.at, recipient, "recognition", title, "", "/me")
        self.state[recipient.id].recognized = True
        self.counts["recognitions"] += 1
        self._follow(event.at, [recipient])

    def delight(self, event: plan.Delight) -> None:
        moment_id, author_id = self.moments[event.moment]
        if moment_id in self.delighted:
            return  # already marked: the service changes nothing
        self.delighted.add(moment_id)
        self.state[author_id].delighted = True
        self._follow(event.at, [self.by_id[author_id]])

    # The game follows the ledger

    def _follow(self, at: datetime, touched: Iterable[Any]) -> None:
        for user in sorted({u.id: u for u in touched}.values(), key=lambda u: u.id):
            state, held = self.state[user.id], self.held[user.id]
            for badge in BADGES:
                if badge.key not in held and self._meets(badge.key, state):
                    held.add(badge.key)
                    self._award(at, user, badge)

    @staticmethod
    def _meets(key: str, state: PersonState) -> bool:
        return {
            "first_moment": state.moments,
            "first_kudos": state.gave,
            "five_colleagues": len(state.receivers) >= 5,
            "delighted": state.delighted,
            "across_teams": state.across,
            "recognized": state.recognized,
        }.get(key, False)

    def _award(self, at: datetime, user: Any, badge: Any) -> None:
        self.out.add(
            "badge_awards", self.out.new_id("badge_awards"), self.org_id, user.id, badge.key, at
        )
        locale = self._locale(user)
        with force_locale(locale):
            title = _("You earned a badge: %(name)s", name=str(badge.name))[:140]
            body = str(badge.description)
        self._notify(at, user, "badge", title, body, "/badges")

    # The end of the history

    def finish(self) -> None:
        """Allowance counters, the roll-up and the standings (as the ledger keeps them)."""
        out = self.out
        for (user_id, week), used in sorted(self.used.items()):
            out.add("kudos_allowance_uses", out.new_id("kudos_allowance_uses"), user_id, week, used)
        totals: dict[tuple[int, str, date], int] = defaultdict(int)
        for (user_id, day), points in sorted(self.daily.items()):
            out.add("points_daily", out.new_id("points_daily"), self.org_id, user_id, day, points)
            for period in standings.PERIODS:
                totals[user_id, period, standings.period_key(period, day)] += points
        teams: dict[tuple[int, str, date], int] = defaultdict(int)
        for (user_id, period, start), points in sorted(totals.items()):
            if points:
                out.add(
                    "user_points",
                    out.new_id("user_points"),
                    self.org_id,
                    user_id,
                    period,
                    start,
                    points,
                )
                teams[self.team_of[user_id], period, start] += points
        for (team_id, period, start), points in sorted(teams.items()):
            if points:
                out.add(
                    "team_points",
                    out.new_id("team_points"),
                    self.org_id,
                    team_id,
                    period,
                    start,
                    points,
                )


# The command --------------------------------------------------------------------------------


def create_organisation(session: Session, shape: plan.Shape, slug: str, now: datetime) -> tuple:
    """The organisation, its values, teams and people (a lead per team), in bulk."""
    skeleton = plan.organisation(shape, slug)
    opened = now - timedelta(days=shape.days + 1)
    with frozen_time(opened):
        org = Organisation(name=skeleton.name, slug=slug, timezone=plan.TZ)
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
    _bulk_settings(session)
    org, skeleton, team_ids, value_ids, user_ids, writer = create_organisation(
        session, shape, slug, now
    )
    people = _people(session, user_ids)
    simulator = Simulator(org, people, writer)
    simulator.team_ids, simulator.value_ids = team_ids, value_ids
    simulator.by_id = {u.id: u for u in people.values()}
    simulator.team_of = {user_ids[p.index]: team_ids[p.team] for p in skeleton.people}
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


def _bulk_settings(session: Session) -> None:
    # SQLite's default page cache (2 MB) makes most index inserts a disk read: give this
    # connection 400 MB.
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA cache_size = -400000"))


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
            Notification.created_at < now - timedelta(days=1),
        )
        .values(read_at=now, push_due_at=None)
        .execution_options(synchronize_session=False)
    )
    with frozen_time(now):
        settle(session, org)  # seasons up to today, the finished ones closed
    # Fresh statistics: without them SQLite's planner picks the organisation index for a
    # moment's kudos (a scan of every kudos) instead of the moment's own.
    session.execute(text("ANALYZE"))
