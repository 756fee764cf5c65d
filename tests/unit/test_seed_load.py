"""`flask seed-load` writes in bulk exactly the rows the services write: a small planned
organisation is loaded in bulk once, and replayed action by action through the services
once, and every table compares equal (ids aside)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text

from webapp.demo import content
from webapp.demo import load as load_module
from webapp.demo import load_plan as plan
from webapp.demo.load import (
    _check_keys,
    create_organisation,
    finish_history,
    load_session,
    seed_load,
)
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.kudos.services import input_fingerprint as kudos_fingerprint
from webapp.models import (
    BadgeAward,
    Kudos,
    KudosAllowanceUse,
    LedgerEntry,
    Moment,
    Notification,
    Organisation,
    PointsDaily,
    Recognition,
    Season,
    Team,
    TeamPoints,
    User,
    UserPoints,
    Value,
)
from webapp.moments.services import MomentInput, log_moment, mark_delighted
from webapp.moments.services import input_fingerprint as moment_fingerprint
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import as_utc, frozen_time

NOW = datetime(2025, 5, 14, 10, 30, tzinfo=UTC)
SHAPE = plan.Shape(teams=3, people=24, moments=160, kudos=320, days=21, seed=5)


def replay(slug: str) -> None:
    """The same plan, one action at a time through the services, each its own transaction."""
    org, skeleton, team_ids, value_ids, user_ids, _writer = create_organisation(
        db.session, SHAPE, slug, NOW
    )
    db.session.commit()
    users = {i: db.session.get(User, user_id) for i, user_id in enumerate(user_ids)}
    moments: dict[int, int] = {}
    for event in plan.Planner(SHAPE, skeleton, NOW).events():
        with frozen_time(event.at):
            act(event, users, team_ids, value_ids, moments)
            db.session.commit()
    finish_history(db.session, org, NOW)
    db.session.commit()


def act(event: Any, users: dict, team_ids: list, value_ids: list, moments: dict) -> None:
    session = db.session()
    if isinstance(event, plan.Moment):
        text = content.MOMENTS[event.text]
        moment, _ = log_moment(
            session,
            users[event.author],
            MomentInput(
                client_id=event.client_id,
                team_id=team_ids[event.team],
                cue=str(text["cue"]),
                action=str(text["action"]),
                reaction=str(text["reaction"]),
                value_ids=[value_ids[v] for v in event.values],
                colleague_ids=[users[c].id for c in event.colleagues],
                gesture_cost_cents=text["gesture_cost_cents"],  # type: ignore[arg-type]
                gesture_note=text["gesture_note"],  # type: ignore[arg-type]
                occurred_at=event.at - plan.timedelta(minutes=event.minutes_before),
            ),
        )
        moments[event.index] = moment.id
    elif isinstance(event, plan.Kudos):
        give_kudos(
            session,
            users[event.giver],
            KudosInput(
                client_id=event.client_id,
                message=event.message,
                receiver_ids=[users[event.receiver].id],
                moment_id=moments[event.moment] if event.moment is not None else None,
                value_id=value_ids[event.value] if event.value is not None else None,
                private=event.private,
            ),
        )
    elif isinstance(event, plan.Recognition):
        recognize(
            session,
            users[event.manager],
            RecognitionInput(
                recipient_id=users[event.recipient].id,
                message=event.message,
                moment_ids=[moments[m] for m in event.moments],
                award=event.award,
            ),
        )
    else:
        mark_delighted(session, users[event.actor], session.get(Moment, moments[event.moment]))


def moment_fingerprint_of(m: Moment) -> str:
    """The fingerprint the service gives the input that stored this moment (ids differ
    between the two organisations, so each row is checked against its own)."""
    return moment_fingerprint(
        MomentInput(
            client_id=m.client_id,
            team_id=m.team_id,
            cue=m.cue,
            action=m.action,
            reaction=m.reaction,
            value_ids=[v.id for v in m.values],
            colleague_ids=[c.id for c in m.colleagues],
            gesture_cost_cents=m.gesture_cost_cents,
            gesture_note=m.gesture_note,
            occurred_at=as_utc(m.occurred_at),
        )
    )


def kudos_fingerprint_of(k: Kudos) -> str:
    return kudos_fingerprint(
        KudosInput(
            client_id=k.client_id,
            message=k.message,
            receiver_ids=[k.receiver_id],
            moment_id=k.moment_id,
            value_id=k.value_id,
            private=k.private,
        )
    )


def t(value: Any) -> Any:
    return as_utc(value).isoformat() if isinstance(value, datetime) else value


def rows_of(slug: str) -> dict[str, Counter]:
    """Every row the organisation holds, with ids replaced by what they point at."""
    s = db.session
    org = s.scalar(select(Organisation).where(Organisation.slug == slug))
    people = {
        u.id: u.email.split("@")[0] for u in s.scalars(select(User).where(User.org_id == org.id))
    }
    teams = {x.id: x.name for x in s.scalars(select(Team).where(Team.org_id == org.id))}
    values = {v.id: v.name for v in s.scalars(select(Value).where(Value.org_id == org.id))}
    moments = {m.id: m for m in s.scalars(select(Moment).where(Moment.org_id == org.id))}
    kudos = {k.id: k for k in s.scalars(select(Kudos).where(Kudos.org_id == org.id))}
    recognitions = {
        r.id: r for r in s.scalars(select(Recognition).where(Recognition.org_id == org.id))
    }
    mid = {i: m.client_id for i, m in moments.items()}
    kid = {i: (k.client_id, people[k.receiver_id]) for i, k in kudos.items()}
    rid = {i: (people[r.recipient_id], t(r.created_at)) for i, r in recognitions.items()}
    mine = [User.org_id == org.id]

    def bag(items: Any) -> Counter:
        return Counter(items)

    return {
        "moments": bag(
            (
                m.client_id,
                people[m.author_id],
                teams[m.team_id],
                t(m.occurred_at),
                t(m.created_at),
                m.cue,
                m.gesture_cost_cents,
                m.gesture_note,
                m.outside_hours,
                m.delighted,
                m.over_budget,
                m.payload_sha256 == moment_fingerprint_of(m),
                tuple(sorted(values[v.id] for v in m.values)),
                tuple(sorted(people[c.id] for c in m.colleagues)),
            )
            for m in moments.values()
        ),  # fmt: skip
        "kudos": bag(
            (
                k.client_id,
                people[k.giver_id],
                people[k.receiver_id],
                mid.get(k.moment_id),
                values.get(k.value_id),
                k.message,
                k.private,
                k.week_start,
                t(k.created_at),
                k.payload_sha256 == kudos_fingerprint_of(k),
            )
            for k in kudos.values()
        ),  # fmt: skip
        "recognitions": bag(
            (
                people[r.manager_id],
                people[r.recipient_id],
                r.message,
                r.award,
                t(r.created_at),
                tuple(sorted(m.client_id for m in r.moments)),
            )
            for r in recognitions.values()
        ),  # fmt: skip
        "ledger": bag(
            (
                people[e.user_id],
                e.points,
                e.reason,
                e.day,
                t(e.created_at),
                mid.get(e.moment_id),
                kid.get(e.kudos_id),
                rid.get(e.recognition_id),
                e.reverses_id,
                e.note,
            )
            for e in s.scalars(select(LedgerEntry).where(LedgerEntry.org_id == org.id))
        ),  # fmt: skip
        "allowance": bag(
            (people[a.user_id], a.week_start, a.used)
            for a in s.scalars(select(KudosAllowanceUse).join(User).where(*mine))
        ),
        "daily": bag(
            (people[d.user_id], d.day, d.points)
            for d in s.scalars(select(PointsDaily).where(PointsDaily.org_id == org.id))
        ),
        "user_points": bag(
            (people[p.user_id], p.period, p.starts_on, p.points)
            for p in s.scalars(select(UserPoints).where(UserPoints.org_id == org.id))
            if p.points
        ),
        "team_points": bag(
            (teams[p.team_id], p.period, p.starts_on, p.points)
            for p in s.scalars(select(TeamPoints).where(TeamPoints.org_id == org.id))
            if p.points
        ),
        "teams": bag(
            (x.name, x.live_members) for x in s.scalars(select(Team).where(Team.org_id == org.id))
        ),
        "badges": bag(
            (people[b.user_id], b.badge, t(b.awarded_at))
            for b in s.scalars(select(BadgeAward).where(BadgeAward.org_id == org.id))
        ),
        "notifications": bag(
            (
                people[n.user_id],
                n.kind,
                n.title,
                n.body,
                n.url,
                t(n.created_at),
                t(n.read_at),
                t(n.push_due_at),
                t(n.pushed_at),
                n.push_attempts,
            )
            for n in s.scalars(
                select(Notification).join(User, Notification.user_id == User.id).where(*mine)
            )
        ),  # fmt: skip
        "seasons": bag(
            (x.name, x.starts_on, x.ends_on, x.team_goal)
            for x in s.scalars(select(Season).where(Season.org_id == org.id))
        ),
    }


def test_bulk_load_writes_what_the_services_write(app):
    with frozen_time(NOW):
        summary = seed_load(db.session(), SHAPE, "bulk", progress=False)
    db.session.commit()
    replay("services")
    bulk, services = rows_of("bulk"), rows_of("services")
    assert summary.moments > 100 and summary.kudos > 200 and summary.recognitions > 0
    assert len(bulk["badges"]) > 20 and len(bulk["notifications"]) > 300
    assert any(e[2] == "moment_logged" and e[1] == 0 for e in bulk["ledger"])  # a daily cap
    assert any(e[-1] == "repeated_pair" for e in bulk["ledger"])  # the pair halving
    assert all(m[-3] is True for m in bulk["moments"])  # the idempotency fingerprints
    assert all(k[-1] is True for k in bulk["kudos"])
    for table in bulk:
        assert bulk[table] == services[table], table


def test_every_team_has_a_lead_who_manages_and_everyone_can_sign_in(app):
    with frozen_time(NOW):
        seed_load(db.session(), plan.Shape(teams=4, people=40, moments=20, kudos=20, days=7))
    db.session.commit()
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "load"))
    teams = db.session.scalars(select(Team).where(Team.org_id == org.id)).all()
    for team in teams:
        leads = [m for m in team.memberships if m.role == "lead"]
        assert len(leads) == 1 and leads[0].user.role == "manager"
    admin = db.session.scalar(select(User).where(User.email == "admin@load.test"))
    assert admin.role == "admin"
    assert sum(t.live_members for t in teams) == 40
    client = app.test_client()
    answer = client.post("/login", data={"email": "lead1@load.test", "password": "kizuki-demo"})
    assert answer.status_code == 302


def indexes() -> dict[str, list[tuple]]:
    """Every table's indexes as the database describes them."""
    inspector = inspect(db.engine)
    return {
        table: sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
        )
        for table in inspector.get_table_names()
    }


