"""Badges: clear criteria, evaluated whenever the ledger changes, awarded exactly once.

`ledger.record`/`ledger.reverse` note the people whose points moved; the services that
change the ledger then call `webapp.game.follow.follow_ledger`, which re-evaluates those
people and inserts any new awards in the same transaction. Awards are never deleted: a
rebuild of the roll-up or a later reversal leaves them alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, aliased

from webapp.database import insert_for
from webapp.game.seasons import reached_goal_in_finished_season
from webapp.models import (
    BadgeAward,
    Kudos,
    Membership,
    Moment,
    Notification,
    Practice,
    PracticeMoment,
    Recognition,
    User,
)
from webapp.timeutil import utcnow

FIVE_COLLEAGUES = 5

# A badge's rule: a SQL condition about one person. `evaluate` asks every rule a person does
# not meet yet in one statement, so a new badge costs no extra statement per write.
Check = Callable[[User], ColumnElement[bool]]


@dataclass(frozen=True)
class Badge:
    """One badge: a stable key, a translated name and criterion, an icon, the rule."""

    key: str
    name: Any
    description: Any
    check: Check

    @property
    def icon(self) -> str:
        return f"pwa/icons/badges/{self.key}.svg"


@dataclass(frozen=True)
class BadgeStatus:
    """A badge as one person sees it: earned (and when) or still open."""

    badge: Badge
    awarded_at: datetime | None

    @property
    def earned(self) -> bool:
        return self.awarded_at is not None


def _live_moments(user: User) -> Any:
    return select(Moment.id).where(
        Moment.author_id == user.id, Moment.deleted_at.is_(None), Moment.reversed_at.is_(None)
    )


def _live_kudos_given(user: User) -> Any:
    return select(Kudos.id).where(Kudos.giver_id == user.id, Kudos.reversed_at.is_(None))


def _first_moment(user: User) -> ColumnElement[bool]:
    return exists(_live_moments(user))


def _first_kudos(user: User) -> ColumnElement[bool]:
    return exists(_live_kudos_given(user))


def _five_colleagues(user: User) -> ColumnElement[bool]:
    count = (
        select(func.count(func.distinct(Kudos.receiver_id)))
        .where(Kudos.giver_id == user.id, Kudos.reversed_at.is_(None))
        .scalar_subquery()
    )
    return count >= FIVE_COLLEAGUES


def _delighted(user: User) -> ColumnElement[bool]:
    return exists(_live_moments(user).where(Moment.delighted))


def _across_teams(user: User) -> ColumnElement[bool]:
    my_teams = select(Membership.team_id).where(Membership.user_id == user.id)
    teammates = select(Membership.user_id).where(Membership.team_id.in_(my_teams))
    return exists(_live_kudos_given(user).where(Kudos.receiver_id.not_in(teammates)))


def _recognized(user: User) -> ColumnElement[bool]:
    return exists(select(Recognition.id).where(Recognition.recipient_id == user.id))


def _practice_source(user: User) -> ColumnElement[bool]:
    return exists(select(Practice.id).where(Practice.source_moment_id.in_(_live_moments(user))))


def _practice_repeated(user: User) -> ColumnElement[bool]:
    repeats = select(PracticeMoment.moment_id).where(
        PracticeMoment.moment_id.in_(_live_moments(user))
    )
    return exists(repeats)


def _colleague_first_kudos(user: User) -> ColumnElement[bool]:
    # A live kudos to `user` from the giver's first kudos action ever: no kudos of theirs
    # (even one reversed later) came from an earlier action.
    earlier = aliased(Kudos)
    first_action = ~exists(
        select(earlier.id).where(
            earlier.giver_id == Kudos.giver_id,
            earlier.id < Kudos.id,
            earlier.client_id != Kudos.client_id,
        )
    )
    return exists(
        select(Kudos.id).where(
            Kudos.receiver_id == user.id, Kudos.reversed_at.is_(None), first_action
        )
    )


def _season_goal(user: User) -> ColumnElement[bool]:
    return reached_goal_in_finished_season(user)


BADGES: tuple[Badge, ...] = (
    Badge("first_moment", _l("First moment"), _l("Log your first moment."), _first_moment),
    Badge("first_kudos", _l("First thank-you"), _l("Give your first kudos."), _first_kudos),
    Badge(
        "five_colleagues",
        _l("Generous eye"),
        _l("Give kudos to five different colleagues."),
        _five_colleagues,
    ),
    Badge(
        "delighted",
        _l("Delighted guest"),
        _l("Log a moment that a colleague or manager marked as delighting the guest."),
        _delighted,
    ),
    Badge(
        "across_teams",
        _l("Bridge builder"),
        _l("Give kudos to someone who is not in any of your teams."),
        _across_teams,
    ),
    Badge(
        "recognized",
        _l("Seen by a manager"),
        _l("Receive a manager's recognition."),
        _recognized,
    ),
    Badge(
        "colleague_first_kudos",
        _l("Their first thank-you"),
        _l("Receive the very first kudos a colleague ever gave: what you did made them speak up."),
        _colleague_first_kudos,
    ),
    Badge(
        "practice_source",
        _l("Practice maker"),
        _l("Log a moment that your team adopted as a practice: this is how we do it here."),
        _practice_source,
    ),
    Badge(
        "practice_repeated",
        _l("Passed on"),
        _l("Log a moment that repeats one of your team's practices: what we learned, spreading."),
        _practice_repeated,
    ),
    Badge(
        "season_goal",
        _l("Team goal reached"),
        _l(
            "Be part of a team that reached its goal (the season goal or a team challenge) "
            "in a season that has finished."
        ),
        _season_goal,
    ),
)
BY_KEY = {badge.key: badge for badge in BADGES}


def earned_now(session: Session, user: User, badges: Iterable[Badge]) -> list[Badge]:
    """Which of `badges` `user` meets now: every rule asked in one statement."""
    pending = list(badges)
    if not pending:
        return []
    row = session.execute(select(*(b.check(user).label(b.key) for b in pending))).one()
    return [badge for badge, met in zip(pending, row, strict=True) if met]


def awards_of(session: Session, user_id: int) -> dict[str, datetime]:
    """The badges `user_id` has earned, by key, with when."""
    rows = session.execute(
        select(BadgeAward.badge, BadgeAward.awarded_at).where(BadgeAward.user_id == user_id)
    ).all()
    return {badge: awarded_at for badge, awarded_at in rows}


def badges_for(session: Session, user_id: int, earned_only: bool = False) -> list[BadgeStatus]:
    """Every badge with whether (and when) `user_id` earned it, in the catalogue's order."""
    earned = awards_of(session, user_id)
    statuses = [BadgeStatus(badge, earned.get(badge.key)) for badge in BADGES]
    return [s for s in statuses if s.earned] if earned_only else statuses


