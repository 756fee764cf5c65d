"""Sending the weekly digest: from Monday 08:00 in the organisation's time zone, last week's
digest of every team is written (once) and handed to each member (once): an in-app
notification, pushed when their quiet hours allow, and an e-mail when SMTP is configured.
People who are away are skipped. A job (`schedule.PERIODIC`, or `flask send-digests`):
it commits per digest and per person, and running it again sends nobody anything twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.account.mail import external_url, mail_enabled, send_mail
from webapp.channels.delivery import send_staged
from webapp.channels.services import announce_digest
from webapp.digest.services import DigestView, build_digest, view_of
from webapp.models import Digest, DigestDelivery, Membership, Organisation, Team, User
from webapp.notifications.services import add_notification
from webapp.timeutil import utcnow, week_start

DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = time(8, 0)


@dataclass
class DigestReport:
    """What one run did."""

    written: int = 0
    sent: int = 0
    emailed: int = 0
    away: int = 0


def last_week(org: Organisation, now: datetime) -> datetime | None:
    """The Monday of last week once this week's Monday 08:00 (local) has come, else None.
    Later in the week the same answer: a missed Monday is caught up, never skipped."""
    local = now.astimezone(ZoneInfo(org.timezone))
    monday = week_start(local.date())
    if local.date() == monday and local.time() < DIGEST_TIME:
        return None
    return datetime.combine(monday - timedelta(days=7), time.min)


def send_weekly_digests(session: Session, now: datetime | None = None) -> DigestReport:
    """Write and send last week's digests that are due. Commits as it goes."""
    now = now or utcnow()
    report = DigestReport()
    for org in list(session.scalars(select(Organisation).order_by(Organisation.id))):
        week = last_week(org, now)
        if week is None:
            continue
        for team in list(
            session.scalars(select(Team).where(Team.org_id == org.id).order_by(Team.id))
        ):
            digest, written = build_digest(session, team, week.date())
            if written:
                announce_digest(session, digest, _figures(view_of(session, digest)))
            session.commit()
            send_staged(session)
            report.written += written
            deliver(session, digest.id, report, now)
    return report


def deliver(
    session: Session,
    digest_id: int,
    report: DigestReport | None = None,
    now: datetime | None = None,
) -> DigestReport:
    """Hand a digest to every member who has not had it yet (one commit per person)."""
    report = report or DigestReport()
    now = now or utcnow()
    digest = session.get(Digest, digest_id)
    if digest is None:
        return report
    already = select(DigestDelivery.user_id).where(DigestDelivery.digest_id == digest.id)
    people = list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == digest.team_id, User.id.not_in(already))
            .where(User.active.is_(True), User.deleted_at.is_(None))
            .order_by(User.id)
        )
    )
    for person in people:
        _deliver_to(session, digest, person, report, now)
    return report


def _deliver_to(
    session: Session, digest: Digest, person: User, report: DigestReport, now: datetime
) -> None:
    today = now.astimezone(ZoneInfo(person.organisation.timezone)).date()
    away = person.away_until is not None and person.away_until >= today
    delivery = DigestDelivery(
        digest_id=digest.id, user_id=person.id, outcome="away" if away else "sent"
    )
    try:
        # Claimed first: a second sender (or a retried job) finds it taken and moves on.
        with session.begin_nested():
            session.add(delivery)
    except IntegrityError:
        session.rollback()
        return
    if away:
        report.away += 1
    else:
        view = view_of(session, digest)
        _notify(session, person, view)
        delivery.emailed = _email(person, view)
        report.sent += 1
        report.emailed += delivery.emailed
    session.commit()


def _figures(view: DigestView) -> dict[str, Any]:
    """What the team's channel is told: the numbers and the best story."""
    story = view.stories[0] if view.stories else None
    return {
        "moments": view.moments,
        "kudos": view.kudos,
        "story": {"author": story.moment.author.name, "cue": story.moment.cue} if story else None,
    }


def _locale(person: User) -> str:
    return person.locale or person.organisation.default_locale


def headline(view: DigestView) -> str:
    """One line about the week (the push's body)."""
    return ngettext(
        "%(num)d moment and %(kudos)d kudos last week.",
        "%(num)d moments and %(kudos)d kudos last week.",
        view.moments,
        kudos=view.kudos,
    )


def _notify(session: Session, person: User, view: DigestView) -> None:
    with force_locale(_locale(person)):
        title = _("Your team's week: %(team)s", team=view.team.name)
        body = headline(view)
    add_notification(session, person, "digest", title, body, f"/digest/{view.digest.id}")


def _email(person: User, view: DigestView) -> bool:
    if not (mail_enabled() and person.email):
        return False
    with force_locale(_locale(person)):
        subject = _("Your team's week: %(team)s", team=view.team.name)
        link = _link(view)
        context = {"view": view, "person": person, "link": link, "headline": headline(view)}
        text = render_template("digest/mail.txt", **context)
        html = render_template("digest/mail.html", **context)
    send_mail(person.email, subject, text, html)
    return True


def _link(view: DigestView) -> str | None:
    try:
        return external_url("digest.show", digest_id=view.digest.id)
    except RuntimeError:  # no PUBLIC_URL and no SERVER_NAME: the e-mail goes without a link
        return None
