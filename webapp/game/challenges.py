"""Team challenges: a manager sets a focus for a period and a goal the team reaches together.

Progress counts the team's live moments in the period (tagged with the challenge's value,
or all of them when it has none) plus live kudos to team members in the period (with that
value, or all). Reaching the goal is a pooled success: every member is told, nobody wins
anything alone. Progress is refreshed by the ledger's before-commit hook (see badges.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.audit import services as audit
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.models import (
    Challenge,
    Kudos,
    Membership,
    Moment,
    Notification,
    Organisation,
    Season,
    Team,
    User,
    Value,
    moment_values,
)
from webapp.models.translated import Translations
from webapp.orgs import content
from webapp.orgs.services import active_values, team_members
from webapp.security import has_role
from webapp.timeutil import local_date, local_midnight_utc, utcnow

MAX_DAYS = 184
TITLE_MIN = 3
CHALLENGE_CREATED = audit.CHALLENGE_CREATED


@dataclass
class ChallengeInput:
    """A new challenge (already validated by the schema); `last_day` is inclusive."""

    team_id: int
    title: str
    starts_on: date
    last_day: date
    goal: int = 20
    description: str = ""
    value_id: int | None = None
    # The title and description in every language written (`orgs.content.texts_from`);
    # `title` and `description` above are the organisation's default language's.
    texts: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class ChallengeProgress:
    """A challenge and how far its team has come."""

    challenge: Challenge
    team: Team
    value: Value | None
    moments: int
    kudos: int
    state: str  # "upcoming", "running" or "finished"

    @property
    def count(self) -> int:
        return self.moments + self.kudos

    @property
    def shown(self) -> int:
        return min(self.count, self.challenge.goal)

    @property
    def reached(self) -> bool:
        return self.challenge.reached_at is not None

    @property
    def last_day(self) -> date:
        return self.challenge.ends_on - timedelta(days=1)


def create_challenge(session: Session, manager: User, data: ChallengeInput) -> Challenge:
    """A manager sets a team focus for a period, with a goal; the team is told."""
    if not has_role(manager, "manager"):
        raise NotAllowed(_("Only managers can set a team challenge."))
    team = session.get(Team, data.team_id)
    if team is None or team.org_id != manager.org_id:
        raise NotFound(_("That team was not found."), field="team_id")
    value = _value(session, manager, data.value_id)
    _check_period(data.starts_on, data.last_day)
    default = manager.organisation.default_locale
    texts = {**data.texts, default: {"title": data.title, "description": data.description}}
    content.require_default(texts, default, "title", min_len=TITLE_MIN)
    challenge = Challenge(
        org_id=manager.org_id,
        team_id=team.id,
        value_id=value.id if value else None,
        starts_on=data.starts_on,
        ends_on=data.last_day + timedelta(days=1),
        goal=data.goal,
        created_by_id=manager.id,
    )
    content.store(challenge, texts, default)
    session.add(challenge)
    session.flush()
    audit.record(session, manager, CHALLENGE_CREATED, "challenge", challenge.id, data.title)
    _check_reached(session, manager.organisation, challenge)
    return challenge


def _value(session: Session, manager: User, value_id: int | None) -> Value | None:
    if value_id is None:
        return None
    value = session.get(Value, value_id)
    if value is None or value.org_id != manager.org_id or not value.active:
        raise Invalid(_("Choose a value from the list."), field="value_id")
    return value


def _check_period(starts_on: date, last_day: date) -> None:
    if last_day < starts_on:
        raise Invalid(_("The last day cannot be before the first day."), field="last_day")
    if (last_day - starts_on).days >= MAX_DAYS:
        raise Invalid(
            _("A challenge lasts at most %(days)d days.", days=MAX_DAYS), field="last_day"
        )


def progress_counts(session: Session, org: Organisation, challenge: Challenge) -> tuple[int, int]:
    """(moments, kudos) that count towards `challenge` so far."""
    start = local_midnight_utc(challenge.starts_on, org.timezone)
    end = local_midnight_utc(challenge.ends_on, org.timezone)
    moments = select(func.count(Moment.id)).where(
        Moment.team_id == challenge.team_id,
        Moment.created_at >= start,
        Moment.created_at < end,
        Moment.deleted_at.is_(None),
        Moment.reversed_at.is_(None),
    )
    if challenge.value_id is not None:
        tagged = select(moment_values.c.moment_id).where(
            moment_values.c.value_id == challenge.value_id
        )
        moments = moments.where(Moment.id.in_(tagged))
    members = select(Membership.user_id).where(Membership.team_id == challenge.team_id)
    kudos = select(func.count(Kudos.id)).where(
        Kudos.receiver_id.in_(members),
        Kudos.created_at >= start,
        Kudos.created_at < end,
        Kudos.reversed_at.is_(None),
    )
    if challenge.value_id is not None:
        kudos = kudos.where(Kudos.value_id == challenge.value_id)
    return int(session.scalar(moments) or 0), int(session.scalar(kudos) or 0)


def _state(challenge: Challenge, today: date) -> str:
    if today < challenge.starts_on:
        return "upcoming"
    return "running" if today < challenge.ends_on else "finished"


def progress_of(session: Session, org: Organisation, challenge: Challenge) -> ChallengeProgress:
    """A challenge with its progress."""
    moments, kudos = progress_counts(session, org, challenge)
    value = session.get(Value, challenge.value_id) if challenge.value_id else None
    team = session.get(Team, challenge.team_id)
    assert team is not None
    today = local_date(utcnow(), org.timezone)
    return ChallengeProgress(challenge, team, value, moments, kudos, _state(challenge, today))


def challenges_for(session: Session, user: User, limit: int = 30) -> list[ChallengeProgress]:
    """The organisation's challenges, running and upcoming first, then the latest finished."""
    org = user.organisation
    found = session.scalars(
        select(Challenge)
        .where(Challenge.org_id == org.id)
        .order_by(Challenge.ends_on.desc(), Challenge.id.desc())
        .limit(limit)
    ).all()
    items = [progress_of(session, org, c) for c in found]
    order = {"running": 0, "upcoming": 1, "finished": 2}
    return sorted(items, key=lambda p: order[p.state])


