"""The demo's learning loop, after the history is replayed: colleagues marking guests
delighted, practices the team leads adopted from their teams' stories (and the later moments
that repeated them), and the weekly digests of the last weeks. Everything goes through the
real services with the clock frozen at a believable instant; each action is a transaction."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.demo import content
from webapp.digest.sending import DIGEST_TIME, deliver
from webapp.digest.services import build_digest
from webapp.domain import DomainError
from webapp.models import Membership, Moment, Organisation, Practice, Team, User
from webapp.moments.services import mark_delighted
from webapp.practices.services import adopt_practice, link_moment
from webapp.timeutil import as_utc, frozen_time, local_date, week_start

DELIGHTED_SHARE = 0.3
DIGEST_WEEKS = 2


@dataclass(frozen=True)
class Theme:
    """A practice a team lead adopts: the words its stories share, and its title."""

    team: str
    lead: str
    title: str
    words: tuple[str, ...]
    recent: bool = False  # adopted last week, so the digest has news


THEMES = (
    Theme(
        content.FRONT_DESK,
        "manager@demo.test",
        "Print of schrijf het al op voordat ze erom vragen",
        ("printed", "print ", "geprint", "wrote", "written", "geschreven", "kaartje"),
    ),
    Theme(
        content.RESTAURANT,
        "lead.restaurant@demo.test",
        "Vraag het de keuken: wie een dieet heeft, eet gewoon mee",
        ("chef", "kitchen", "keuken"),
    ),
    Theme(
        content.HOUSEKEEPING,
        "lead.housekeeping@demo.test",
        "Leave a note, so the guest knows it was for them",
        ("a note", "briefje"),
    ),
    Theme(
        content.RESTAURANT,
        "lead.restaurant@demo.test",
        "Bij het ontbijt zie je wie iets nodig heeft: wacht niet tot ze het vragen",
        ("breakfast", "ontbijt"),
        recent=True,
    ),
)


def seed_learning(session: Session, org_id: int, now: datetime, rng: random.Random) -> None:
    """Delighted marks and adopted practices over the replayed history."""
    org = session.get_one(Organisation, org_id)
    moments = list(
        session.scalars(
            select(Moment)
            .where(Moment.org_id == org.id, Moment.deleted_at.is_(None))
            .where(Moment.reversed_at.is_(None))
            .order_by(Moment.created_at, Moment.id)
        )
    )
    _mark_delighted(session, org, moments, now, rng)
    sources: set[int] = set()
    for theme in THEMES:
        _adopt(session, org, theme, [m for m in moments if m.id not in sources], now, sources)


def _act(session: Session, at: datetime, action: Callable[[], object]) -> None:
    try:
        with frozen_time(at):
            action()
            session.commit()
    except DomainError:
        session.rollback()  # the rules said no: they win, the demo skips it


def _mark_delighted(
    session: Session, org: Organisation, moments: list[Moment], now: datetime, rng: random.Random
) -> None:
    mates = _teammates(session, org)
    for moment in moments:
        others = [u for u in mates.get(moment.team_id, []) if u.id != moment.author_id]
        if not others or rng.random() >= DELIGHTED_SHARE:
            continue
        at = as_utc(moment.created_at) + timedelta(hours=rng.randint(1, 20))
        if at < now:
            peer = rng.choice(others)
            _act(session, at, partial(mark_delighted, session, peer, moment))


def _teammates(session: Session, org: Organisation) -> dict[int, list[User]]:
    rows = session.execute(
        select(Membership.team_id, User)
        .join(User, User.id == Membership.user_id)
        .where(User.org_id == org.id, User.role == "staff")
        .order_by(User.id)
    )
    found: dict[int, list[User]] = {}
    for team_id, user in rows:
        found.setdefault(team_id, []).append(user)
    return found


def _matches(moment: Moment, theme: Theme) -> bool:
    text = f"{moment.cue} {moment.action}".lower()
    return any(word in text for word in theme.words)


def _adopt(
    session: Session,
    org: Organisation,
    theme: Theme,
    moments: list[Moment],
    now: datetime,
    sources: set[int],
) -> None:
    team = session.scalar(select(Team).where(Team.org_id == org.id, Team.name == theme.team))
    lead = session.scalar(select(User).where(User.email == theme.lead))
    if team is None or lead is None:
        return
    stories = [m for m in moments if m.team_id == team.id and _matches(m, theme)]
    adopted_at = _adoption_time(org, theme, now)
    earlier = [m for m in stories if as_utc(m.created_at) < adopted_at - timedelta(days=1)]
    if not earlier and stories and not theme.recent:
        # Every story is told once, and none of this theme came early enough: the lead
        # adopts the first one a day after it was told.
        adopted_at = as_utc(stories[0].created_at) + timedelta(days=1)
        earlier = stories[:1] if adopted_at < now else []
    if not earlier:
        return
    source = earlier[0] if not theme.recent else earlier[-1]
    _act(session, adopted_at, partial(adopt_practice, session, lead, source.id, theme.title))
    practice_id = _practice_id(session, team, source)
    if practice_id is None:
        return
    sources.add(source.id)
    for later in (m for m in stories if as_utc(m.created_at) > adopted_at):
        author = session.get_one(User, later.author_id)
        at = as_utc(later.created_at) + timedelta(minutes=30)
        if at < now:
            _act(session, at, partial(link_moment, session, author, later.id, practice_id))


def _adoption_time(org: Organisation, theme: Theme, now: datetime) -> datetime:
    """Two weeks ago for the older practices; last week's Wednesday for the recent one
    (at 11:00, the quiet hour between breakfast and check-out)."""
    zone = ZoneInfo(org.timezone)
    today = local_date(now, org.timezone)
    day = week_start(today) - timedelta(days=5) if theme.recent else today - timedelta(days=14)
    return datetime.combine(day, time(11, 0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _practice_id(session: Session, team: Team, source: Moment) -> int | None:
    return session.scalar(
        select(Practice.id).where(
            Practice.team_id == team.id, Practice.source_moment_id == source.id
        )
    )


def seed_digests(session: Session, org_id: int, now: datetime) -> None:
    """The digests of the last weeks, each written and sent on its Monday morning."""
    org = session.get_one(Organisation, org_id)
    zone = ZoneInfo(org.timezone)
    this_monday = week_start(local_date(now, org.timezone))
    teams = list(session.scalars(select(Team).where(Team.org_id == org.id)))
    for weeks_ago in range(DIGEST_WEEKS, 0, -1):
        week = this_monday - timedelta(weeks=weeks_ago)
        sent_at = datetime.combine(week + timedelta(days=7), DIGEST_TIME, tzinfo=zone)
        if sent_at > now:
            continue
        with frozen_time(sent_at + timedelta(minutes=5)):
            for team in teams:
                digest, _made = build_digest(session, team, week)
                session.commit()
                deliver(session, digest.id)
