"""The weekly invitation: once a week, on Monday from 09:00 in the organisation's time zone, a
short note that a new week of kudos is there to give. An invitation, never a nudge: nothing in
it counts what someone did or did not do, it skips people who are away or turned it off, and
Web Push still holds it through anyone's quiet hours. Run `flask send-invitations` from cron
(hourly is fine: each person gets at most one a week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.kudos.services import allowance_left
from webapp.models import Organisation, User
from webapp.notifications.services import add_notification
from webapp.timeutil import utcnow, week_start

INVITATION_WEEKDAY = 0  # Monday
INVITATION_TIME = time(9, 0)


@dataclass
class InvitationReport:
    invited: int = 0
    away: int = 0
    turned_off: int = 0


def invitation_due(org: Organisation, now: datetime) -> bool:
    """Is it Monday at or after 09:00 where the organisation is?"""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(org.timezone))
    return local.weekday() == INVITATION_WEEKDAY and local.time() >= INVITATION_TIME


def send_invitations(session: Session, now: datetime | None = None) -> InvitationReport:
    """Invite everyone whose organisation's Monday morning has come and who has not had this
    week's invitation yet. Commits; running it again the same week invites nobody twice."""
    from zoneinfo import ZoneInfo

    now = now or utcnow()
    report = InvitationReport()
    for org in session.scalars(select(Organisation)):
        if not invitation_due(org, now):
            continue
        today = now.astimezone(ZoneInfo(org.timezone)).date()
        week = week_start(today)
        people = session.scalars(
            select(User).where(
                User.org_id == org.id,
                User.active.is_(True),
                User.deleted_at.is_(None),
                (User.invited_week.is_(None)) | (User.invited_week < week),
            )
        )
        for person in people:
            if not person.reminders_enabled:
                report.turned_off += 1
            elif person.away_until is not None and person.away_until >= today:
                report.away += 1
            else:
                _invite(session, person)
                report.invited += 1
            person.invited_week = week
        session.commit()
    return report


def _invite(session: Session, person: User) -> None:
    left = allowance_left(session, person)
    with force_locale(person.locale or person.organisation.default_locale):
        title = _("A new week of noticing")
        body = ngettext(
            "You have %(num)d kudos to give this week, whenever a colleague makes a "
            "difference. You can turn these Monday notes off on your profile.",
            "You have %(num)d kudos to give this week, whenever a colleague makes a "
            "difference. You can turn these Monday notes off on your profile.",
            left,
        )
    add_notification(session, person, "invitation", title, body, "/kudos/new")