def running_for_team(session: Session, org: Organisation, team_id: int) -> list[ChallengeProgress]:
    """The team's running challenges (for a profile or team page partial)."""
    today = local_date(utcnow(), org.timezone)
    found = session.scalars(
        select(Challenge)
        .where(
            Challenge.team_id == team_id,
            Challenge.starts_on <= today,
            Challenge.ends_on > today,
        )
        .order_by(Challenge.ends_on, Challenge.id)
    ).all()
    return [progress_of(session, org, c) for c in found]


def running_for_user(session: Session, user: User) -> list[ChallengeProgress]:
    """The running challenges of every team `user` is in."""
    teams = session.scalars(select(Membership.team_id).where(Membership.user_id == user.id))
    return [p for team_id in teams for p in running_for_team(session, user.organisation, team_id)]


def refresh_for_users(session: Session, user_ids: Iterable[int]) -> list[Challenge]:
    """Mark as reached every running challenge in these people's organisations that just
    met its goal (called before commit whenever the ledger changed)."""
    org_ids = set(session.scalars(select(User.org_id).where(User.id.in_(set(user_ids)))).all())
    reached = []
    for org in session.scalars(select(Organisation).where(Organisation.id.in_(org_ids))):
        today = local_date(utcnow(), org.timezone)
        open_ones = session.scalars(
            select(Challenge).where(
                Challenge.org_id == org.id,
                Challenge.reached_at.is_(None),
                Challenge.starts_on <= today,
                Challenge.ends_on > today,
            )
        ).all()
        reached += [c for c in open_ones if _check_reached(session, org, c)]
    return reached