def evaluate(session: Session, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """Award every badge these people now meet and do not hold yet; returns the new ones.

    Runs inside the caller's transaction (normally from `follow_ledger`).
    Inserting with ON CONFLICT DO NOTHING on (user_id, badge) keeps it exactly-once even
    when two transactions evaluate the same person at the same time.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    users = session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()
    made: dict[int, list[str]] = {}
    for user in users:
        held = set(awards_of(session, user.id))
        for badge in earned_now(session, user, (b for b in BADGES if b.key not in held)):
            if _award(session, user, badge):
                made.setdefault(user.id, []).append(badge.key)
    return made


def award_to(session: Session, user_ids: Iterable[int], key: str) -> int:
    """Award one badge to these people (those who hold it already keep theirs); returns how
    many earned it now. For awards decided in bulk: a season's team goal."""
    badge = BY_KEY[key]
    ids = sorted(set(user_ids))
    made = 0
    for start in range(0, len(ids), 500):
        users = session.scalars(select(User).where(User.id.in_(ids[start : start + 500])))
        made += sum(1 for user in users if _award(session, user, badge))
    return made


def _award(session: Session, user: User, badge: Badge) -> bool:
    # RETURNING (not rowcount, which psycopg leaves at -1 here) says whether a row went in.
    statement = (
        insert_for(session, BadgeAward)
        .values(org_id=user.org_id, user_id=user.id, badge=badge.key, awarded_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "badge"])
        .returning(BadgeAward.id)
    )
    inserted = session.execute(statement).scalar() is not None
    if inserted:
        _notify(session, user, badge)
    return inserted


def _notify(session: Session, user: User, badge: Badge) -> None:
    with force_locale(user.locale or user.organisation.default_locale):
        title = _("You earned a badge: %(name)s", name=str(badge.name))
        body = str(badge.description)
    session.add(
        Notification(
            user_id=user.id,
            kind="badge",
            title=title[:140],
            body=body,
            url="/badges",
            push_due_at=utcnow(),
        )
    )
