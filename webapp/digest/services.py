"""Writing a team's weekly digest (once per team and week) and reading it back.

The digest stores figures and ids, written on the Monday after the week: the numbers stay
what they were, the stories are shown only while their moments are still live, and every
reader sees it in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from webapp.domain import NotFound
from webapp.game import challenges, seasons
from webapp.models import (
    Challenge,
    Digest,
    Kudos,
    Membership,
    Moment,
    Organisation,
    Practice,
    Team,
    User,
)
from webapp.timeutil import local_midnight_utc

BEST_STORIES = 3
PAST_WEEKS = 12


@dataclass(frozen=True)
class Story:
    """One of the week's best stories and the kudos it drew."""

    moment: Moment
    kudos: int


@dataclass(frozen=True)
class DigestView:
    """A digest as its page, its push and its e-mail show it."""

    digest: Digest
    team: Team
    moments: int
    kudos: int
    people_thanked: int
    stories: list[Story]
    practices: list[Practice]
    challenge: dict[str, Any] | None
    season: dict[str, Any] | None

    @property
    def week_start(self) -> date:
        return self.digest.week_start

    @property
    def last_day(self) -> date:
        return self.digest.week_start + timedelta(days=6)


def week_bounds(org: Organisation, week_start: date) -> tuple[datetime, datetime]:
    """The UTC instants at which the local week starts and ends."""
    end = week_start + timedelta(days=7)
    return local_midnight_utc(week_start, org.timezone), local_midnight_utc(end, org.timezone)


def build_digest(session: Session, team: Team, week_start: date) -> tuple[Digest, bool]:
    """The team's digest of the week starting `week_start`: written now if it does not exist
    yet (True), else the one already written (False). A race on the unique key keeps one."""
    existing = _existing(session, team.id, week_start)
    if existing is not None:
        return existing, False
    digest = Digest(
        org_id=team.org_id,
        team_id=team.id,
        week_start=week_start,
        summary=summarise(session, team, week_start),
    )
    try:
        with session.begin_nested():
            session.add(digest)
    except IntegrityError:
        again = _existing(session, team.id, week_start)
        if again is None:
            raise
        return again, False
    return digest, True


def _existing(session: Session, team_id: int, week_start: date) -> Digest | None:
    return session.scalar(
        select(Digest).where(Digest.team_id == team_id, Digest.week_start == week_start)
    )


def summarise(session: Session, team: Team, week_start: date) -> dict[str, Any]:
    """The figures and ids of the team's week (plain JSON)."""
    org = team.organisation
    start, end = week_bounds(org, week_start)
    members = select(Membership.user_id).where(Membership.team_id == team.id)
    moments = session.scalar(
        select(func.count(Moment.id)).where(
            Moment.team_id == team.id, *_live(Moment, start, end), Moment.deleted_at.is_(None)
        )
    )
    # Counts only kudos everyone may see: the digest is read by the whole team.
    kudos, people = session.execute(
        select(func.count(Kudos.id), func.count(func.distinct(Kudos.receiver_id))).where(
            Kudos.receiver_id.in_(members), Kudos.private.is_(False), *_live(Kudos, start, end)
        )
    ).one()
    return {
        "moments": int(moments or 0),
        "kudos": int(kudos or 0),
        "people_thanked": int(people or 0),
        "story_ids": _best_story_ids(session, team, start, end),
        "practice_ids": [
            p.id
            for p in session.scalars(
                select(Practice)
                .where(Practice.team_id == team.id)
                .where(Practice.created_at >= start, Practice.created_at < end)
                .order_by(Practice.created_at, Practice.id)
            )
        ],
        "challenge": _challenge(session, org, team, week_start),
        "season": _season(session, org, team, week_start),
    }


def _live(model: Any, start: datetime, end: datetime) -> tuple[Any, ...]:
    return (model.created_at >= start, model.created_at < end, model.reversed_at.is_(None))


