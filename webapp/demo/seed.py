"""`flask seed-demo`: Hotel De Gouden Sleutel with weeks of believable history.

The history is replayed through the real services (moments, kudos, recognition) with the
clock frozen at each simulated instant, so every point comes from the real rules and the
ledger. The seeder only plans who does what when; where a rule says no, the action is
skipped and the rules stay authoritative.
"""

from __future__ import annotations

import random
import time as clock
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

import click
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from webapp.demo import content
from webapp.demo.insights import seed_digests, seed_learning
from webapp.demo.plan import BY_EMAIL, KudosPlan, MomentPlan, Plan, Planner, RecognitionPlan
from webapp.domain import DomainError
from webapp.extensions import db
from webapp.game.challenges import seed_challenges
from webapp.game.follow import follow_ledger
from webapp.game.season_results import settle
from webapp.game.seasons import ensure_seasons
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import (
    Kudos,
    LedgerEntry,
    Membership,
    Moment,
    Notification,
    Organisation,
    Recognition,
    Team,
    User,
    Value,
)
from webapp.moments.services import MomentInput, log_moment
from webapp.points.ledger import touch
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import frozen_time, utcnow

PASSWORD = "kizuki-demo"  # noqa: S105  (the documented demo password, not a secret)


@dataclass
class SeedSummary:
    """What `seed_demo` created."""

    people: int = 0
    teams: int = 0
    values: int = 0
    moments: int = 0
    kudos: int = 0
    recognitions: int = 0
    points: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        parts = [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if f.name != "seconds"]
        return f"Demo seeded in {self.seconds:.1f}s: " + ", ".join(parts)


@dataclass
class _World:
    """What the seeder needs to turn plans into service calls: ids by name."""

    org_id: int
    users: dict[str, int]
    teams: dict[str, int]
    values: dict[str, int]
    moments: dict[int, int] = field(default_factory=dict)


def seed_demo(
    session: Session | None = None,
    *,
    weeks: int = content.DEMO_WEEKS,
    rng_seed: int = 7,
    progress: bool = True,
) -> SeedSummary:
    """Create the demo hotel and replay `weeks` of history through the real services."""
    # Calling the scoped session gives this context's real Session.
    session = session if session is not None else db.session()
    if session.scalar(select(Organisation.id).where(Organisation.slug == "demo")) is not None:
        raise click.ClickException("The demo organisation already exists.")
    started = clock.perf_counter()
    now = utcnow()
    planner = Planner(random.Random(rng_seed), now, weeks)
    with frozen_time(planner.opening()):
        world = _create_hotel(session)
    plans = planner.plan()
    skipped = _replay(session, world, plans, random.Random(rng_seed + 1), progress)
    # Guests marked delighted, practices adopted and repeated.
    seed_learning(session, world.org_id, now, random.Random(rng_seed + 2))
    # Seasons (a past one with its winners), a running challenge per team, badges.
    seed_game_demo(session, session.get_one(Organisation, world.org_id))
    # The last weeks' digests, as they went out on their Mondays.
    seed_digests(session, world.org_id, now)
    _quiet_old_notifications(session, world, now)
    summary = _summarise(session, world, skipped)
    summary.seconds = clock.perf_counter() - started
    click.echo(str(summary))
    click.echo(f"Sign in as manager@demo.test, staff1@demo.test ... with password {PASSWORD}.")
    return summary


# --- The hotel --------------------------------------------------------------


def _create_hotel(session: Session) -> _World:
    org = Organisation(**content.ORGANISATION)
    session.add(org)
    session.flush()
    values = [Value(org_id=org.id, **v) for v in content.VALUES]
    teams = [Team(org_id=org.id, name=name) for name in content.TEAMS]
    session.add_all([*values, *teams])
    session.flush()
    team_ids = {t.name: t.id for t in teams}
    # One hash for everyone: password hashing is slow on purpose.
    password_hash = generate_password_hash(PASSWORD)
    users = {p["email"]: _person(org.id, p, password_hash) for p in content.PEOPLE}
    session.add_all(users.values())
    session.flush()
    for p in content.PEOPLE:
        membership = Membership(
            user_id=users[p["email"]].id, team_id=team_ids[p["team"]], role=p["team_role"]
        )
        session.add(membership)
    session.commit()
    return _World(
        org_id=org.id,
        users={email: u.id for email, u in users.items()},
        teams=team_ids,
        values={v.default_name: v.id for v in values},
    )


def _person(org_id: int, p: dict[str, str], password_hash: str) -> User:
    return User(
        org_id=org_id,
        email=p["email"],
        name=p["name"],
        role=p["role"],
        locale=p["locale"],
        password_hash=password_hash,
    )


