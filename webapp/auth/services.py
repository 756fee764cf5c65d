"""Sign-in and invites: token and password helpers, checking credentials, accepting invites."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.domain import Conflict, NotFound
from webapp.models import Invite, Membership, Team, User
from webapp.timeutil import as_utc, utcnow

# 32 random bytes: far beyond guessing, short enough for a link shared in a chat app.
TOKEN_BYTES = 32
# Checked when the e-mail is unknown (and by the kiosk when a person has no PIN), so a wrong
# address takes as long as a wrong password. A hash made once and written here, not made at
# import: scrypt costs 0.1-0.2 s of CPU in every process that imports this module (each test
# worker, each child of the first-import check). Its method and cost are werkzeug's default,
# as `hash_password` makes them; tests/web/test_auth.py fails when they part.
DUMMY_HASH = (
    "scrypt:32768:8:1$RVKTFVSjNyjcEzsL$15dc93bb44279adb9692800da50d7ac13ad7a19f5d8d682dd04e96c"
    "497c0c5aa4bb7d5d28555e93f772debd037c841d490e94a4d80a47759b298b8817e92b4a8"
)


def hash_token(raw: str) -> str:
    """The stored (SHA-256 hex) form of a raw invite or reset token."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh URL-safe raw token and its hash; store the hash, show the raw value once."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, hash_token(raw)


def hash_password(raw: str) -> str:
    """A password hash with werkzeug's current default algorithm (scrypt)."""
    return generate_password_hash(raw)


def user_by_email(session: Session, email: str) -> User | None:
    """The account with this e-mail address (case-insensitive), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = user_by_email(session, email)
    if user is None:
        check_password_hash(DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def invite_for(session: Session, raw_token: str) -> Invite:
    """The open invite behind `raw_token`; NotFound when unknown, used, revoked or expired."""
    invite = None
    if 0 < len(raw_token) <= 200:
        invite = session.scalar(select(Invite).where(Invite.token_hash == hash_token(raw_token)))
    if (
        invite is None
        or invite.used_at is not None
        or invite.revoked_at is not None
        or as_utc(invite.expires_at) <= utcnow()
    ):
        raise NotFound(_("This invite link is not valid any more."))
    return invite


def invite_team(session: Session, invite: Invite) -> Team | None:
    """The team an invite places the newcomer in (None if it has none or it is gone)."""
    if invite.team_id is None:
        return None
    team = session.get(Team, invite.team_id)
    return team if team is not None and team.org_id == invite.org_id else None


def accept_invite(session: Session, raw_token: str, data: Mapping[str, Any]) -> User:
    """Create the newcomer's account from a valid invite (once), in its team and role."""
    invite = invite_for(session, raw_token)
    email = str(data["email"]).strip().lower()
    if user_by_email(session, email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(
        org_id=invite.org_id,
        email=email,
        name=data["name"],
        password_hash=hash_password(data["password"]),
        role=invite.role,
        # Details an admin imported for this person (language, working hours).
        locale=invite.locale,
        work_start=invite.work_start,
        work_end=invite.work_end,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            _("An account with this e-mail address already exists."), field="email"
        ) from None
    team = invite_team(session, invite)
    if team is not None:
        session.add(Membership(user_id=user.id, team_id=team.id, role=invite.team_role))
    _mark_used(session, invite, user)
    return user


def _mark_used(session: Session, invite: Invite, user: User) -> None:
    # A conditional UPDATE: two people opening the same link at once cannot both get in.
    result = session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=utcnow(), used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(_("This invite link is not valid any more."))