def _best_story_ids(session: Session, team: Team, start: datetime, end: datetime) -> list[int]:
    kudos = (
        select(func.count(Kudos.id))
        .where(Kudos.moment_id == Moment.id, Kudos.reversed_at.is_(None))
        .scalar_subquery()
    )
    score = kudos + case((Moment.delighted.is_(True), 2), else_=0)
    rows = session.scalars(
        select(Moment.id)
        .where(Moment.team_id == team.id, *_live(Moment, start, end), Moment.deleted_at.is_(None))
        .where(score > 0)
        .order_by(score.desc(), Moment.created_at.desc(), Moment.id.desc())
        .limit(BEST_STORIES)
    )
    return list(rows)


def _challenge(
    session: Session, org: Organisation, team: Team, week_start: date
) -> dict[str, Any] | None:
    """The team's challenge that ran in the week (the latest started), as it stands now."""
    found = session.scalar(
        select(Challenge)
        .where(Challenge.team_id == team.id)
        .where(Challenge.starts_on < week_start + timedelta(days=7))
        .where(Challenge.ends_on > week_start)
        .order_by(Challenge.starts_on.desc(), Challenge.id.desc())
    )
    if found is None:
        return None
    progress = challenges.progress_of(session, org, found)
    return {
        "id": found.id,
        "title": found.title,
        "count": progress.count,
        "goal": found.goal,
        "reached": progress.reached,
    }


def _season(
    session: Session, org: Organisation, team: Team, week_start: date
) -> dict[str, Any] | None:
    """Where the team stood in the season the week ended in (ranked teams only)."""
    last_day = week_start + timedelta(days=6)
    season = next(
        (s for s in seasons.ensure_seasons(session, org) if s.starts_on <= last_day < s.ends_on),
        None,
    )
    if season is None:
        return None
    ranked = [
        s
        for s in seasons.team_standings(session, org, season.starts_on, season.ends_on)
        if s.eligible
    ]
    place = next((i for i, s in enumerate(ranked, start=1) if s.team.id == team.id), None)
    if place is None:
        return None
    return {
        "id": season.id,
        "place": place,
        "teams": len(ranked),
        "per_member": round(ranked[place - 1].per_member, 1),
    }


# Reading --------------------------------------------------------------------------------


def view_of(session: Session, digest: Digest) -> DigestView:
    """A digest with its stories (still live) and practices loaded."""
    summary = digest.summary or {}
    stories = _stories(session, summary.get("story_ids") or [])
    practices = list(
        session.scalars(
            select(Practice)
            .where(Practice.id.in_(summary.get("practice_ids") or []))
            .options(selectinload(Practice.source_moment))
            .order_by(Practice.created_at, Practice.id)
        )
    )
    return DigestView(
        digest=digest,
        team=digest.team,
        moments=int(summary.get("moments", 0)),
        kudos=int(summary.get("kudos", 0)),
        people_thanked=int(summary.get("people_thanked", 0)),
        stories=stories,
        practices=practices,
        challenge=summary.get("challenge"),
        season=summary.get("season"),
    )


def _stories(session: Session, ids: list[int]) -> list[Story]:
    if not ids:
        return []
    kudos = (
        select(func.count(Kudos.id))
        .where(Kudos.moment_id == Moment.id, Kudos.reversed_at.is_(None))
        .scalar_subquery()
    )
    rows = session.execute(
        select(Moment, kudos)
        .where(Moment.id.in_(ids), Moment.deleted_at.is_(None), Moment.reversed_at.is_(None))
        .options(selectinload(Moment.author))
    ).all()
    by_id = {m.id: Story(m, int(n)) for m, n in rows}
    return [by_id[i] for i in ids if i in by_id]


def digest_in_org(session: Session, viewer: User, digest_id: int) -> Digest:
    """A digest of the viewer's organisation (any team's: the feed is shared too)."""
    digest = session.get(Digest, digest_id)
    if digest is None or digest.org_id != viewer.org_id:
        raise NotFound(_("That digest was not found."))
    return digest


def past_digests(session: Session, team_id: int, limit: int = PAST_WEEKS) -> list[Digest]:
    """A team's digests, newest week first."""
    return list(
        session.scalars(
            select(Digest)
            .where(Digest.team_id == team_id)
            .order_by(Digest.week_start.desc())
            .limit(limit)
        )
    )