# --- Replaying through the services ----------------------------------------


def _replay(
    session: Session, world: _World, plans: list[Plan], rng: random.Random, progress: bool
) -> int:
    skipped = 0
    with _progress(plans, progress) as actions:
        for plan in actions:
            try:
                with frozen_time(plan.at):
                    _run(session, world, plan, rng)
                    session.commit()  # each action is its own transaction, as in the app
            except DomainError:
                # The rules said no (allowance, caps ...): they win, the demo skips it.
                session.rollback()
                skipped += 1
    return skipped


@contextmanager
def _progress(plans: list[Plan], show: bool) -> Iterator[Iterable[Plan]]:
    if not show:
        yield plans
        return
    with click.progressbar(plans, label="Replaying the demo hotel's history") as bar:
        yield bar


def _run(session: Session, world: _World, plan: Plan, rng: random.Random) -> None:
    if isinstance(plan, MomentPlan):
        _run_moment(session, world, plan, rng)
    elif isinstance(plan, KudosPlan):
        _run_kudos(session, world, plan, rng)
    else:
        _run_recognition(session, world, plan)


def _client_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _user(session: Session, world: _World, email: str) -> User:
    user = session.get(User, world.users[email])
    assert user is not None
    return user


def _run_moment(session: Session, world: _World, plan: MomentPlan, rng: random.Random) -> None:
    text = plan.text
    data = MomentInput(
        client_id=_client_id(rng),
        team_id=world.teams[BY_EMAIL[plan.author]["team"]],
        cue=str(text["cue"]),
        action=str(text["action"]),
        reaction=str(text["reaction"]),
        value_ids=[world.values[name] for name in text["values"]],  # type: ignore[attr-defined]
        colleague_ids=[world.users[plan.colleague]] if plan.colleague else [],
        gesture_cost_cents=text["gesture_cost_cents"],  # type: ignore[arg-type]
        gesture_note=text["gesture_note"],  # type: ignore[arg-type]
        occurred_at=plan.at - timedelta(minutes=plan.occurred_minutes_before),
    )
    moment, _ = log_moment(session, _user(session, world, plan.author), data)
    world.moments[plan.key] = moment.id


def _run_kudos(session: Session, world: _World, plan: KudosPlan, rng: random.Random) -> None:
    moment_id = world.moments.get(plan.moment_key) if plan.moment_key is not None else None
    if plan.moment_key is not None and moment_id is None:
        return  # its moment was refused
    data = KudosInput(
        client_id=_client_id(rng),
        message=plan.message,
        receiver_ids=[world.users[r] for r in plan.receivers],
        moment_id=moment_id,
        value_id=world.values[plan.value] if plan.value else None,
        private=plan.private,
    )
    give_kudos(session, _user(session, world, plan.giver), data)


def _run_recognition(session: Session, world: _World, plan: RecognitionPlan) -> None:
    data = RecognitionInput(
        recipient_id=world.users[plan.recipient],
        message=plan.message,
        moment_ids=[world.moments[k] for k in plan.moment_keys if k in world.moments],
        award=plan.award,
    )
    recognize(session, _user(session, world, plan.manager), data)


# --- Afterwards -------------------------------------------------------------


def seed_game_demo(session: Session, org: Organisation) -> None:
    """Derive the seasons, give every team a challenge, evaluate everyone's badges."""
    ensure_seasons(session, org)
    seed_challenges(session, org)
    settle(session, org)  # close the past seasons: winners, stories, team-goal badges
    touch(session, *session.scalars(select(User.id).where(User.org_id == org.id)))
    follow_ledger(session)
    session.commit()


def _quiet_old_notifications(session: Session, world: _World, now: datetime) -> None:
    """History is old news: mark it read and never push it; the last day stays fresh."""
    session.execute(
        update(Notification)
        .where(
            Notification.user_id.in_(world.users.values()),
            Notification.created_at < now - timedelta(days=1),
        )
        .values(read_at=now, push_due_at=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _summarise(session: Session, world: _World, skipped: int) -> SeedSummary:
    def count(column: Any) -> int:
        return int(session.scalar(select(func.count()).where(column == world.org_id)) or 0)

    points = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.org_id == world.org_id
        )
    )
    return SeedSummary(
        people=len(world.users),
        teams=len(world.teams),
        values=len(world.values),
        moments=count(Moment.org_id),
        kudos=count(Kudos.org_id),
        recognitions=count(Recognition.org_id),
        points=int(points or 0),
        skipped=skipped,
    )