def test_the_load_leaves_every_index_as_the_migrations_made_it(app):
    before = indexes()
    assert before["ledger_entries"] and before["notifications"]
    with frozen_time(NOW):
        seed_load(db.session(), plan.Shape(teams=2, people=8, moments=12, kudos=12, days=3))
    db.session.commit()
    assert indexes() == before


def test_seed_load_refuses_a_production_database(app):
    """The load holds the loaded tables' indexes dropped until it commits: never on a live
    database."""
    app.config["KIZUKI_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-load", "--teams", "2", "--people", "4"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_the_command_loads_with_its_own_settings_and_puts_the_apps_back(app):
    """`flask seed-load` writes through a connection of its own (on SQLite: journal in memory,
    no fsync, foreign keys checked once at the end); the rows are there after it, and the
    database is as the app left it (WAL on SQLite)."""
    result = app.test_cli_runner().invoke(
        args=["seed-load", "--teams", "2", "--people", "8", "--moments", "12", "--kudos", "12",
              "--days", "3"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Moment.id))) > 0
    db.session.rollback()  # the session's transaction holds SQLite's write lock
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert not connection.exec_driver_sql("PRAGMA foreign_key_check").all()


def test_a_load_without_key_checks_fails_on_a_key_pointing_nowhere(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the keys are checked row by row on PostgreSQL")
    with load_session(db.engine) as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 0
        session.execute(
            text(
                "INSERT INTO points_daily (id, org_id, user_id, day, points) "
                "VALUES (1, 999, 999, '2025-01-01', 1)"
            )
        )
        with pytest.raises(RuntimeError, match="pointing nowhere"):
            _check_keys(session)
    assert db.session.scalar(text("SELECT COUNT(*) FROM points_daily")) == 0


def test_a_load_that_fails_never_hands_its_connection_back_with_the_bulk_settings(app, monkeypatch):
    """When putting the app's settings back fails too, the load's connection is closed, not
    returned to the pool with fsync and foreign keys off."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the bulk settings are SQLite's")
    db.session.rollback()
    calls = []
    real = load_module._pragmas

    def failing_restore(raw, settings):
        calls.append(settings)
        if len(calls) > 1:
            raise RuntimeError("database is locked")
        real(raw, settings)

    monkeypatch.setattr(load_module, "_pragmas", failing_restore)
    with pytest.raises(RuntimeError, match="locked"), load_session(db.engine) as session:
        session.execute(text("SELECT 1"))
    monkeypatch.undo()
    for _ in range(db.engine.pool.size() + 1):
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
