"""Writing and reading the audit log: who did what, when, in one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from webapp.database import Paged, paginate
from webapp.models import AuditEntry, User

# Action names, stable strings that the log page translates for display.
TEAM_CREATED = "team.created"
TEAM_RENAMED = "team.renamed"
MEMBER_ADDED = "team.member_added"
MEMBER_REMOVED = "team.member_removed"
MEMBER_ROLE_CHANGED = "team.member_role_changed"
VALUE_CREATED = "value.created"
VALUE_CHANGED = "value.changed"
INVITE_CREATED = "invite.created"
INVITE_REVOKED = "invite.revoked"
INVITE_LINK_RENEWED = "invite.link_renewed"
INVITE_SHEET_PRINTED = "invite.sheet_printed"
SETTINGS_CHANGED = "settings.changed"
RECOGNITION_GIVEN = "recognition.given"
PERSON_ROLE_CHANGED = "person.role_changed"
PERSON_DEACTIVATED = "person.deactivated"
PERSON_REACTIVATED = "person.reactivated"
PASSWORD_CHANGED = "account.password_changed"  # noqa: S105  (an action name)
RESET_LINK_CREATED = "account.reset_link_created"
RESET_LINK_EMAILED = "account.reset_link_emailed"
PASSWORD_RESET = "account.password_reset"  # noqa: S105  (an action name)
ACCOUNT_DELETED = "account.deleted"
TOKEN_CREATED = "account.token_created"  # noqa: S105  (an action name)
TOKEN_REVOKED = "account.token_revoked"  # noqa: S105  (an action name)
MOMENT_REVERSED = "moment.reversed"
KUDOS_REVERSED = "kudos.reversed"
MOMENT_DELIGHTED = "moment.delighted"
CHALLENGE_CREATED = "challenge.created"
JOB_RETRIED = "job.retried"
PRACTICE_ADOPTED = "practice.adopted"
CHANNEL_CONNECTED = "channel.connected"
CHANNEL_REMOVED = "channel.removed"
KIOSK_CREATED = "kiosk.created"
KIOSK_REVOKED = "kiosk.revoked"
ORGANISATION_STARTED = "organisation.started"
PEOPLE_IMPORTED = "people.imported"

LABELS = {
    TEAM_CREATED: _l("Team created"),
    TEAM_RENAMED: _l("Team renamed"),
    MEMBER_ADDED: _l("Member added to team"),
    MEMBER_REMOVED: _l("Member removed from team"),
    MEMBER_ROLE_CHANGED: _l("Role in team changed"),
    VALUE_CREATED: _l("Value created"),
    VALUE_CHANGED: _l("Value changed"),
    INVITE_CREATED: _l("Invite created"),
    INVITE_REVOKED: _l("Invite revoked"),
    INVITE_LINK_RENEWED: _l("New invite link made"),
    INVITE_SHEET_PRINTED: _l("Invite sheet made for a team"),
    SETTINGS_CHANGED: _l("Settings changed"),
    RECOGNITION_GIVEN: _l("Recognition given"),
    PERSON_ROLE_CHANGED: _l("Organisation role changed"),
    PERSON_DEACTIVATED: _l("Person deactivated"),
    PERSON_REACTIVATED: _l("Person reactivated"),
    PASSWORD_CHANGED: _l("Password changed"),
    RESET_LINK_CREATED: _l("Password reset link created"),
    RESET_LINK_EMAILED: _l("Password reset link e-mailed"),
    PASSWORD_RESET: _l("Password set with a reset link"),
    ACCOUNT_DELETED: _l("Account deleted"),
    TOKEN_CREATED: _l("API token created"),
    TOKEN_REVOKED: _l("API token revoked"),
    MOMENT_REVERSED: _l("Moment reversed"),
    KUDOS_REVERSED: _l("Kudos reversed"),
    MOMENT_DELIGHTED: _l("Guest marked delighted"),
    CHALLENGE_CREATED: _l("Team challenge set"),
    JOB_RETRIED: _l("Failed background job sent again"),
    PRACTICE_ADOPTED: _l("Moment adopted as a team practice"),
    CHANNEL_CONNECTED: _l("Team channel connected"),
    CHANNEL_REMOVED: _l("Team channel removed"),
    KIOSK_CREATED: _l("Kiosk set up"),
    KIOSK_REVOKED: _l("Kiosk revoked"),
    ORGANISATION_STARTED: _l("Organisation started"),
    PEOPLE_IMPORTED: _l("People imported from a file"),
}

PAGE_SIZE = 50


def record(
    session: Session,
    actor: Any,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an audit entry to the caller's transaction (the calling service commits)."""
    entry = AuditEntry(
        org_id=actor.org_id,
        actor_id=actor.id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail[:2000],
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the log is narrowed to: words in the details or the actor's name, who acted,
    the kind of action and a period (UTC instants, the end excluded)."""

    words: str = ""
    actor_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def entries_page(
    session: Session,
    org_id: int,
    page: int = 1,
    per_page: int = PAGE_SIZE,
    narrow: AuditFilter | None = None,
) -> Paged[AuditEntry]:
    """The organisation's audit log, newest first, one page of it (two statements)."""
    query = _narrowed(select(AuditEntry).where(AuditEntry.org_id == org_id), narrow)
    order = (AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return paginate(session, query, order, page, per_page)


def actor_names(session: Session, entries: list[AuditEntry]) -> dict[int, str]:
    """The names of the people who made `entries`, in one statement (none without actors).
    The log has no relationship to its actor on purpose: an entry outlives a deleted
    account, whose entries then have no name here."""
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _narrowed(query: Select[Any], narrow: AuditFilter | None) -> Any:
    if narrow is None:
        return query
    if narrow.words:
        # The words may name what changed (a team, a person) or who changed it.
        named = select(User.id).where(User.name.icontains(narrow.words, autoescape=True))
        query = query.where(
            or_(
                AuditEntry.detail.icontains(narrow.words, autoescape=True),
                AuditEntry.actor_id.in_(named),
            )
        )
    if narrow.actor_id is not None:
        query = query.where(AuditEntry.actor_id == narrow.actor_id)
    if narrow.action is not None:
        query = query.where(AuditEntry.action == narrow.action)
    if narrow.since is not None:
        query = query.where(AuditEntry.created_at >= narrow.since)
    if narrow.until is not None:
        query = query.where(AuditEntry.created_at < narrow.until)
    return query


def actors(session: Session, org_id: int) -> dict[int, str]:
    """Everyone who appears in the organisation's log as having acted, by name (one
    statement): the choices of the log's "who" filter."""
    rows = session.execute(
        select(User.id, User.name)
        .where(User.id.in_(select(AuditEntry.actor_id).where(AuditEntry.org_id == org_id)))
        .where(User.org_id == org_id)
        .order_by(User.name, User.id)
    )
    return {int(user_id): str(name) for user_id, name in rows}
