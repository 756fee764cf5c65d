"""My account: changing my password, and deleting (anonymising) my account.

Every function stages its changes for the entry point to commit; a rule that says no raises
a DomainError naming the field at fault, and nothing is saved.
"""

from __future__ import annotations

import secrets

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from webapp.audit import services as audit
from webapp.auth import sessions
from webapp.auth.services import hash_password
from webapp.domain import Invalid
from webapp.models import ApiToken, AuditEntry, Notification, PasswordReset, PushSubscription, User
from webapp.timeutil import utcnow

# No hash scheme looks like this, so no password ever matches a deleted account.
UNUSABLE_PASSWORD = "!deleted"  # noqa: S105  (a hash no password matches, not a secret)
ANONYMOUS_DOMAIN = "deleted.invalid"  # .invalid never resolves (RFC 2606): nothing is sent
# Audit entries that name a team member as "Name (id)" in their detail.
MEMBER_ACTIONS = (audit.MEMBER_ADDED, audit.MEMBER_REMOVED, audit.MEMBER_ROLE_CHANGED)


def password_matches(user: User, password: str) -> bool:
    """True when `password` is `user`'s current password."""
    return check_password_hash(user.password_hash, password)


def set_password(session: Session, user: User, password: str) -> None:
    """Store a new password; every session elsewhere ends and open reset links stop working.

    The caller records the audit entry and commits.
    """
    user.password_hash = hash_password(password)
    sessions.end_all(session, user)
    close_reset_links(session, user)


def close_reset_links(session: Session, user: User) -> None:
    """Make every unused reset link of `user` unusable."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def change_password(session: Session, user: User, current: str, new: str) -> User:
    """Change `user`'s password after checking the current one; other sessions end."""
    if not password_matches(user, current):
        raise Invalid(_("That is not your current password."), field="current_password")
    set_password(session, user, new)
    audit.record(session, user, audit.PASSWORD_CHANGED, "user", user.id)
    return user


def delete_account(session: Session, user: User, password: str) -> None:
    """Delete `user`'s account: anonymise it, sign it out everywhere, forget what is theirs.

    Their moments stay for the team under an anonymous name; their points leave every
    board (the boards count only people who are not deleted).
    """
    if not password_matches(user, password):
        raise Invalid(_("That password is not right."), field="password")
    if user.role == "admin":
        _keep_an_admin(session, user)
    old_name = user.name
    _anonymise(session, user)
    _forget_belongings(session, user)
    _scrub_audit(session, user, old_name)
    audit.record(session, user, audit.ACCOUNT_DELETED, "account", user.id)


def anonymous_name(user: User) -> str:
    """The name a deleted person's moments show, in the organisation's own language."""
    with force_locale(user.organisation.default_locale or "en"):
        return _("Former colleague")


def _anonymise(session: Session, user: User) -> None:
    user.name = anonymous_name(user)[:80]
    user.email = f"deleted-{user.id}-{secrets.token_hex(8)}@{ANONYMOUS_DOMAIN}"
    user.password_hash = UNUSABLE_PASSWORD
    user.active = False
    user.deleted_at = utcnow()
    user.session_version += 1
    user.role = "staff"
    user.locale = None
    user.work_start = user.work_end = user.quiet_start = user.quiet_end = None
    user.away_until = user.invited_week = None
    user.hide_from_boards = True
    user.reminders_enabled = False
    # Out of every team: no longer counted as a member anywhere.
    user.memberships.clear()


def _forget_belongings(session: Session, user: User) -> None:
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    close_reset_links(session, user)
    session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id))
    session.execute(delete(Notification).where(Notification.user_id == user.id))


def _scrub_audit(session: Session, user: User, old_name: str) -> None:
    # The log keeps what happened, not who it happened to: the name in entries about them
    # becomes the anonymous one.
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.org_id == user.org_id,
            or_(
                (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id),
                AuditEntry.action.in_(MEMBER_ACTIONS)
                & AuditEntry.detail.contains(f"({user.id})", autoescape=True),
            ),
        )
    )
    for entry in entries:
        if old_name and old_name in entry.detail:
            entry.detail = entry.detail.replace(old_name, user.name)


def _keep_an_admin(session: Session, leaving: User) -> None:
    # Lock the admin rows (PostgreSQL) so two admins cannot both leave at once.
    others = session.scalars(
        select(User.id)
        .where(User.org_id == leaving.org_id, User.role == "admin", User.active)
        .where(User.deleted_at.is_(None), User.id != leaving.id)
        .with_for_update()
    ).all()
    if not others:
        raise Invalid(
            _(
                "You are the only admin of %(org)s. Make someone else an admin first, so "
                "the organisation is never left without one.",
                org=leaving.organisation.name,
            )
        )
