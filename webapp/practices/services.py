"""Adopting a moment as a team practice, linking the later moments that repeat it, and what
the team's Practices page shows: each practice and how far it spread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from webapp.audit import services as audit
from webapp.channels.services import announce_practice
from webapp.domain import Conflict, Invalid, NotAllowed, NotFound
from webapp.game import badges
from webapp.models import Moment, Practice, PracticeMoment, Team, User
from webapp.moments.access import visible_moment
from webapp.practices.access import can_adopt, can_link, can_see
from webapp.timeutil import as_utc


@dataclass(frozen=True)
class Spread:
    """A practice and how far it spread: later moments that repeat it, by how many people."""

    practice: Practice
    repeats: int
    people: int
    last_repeat: datetime | None


@dataclass(frozen=True)
class PracticeView:
    """One practice with the moment it came from and the moments that repeat it."""

    practice: Practice
    source: Moment | None  # None when that moment is no longer live
    repeats: list[Moment]

    @property
    def people(self) -> int:
        return len({m.author_id for m in self.repeats})


def adopt_practice(session: Session, manager: User, moment_id: int, title: str) -> Practice:
    """Adopt a moment as "how we do it here" for the moment's team (managers)."""
    moment = visible_moment(session, manager, moment_id)
    if not can_adopt(manager, moment):
        if moment.reversed_at is not None:
            raise NotFound(_("That moment was not found."))
        raise NotAllowed(_("Only managers adopt a moment as a team practice."))
    existing = _adopted(session, moment)
    if existing is not None:
        raise Conflict(
            _("This moment is already a practice of the team: %(title)s", title=existing.title)
        )
    practice = Practice(
        org_id=manager.org_id,
        team_id=moment.team_id,
        source_moment_id=moment.id,
        title=title,
        adopted_by_id=manager.id,
    )
    try:
        with session.begin_nested():
            session.add(practice)
    except IntegrityError:
        raise Conflict(_("This moment was just adopted by someone else.")) from None
    audit.record(session, manager, audit.PRACTICE_ADOPTED, "practice", practice.id, title)
    announce_practice(session, practice)
    badges.evaluate(session, [moment.author_id])  # "Practice maker" for the moment's author
    return practice


def _adopted(session: Session, moment: Moment) -> Practice | None:
    return session.scalar(
        select(Practice).where(
            Practice.team_id == moment.team_id, Practice.source_moment_id == moment.id
        )
    )


def link_moment(session: Session, actor: User, moment_id: int, practice_id: int) -> Practice:
    """Say that a moment repeats one of its team's practices (its author or a manager).
    Linking twice changes nothing."""
    moment = visible_moment(session, actor, moment_id)
    if not can_link(actor, moment):
        raise NotAllowed(_("Only the author or a manager links a moment to a practice."))
    practice = session.get(Practice, practice_id)
    if practice is None or practice.org_id != actor.org_id:
        raise NotFound(_("That practice was not found."), field="practice_id")
    if practice.team_id != moment.team_id:
        raise Invalid(_("Choose one of the team's practices."), field="practice_id")
    if practice.source_moment_id == moment.id:
        raise Invalid(_("This is the moment the practice came from."), field="practice_id")
    if session.get(PracticeMoment, (practice.id, moment.id)) is None:
        try:
            with session.begin_nested():
                session.add(
                    PracticeMoment(
                        practice_id=practice.id, moment_id=moment.id, linked_by_id=actor.id
                    )
                )
        except IntegrityError:
            pass  # linked at the same instant by someone else: the link is there
    badges.evaluate(session, [moment.author_id])  # "Passed on" for the moment's author
    return practice


def unlink_moment(session: Session, actor: User, moment_id: int, practice_id: int) -> None:
    """Take back that a moment repeats a practice (its author or a manager)."""
    moment = visible_moment(session, actor, moment_id)
    if not can_link(actor, moment):
        raise NotAllowed(_("Only the author or a manager links a moment to a practice."))
    link = session.get(PracticeMoment, (practice_id, moment.id))
    if link is None:
        raise NotFound(_("That practice was not found."))
    session.delete(link)