def _check_reached(session: Session, org: Organisation, challenge: Challenge) -> bool:
    if challenge.reached_at is not None:
        return False
    moments, kudos = progress_counts(session, org, challenge)
    if moments + kudos < challenge.goal:
        return False
    challenge.reached_at = utcnow()
    _celebrate(session, challenge)
    return True


def _celebrate(session: Session, challenge: Challenge) -> None:
    # A pooled success: every member hears it, nobody is singled out.
    for member in team_members(session, challenge.team_id):
        with force_locale(member.locale or member.organisation.default_locale):
            title = _("Your team reached its goal: %(title)s", title=challenge.title)
            body = _("Together you reached %(goal)d. Thank you, all of you.", goal=challenge.goal)
        session.add(
            Notification(
                user_id=member.id,
                kind="challenge",
                title=title[:140],
                body=body,
                url="/challenges",
                push_due_at=utcnow(),
            )
        )


def seed_challenges(session: Session, org: Organisation) -> list[Challenge]:
    """Demo: per team, a reached challenge in its latest finished season with activity
    (else the last finished season), and a running one."""
    author = session.scalar(
        select(User).where(User.org_id == org.id, User.role.in_(("manager", "admin")))
    )
    if author is None:
        return []
    seasons = session.scalars(
        select(Season).where(Season.org_id == org.id).order_by(Season.starts_on)
    ).all()
    today = local_date(utcnow(), org.timezone)
    past = [s for s in seasons if s.ends_on <= today]
    made = []
    for team in session.scalars(select(Team).where(Team.org_id == org.id).order_by(Team.name)):
        if past:
            made.append(_seed_past(session, org, author, team, past))
        made.append(_seed_running(session, org, author, team, today))
    session.flush()
    return made


def _seed_past(
    session: Session, org: Organisation, author: User, team: Team, past: list[Season]
) -> Challenge:
    # On the 1st of a month the season that just ended may be all but empty (a new
    # organisation, or history that started earlier): look back to where the team was active.
    for season in reversed(past):
        challenge = _past_challenge(org, author, team, season)
        moments, kudos = progress_counts(session, org, challenge)
        if moments + kudos:
            break
    # Set the goal to what the team really achieved, so the demo's past success is true.
    challenge.goal = max(moments + kudos, 1)
    if moments + kudos:
        challenge.reached_at = local_midnight_utc(season.ends_on, org.timezone) - timedelta(days=2)
    session.add(challenge)
    return challenge


def _past_challenge(org: Organisation, author: User, team: Team, season: Season) -> Challenge:
    challenge = Challenge(
        org_id=org.id,
        team_id=team.id,
        starts_on=season.starts_on,
        ends_on=season.ends_on,
        goal=1,
        created_by_id=author.id,
    )
    texts = content.in_every_language(
        lambda: {
            "title": _("Notice returning guests"),
            "description": _("Greet returning guests by name and remember what they liked."),
        }
    )
    content.store(challenge, texts, org.default_locale)
    return challenge


def _seed_running(
    session: Session, org: Organisation, author: User, team: Team, today: date
) -> Challenge:
    value = session.scalar(
        select(Value).where(Value.org_id == org.id, Value.active).order_by(Value.id)
    )
    challenge = Challenge(
        org_id=org.id,
        team_id=team.id,
        value_id=value.id if value else None,
        starts_on=today - timedelta(days=today.weekday()),
        ends_on=today - timedelta(days=today.weekday()) + timedelta(days=28),
        goal=40,
        created_by_id=author.id,
    )
    texts = content.in_every_language(
        lambda: {
            "title": _("Anticipate before they ask"),
            "description": _("Spot the cue early and act on it before the guest has to ask."),
        }
    )
    content.store(challenge, texts, org.default_locale)
    session.add(challenge)
    return challenge


def challenge_options(session: Session, user: User) -> tuple[list[Team], list[Value]]:
    """The teams and values a manager can choose from."""
    teams = list(
        session.scalars(select(Team).where(Team.org_id == user.org_id).order_by(Team.name))
    )
    return teams, active_values(session, user.org_id)
