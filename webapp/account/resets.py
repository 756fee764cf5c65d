"""Password reset links: single use, valid for a day, stored only as a hash.

An admin makes one for anyone in the organisation, a manager for the staff of the teams
they lead; they hand it over themselves (chat, text message: no e-mail needed). When SMTP
is configured, people can also ask for one by e-mail on the sign-in page.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from webapp.account.services import close_reset_links, set_password
from webapp.audit import services as audit
from webapp.auth.services import hash_token, new_token, user_by_email
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.models import Membership, PasswordReset, User
from webapp.timeutil import as_utc, utcnow

VALID_HOURS = 24
VALID_FOR = timedelta(hours=VALID_HOURS)
# At most one e-mailed link per person in this time, however often someone asks.
EMAIL_INTERVAL = timedelta(minutes=10)
TOKEN_MAX = 200


def may_reset(session: Session, actor: User, person: User) -> bool:
    """True when `actor` may make a reset link for `person` (see `create_link`)."""
    if actor.is_admin:
        return True
    if actor.role != "manager" or person.role != "staff":
        return False
    return person.id in _led_staff_ids(session, actor)


def people_to_help(session: Session, actor: User) -> list[User]:
    """The people `actor` may make reset links for, by name."""
    query = select(User).where(
        User.org_id == actor.org_id,
        User.id != actor.id,
        User.active,
        User.deleted_at.is_(None),
    )
    if not actor.is_admin:
        query = query.where(User.id.in_(_led_staff_ids(session, actor)))
    return list(session.scalars(query.order_by(User.name, User.id)))


def _led_staff_ids(session: Session, manager: User) -> set[int]:
    if manager.role != "manager":
        return set()
    led = select(Membership.team_id).where(
        Membership.user_id == manager.id, Membership.role == "lead"
    )
    return set(
        session.scalars(
            select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id.in_(led), User.role == "staff")
        )
    )


def create_link(session: Session, actor: User, person: User) -> tuple[PasswordReset, str]:
    """A new reset link for `person` (their older links stop working); returns it with the
    raw token, which is shown once and never stored."""
    _check_may_reset(session, actor, person)
    close_reset_links(session, person)
    reset, raw = _new_link(session, person, created_by=actor)
    audit.record(session, actor, audit.RESET_LINK_CREATED, "user", person.id, person.name)
    return reset, raw


def welcome_link(session: Session, person: User) -> str:
    """A one-time link for a new account to choose its first password (e.g. the first admin
    of an organisation made on the command line); returns the raw token."""
    close_reset_links(session, person)
    _reset, raw = _new_link(session, person, created_by=None)
    return raw


def _check_may_reset(session: Session, actor: User, person: User) -> None:
    if person.org_id != actor.org_id or person.deleted_at is not None:
        raise NotFound(_("That person was not found."))
    if person.id == actor.id:
        raise Invalid(_("Change your own password on your profile page instead."))
    if not person.active:
        raise Invalid(_("%(name)s is deactivated. Reactivate them first.", name=person.name))
    if not may_reset(session, actor, person):
        raise NotAllowed(_("You can make reset links only for the staff of the teams you lead."))


def _new_link(session: Session, person: User, created_by: User | None) -> tuple[PasswordReset, str]:
    raw, token_hash = new_token()
    reset = PasswordReset(
        user_id=person.id,
        token_hash=token_hash,
        created_by_id=created_by.id if created_by else None,
        expires_at=utcnow() + VALID_FOR,
    )
    session.add(reset)
    session.flush()
    return reset, raw


def link_for(session: Session, raw_token: str) -> tuple[PasswordReset, User]:
    """The open link behind `raw_token` and its person; NotFound when it is unknown, used,
    expired, or its person can no longer sign in."""
    reset = None
    if 0 < len(raw_token) <= TOKEN_MAX:
        reset = session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == hash_token(raw_token))
        )
    person = session.get(User, reset.user_id) if reset is not None else None
    if (
        reset is None
        or person is None
        or reset.used_at is not None
        or as_utc(reset.expires_at) <= utcnow()
        or not person.is_active
    ):
        raise NotFound(_("This password reset link is not valid any more."))
    return reset, person


def reset_password(session: Session, raw_token: str, password: str) -> User:
    """Set a new password with a reset link (once); every session of the person ends."""
    reset, person = link_for(session, raw_token)
    # A conditional UPDATE: the same link opened twice at once sets one password only.
    result = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_("This password reset link is not valid any more."))
    set_password(session, person, password)
    audit.record(session, person, audit.PASSWORD_RESET, "user", person.id)
    return person


def request_by_email(session: Session, email: str) -> tuple[User, str] | None:
    """A link to e-mail to the active person with this address, or None (unknown address,
    or one was sent moments ago). The caller answers the same either way."""
    person = user_by_email(session, email)
    if person is None or not person.is_active:
        return None
    recent = session.scalar(
        select(PasswordReset.id).where(
            PasswordReset.user_id == person.id,
            PasswordReset.created_by_id.is_(None),
            PasswordReset.created_at > utcnow() - EMAIL_INTERVAL,
        )
    )
    if recent is not None:
        return None
    # Older links stay valid: asking for a link in someone's name must not cancel the one
    # their manager just handed them.
    _reset, raw = _new_link(session, person, created_by=None)
    audit.record(session, person, audit.RESET_LINK_EMAILED, "user", person.id)
    return person, raw