def team_practices(session: Session, org_id: int, team_id: int) -> list[Spread]:
    """A team's practices, newest first, each with how far it spread (one grouped query)."""
    live = _live_repeats().subquery()
    rows = session.execute(
        select(
            Practice,
            func.count(live.c.moment_id),
            func.count(distinct(live.c.author_id)),
            func.max(live.c.created_at),
        )
        .outerjoin(live, live.c.practice_id == Practice.id)
        .where(Practice.org_id == org_id, Practice.team_id == team_id)
        .options(selectinload(Practice.source_moment), selectinload(Practice.adopted_by))
        .group_by(Practice.id)
        .order_by(Practice.created_at.desc(), Practice.id.desc())
    ).all()
    return [Spread(p, int(n), int(people), last) for p, n, people, last in rows]


def _live_repeats() -> Select[int, int, int, datetime]:
    return (
        select(
            PracticeMoment.practice_id,
            PracticeMoment.moment_id,
            Moment.author_id,
            Moment.created_at,
        )
        .join(Moment, Moment.id == PracticeMoment.moment_id)
        .where(Moment.deleted_at.is_(None), Moment.reversed_at.is_(None))
    )


def practice_view(session: Session, viewer: User, practice_id: int) -> PracticeView:
    """One practice of the viewer's organisation; NotFound otherwise."""
    practice = session.get(Practice, practice_id)
    if practice is None or not can_see(viewer, practice):
        raise NotFound(_("That practice was not found."))
    source = practice.source_moment
    live_source = source if source.deleted_at is None and source.reversed_at is None else None
    repeats = list(
        session.scalars(
            select(Moment)
            .join(PracticeMoment, PracticeMoment.moment_id == Moment.id)
            .where(PracticeMoment.practice_id == practice.id)
            .where(Moment.deleted_at.is_(None), Moment.reversed_at.is_(None))
            .options(selectinload(Moment.author), selectinload(Moment.team))
            .order_by(Moment.created_at.desc(), Moment.id.desc())
        )
    )
    return PracticeView(practice, live_source, repeats)


def practices_of_moment(session: Session, moment: Moment) -> tuple[list[Practice], list[Practice]]:
    """The practices adopted from `moment`, and the ones it repeats."""
    adopted = list(session.scalars(select(Practice).where(Practice.source_moment_id == moment.id)))
    repeats = list(
        session.scalars(
            select(Practice)
            .join(PracticeMoment, PracticeMoment.practice_id == Practice.id)
            .where(PracticeMoment.moment_id == moment.id)
            .order_by(Practice.title)
        )
    )
    return adopted, repeats


def linkable_practices(session: Session, moment: Moment) -> list[Practice]:
    """The team's practices this moment could repeat (not the one it started, not linked)."""
    linked = select(PracticeMoment.practice_id).where(PracticeMoment.moment_id == moment.id)
    return list(
        session.scalars(
            select(Practice)
            .where(Practice.team_id == moment.team_id, Practice.org_id == moment.org_id)
            .where(Practice.source_moment_id != moment.id, Practice.id.not_in(linked))
            .order_by(Practice.title)
        )
    )


def new_practices(session: Session, team_id: int, start: datetime, end: datetime) -> list[Practice]:
    """The practices a team adopted in [start, end), oldest first (the weekly digest)."""
    return list(
        session.scalars(
            select(Practice)
            .where(Practice.team_id == team_id)
            .where(Practice.created_at >= start, Practice.created_at < end)
            .order_by(Practice.created_at, Practice.id)
        )
    )


def repeats_by_week(
    session: Session, practice: Practice, mondays: list[date], bounds: list[datetime]
) -> list[int]:
    """How many live moments repeated `practice` in each of the weeks (bounds from
    `insights.periods.boundaries`)."""
    counts = [0] * len(mondays)
    rows = session.scalars(
        _live_repeats()
        .with_only_columns(Moment.created_at)
        .where(PracticeMoment.practice_id == practice.id)
        .where(Moment.created_at >= bounds[0], Moment.created_at < bounds[-1])
    )
    for created in rows:
        for i, end in enumerate(bounds[1:]):
            if as_utc(created) < end:
                counts[i] += 1
                break
    return counts


def team_of(session: Session, viewer: User, team_id: int | None, default: list[Team]) -> Team:
    """The team whose practices to show: the one asked for (of the viewer's organisation),
    else the viewer's first team, else the organisation's first."""
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None or team.org_id != viewer.org_id:
            raise NotFound(_("That team was not found."), field="team_id")
        return team
    if not default:
        raise NotFound(_("That team was not found."), field="team_id")
    return default[0]
