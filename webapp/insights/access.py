"""Which teams a manager looks after: one answer for the overview, trends, what works, the
budget conversation, the export and the patterns.

A manager sees the teams they lead (Membership.role == 'lead'). Admins see every team of the
organisation, and so does a manager who leads no team, so a newly appointed manager is never
shown an empty page. Patterns are stricter: they are about people, so they are shown only for
the teams one leads (an admin who leads none sees every team's).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Membership, Team, User
from webapp.security import has_role


def led_teams(session: Session, viewer: User) -> list[Team]:
    """The teams `viewer` leads, by name."""
    return list(
        session.scalars(
            select(Team)
            .join(Membership, Membership.team_id == Team.id)
            .where(Team.org_id == viewer.org_id)
            .where(Membership.user_id == viewer.id, Membership.role == "lead")
            .order_by(Team.name)
        )
    )


def teams_in_view(session: Session, viewer: User) -> tuple[list[Team], bool]:
    """The teams `viewer` looks after, and whether that is every team of the organisation."""
    if not has_role(viewer, "manager"):
        return [], False
    if not viewer.is_admin:
        led = led_teams(session, viewer)
        if led:
            return led, False
    every = select(Team).where(Team.org_id == viewer.org_id).order_by(Team.name)
    return list(session.scalars(every)), True


def pattern_teams(session: Session, viewer: User) -> list[Team]:
    """The teams whose kudos patterns and care signals `viewer` may see: the ones they lead;
    for an admin who leads none, every team."""
    if not has_role(viewer, "manager"):
        return []
    led = led_teams(session, viewer)
    if led or not viewer.is_admin:
        return led
    return teams_in_view(session, viewer)[0]


def chosen_teams(teams: list[Team], team_id: int | None) -> list[Team] | None:
    """`teams` narrowed to the one with `team_id` (None: all of them); None when the id is
    not one of the viewer's teams."""
    if team_id is None:
        return teams
    chosen = [t for t in teams if t.id == team_id]
    return chosen or None
