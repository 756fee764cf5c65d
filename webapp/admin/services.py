"""Running an organisation: teams and members, values, settings, people and invites.

Every function takes the acting admin, changes one thing inside the actor's organisation,
stages an audit entry with it, and leaves the commit to the entry point; a rule that says
no raises a DomainError naming the field at fault, and the entry point saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from webapp.audit import services as audit
from webapp.auth.services import new_token
from webapp.domain import Conflict, Invalid, NotAllowed, NotFound
from webapp.models import (
    Challenge,
    Invite,
    Membership,
    Organisation,
    PeopleImport,
    Team,
    User,
    Value,
)
from webapp.models.translated import Translations
from webapp.orgs import content
from webapp.orgs.services import by_shown_name
from webapp.security import has_role
from webapp.timeutil import utcnow

# Teams ------------------------------------------------------------------------------------


@dataclass
class TeamRow:
    """A team with its number of active members."""

    team: Team
    member_count: int

    # Lets TeamSchema dump a row directly.
    @property
    def id(self) -> int:
        return self.team.id

    @property
    def name(self) -> str:
        return self.team.name


def teams_with_counts(session: Session, org_id: int) -> list[TeamRow]:
    """The organisation's teams by name, each with its active member count (one query)."""
    counts = (
        select(Membership.team_id, func.count(Membership.id).label("n"))
        .join(User, User.id == Membership.user_id)
        .where(User.active, User.deleted_at.is_(None))
        .group_by(Membership.team_id)
        .subquery()
    )
    rows = session.execute(
        select(Team, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.team_id == Team.id)
        .where(Team.org_id == org_id)
        .order_by(Team.name)
    )
    return [TeamRow(team, int(n)) for team, n in rows]


def create_team(session: Session, actor: User, name: str) -> Team:
    """Create a team with a name that is unique in the organisation."""
    admin_only(actor)
    _check_team_name(session, actor.org_id, name)
    team = Team(org_id=actor.org_id, name=name)
    session.add(team)
    session.flush()
    audit.record(session, actor, audit.TEAM_CREATED, "team", team.id, name)
    _flush_unique(session, _("A team with this name already exists."))
    return team


def rename_team(session: Session, actor: User, team: Team, name: str) -> Team:
    """Give a team a new, unique name."""
    admin_only(actor)
    if name == team.name:
        return team
    _check_team_name(session, actor.org_id, name, team.id)
    old = team.name
    team.name = name
    audit.record(session, actor, audit.TEAM_RENAMED, "team", team.id, f"{old} → {name}")
    _flush_unique(session, _("A team with this name already exists."))
    return team


def team_memberships(session: Session, team: Team) -> list[Membership]:
    """A team's memberships with their people, leads first, then by name."""
    return list(
        session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id == team.id, User.deleted_at.is_(None))
            .options(selectinload(Membership.user))
            .order_by(case((Membership.role == "lead", 0), else_=1), User.name)
        )
    )


def add_member(session: Session, actor: User, team: Team, user_id: int, role: str) -> Membership:
    """Put a person of the organisation into a team as member or lead."""
    admin_only(actor)
    person = _person(session, actor, user_id, "user_id")
    if _membership(session, team, person.id) is not None:
        raise Conflict(_("%(name)s is already in this team.", name=person.name), field="user_id")
    membership = Membership(team_id=team.id, user_id=person.id, role=role)
    session.add(membership)
    audit.record(
        session, actor, audit.MEMBER_ADDED, "team", team.id, f"{person.name} ({person.id}): {role}"
    )
    _flush_unique(session, _("%(name)s is already in this team.", name=person.name), "user_id")
    return membership


def set_member_role(
    session: Session, actor: User, team: Team, user_id: int, role: str
) -> Membership:
    """Make a team member a lead, or a lead a member."""
    admin_only(actor)
    membership = _existing_membership(session, team, user_id)
    if membership.role != role:
        detail = f"{membership.user.name} ({user_id}): {membership.role} → {role}"
        membership.role = role
        audit.record(session, actor, audit.MEMBER_ROLE_CHANGED, "team", team.id, detail)
    return membership


def remove_member(session: Session, actor: User, team: Team, user_id: int) -> None:
    """Take a person out of a team (their moments stay with the team)."""
    admin_only(actor)
    membership = _existing_membership(session, team, user_id)
    detail = f"{membership.user.name} ({user_id})"
    session.delete(membership)
    audit.record(session, actor, audit.MEMBER_REMOVED, "team", team.id, detail)


def _check_team_name(session: Session, org_id: int, name: str, own_id: int | None = None) -> None:
    query = select(Team.id).where(Team.org_id == org_id, func.lower(Team.name) == name.lower())
    if own_id is not None:
        query = query.where(Team.id != own_id)
    if session.scalar(query) is not None:
        raise Conflict(_("A team with this name already exists."), field="name")


def _membership(session: Session, team: Team, user_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.team_id == team.id, Membership.user_id == user_id)
    )


def _existing_membership(session: Session, team: Team, user_id: int) -> Membership:
    membership = _membership(session, team, user_id)
    if membership is None:
        raise NotFound(_("That person is not in this team."), field="user_id")
    return membership


# Values -----------------------------------------------------------------------------------


def all_values(session: Session, org_id: int) -> list[Value]:
    """Every value of the organisation, active ones first, by name in the reader's language."""
    found = session.scalars(select(Value).where(Value.org_id == org_id))
    return sorted(found, key=lambda v: (not v.active, *by_shown_name(v)))


def create_value(session: Session, actor: User, data: Mapping[str, Any]) -> Value:
    """Add a value people can tag moments and kudos with, in each language it is written in."""
    admin_only(actor)
    default = actor.organisation.default_locale
    texts = _value_texts(session, actor, data)
    value = Value(org_id=actor.org_id, active=data.get("active", True))
    content.store(value, texts, default)
    session.add(value)
    session.flush()
    audit.record(session, actor, audit.VALUE_CREATED, "value", value.id, value.default_name)
    _flush_unique(session, _("A value with this name already exists."), _name_field(default))
    return value


def update_value(session: Session, actor: User, value: Value, data: Mapping[str, Any]) -> Value:
    """Change a value's names and descriptions, or whether people can still choose it."""
    admin_only(actor)
    default = actor.organisation.default_locale
    changes = []
    if any(key.startswith(VALUE_TEXT_FIELDS) for key in data):
        changes.append(content.store(value, _value_texts(session, actor, data, value.id), default))
    changes.append(_apply(value, data, ("active",)))
    if any(changes):
        audit.record(
            session, actor, audit.VALUE_CHANGED, "value", value.id, "; ".join(filter(None, changes))
        )
        _flush_unique(session, _("A value with this name already exists."), _name_field(default))
    return value


VALUE_TEXT_FIELDS = ("name_", "description_")


def _value_texts(
    session: Session, actor: User, data: Mapping[str, Any], own_id: int | None = None
) -> Translations:
    default = actor.organisation.default_locale
    texts = content.texts_from(data, ("name", "description"))
    content.require_default(texts, default, "name")
    clash = content.conflicting_name(
        all_values(session, actor.org_id), texts, "name", default, own_id
    )
    if clash:
        raise Conflict(_("A value with this name already exists."), field=clash)
    return texts


def _name_field(default_locale: str) -> str:
    return content.field_name("name", default_locale)


# Settings ---------------------------------------------------------------------------------

SETTINGS = (
    "name",
    "timezone",
    "default_locale",
    "currency",
    "kudos_weekly_allowance",
    "kudos_same_receiver_weekly_cap",
    "gesture_budget_cents",
    "gesture_budget_mode",
    "recognition_weekly_cap",
    "points_moment",
    "moment_points_daily_cap",
    "points_kudos_received",
    "points_kudos_given",
    "points_recognition",
    "quiet_hours_start",
    "quiet_hours_end",
    "season_length_months",
    "min_team_size",
)


def update_settings(
    session: Session, actor: User, org: Organisation, data: Mapping[str, Any]
) -> str:
    """Change the organisation's settings; returns (and audits) what changed."""
    admin_only(actor)
    if org.id != actor.org_id:
        raise NotFound(_("That organisation was not found."))
    old_locale = org.default_locale
    changes = _apply(org, data, SETTINGS)
    if org.default_locale != old_locale:
        _follow_default_language(session, org, old_locale)
    if changes:
        audit.record(session, actor, audit.SETTINGS_CHANGED, "organisation", org.id, changes)
    return changes


def _follow_default_language(session: Session, org: Organisation, old_locale: str) -> None:
    # Everyone falls back to the default language, which the rows keep in their own columns.
    for model in (Value, Challenge):
        for row in session.scalars(select(model).where(model.org_id == org.id)):
            content.follow_default(row, old_locale, org.default_locale)


def _apply(obj: Any, data: Mapping[str, Any], names: tuple[str, ...]) -> str:
    """Set the given attributes; describe the ones that changed as `name: old → new`."""
    changed = []
    for name in names:
        if name in data and getattr(obj, name) != data[name]:
            changed.append(f"{name}: {getattr(obj, name)} → {data[name]}")
            setattr(obj, name, data[name])
    return "; ".join(changed)


# People -----------------------------------------------------------------------------------


def people(session: Session, org_id: int) -> list[User]:
    """Everyone in the organisation (not erased), active first, with their teams."""
    return list(
        session.scalars(
            select(User)
            .where(User.org_id == org_id, User.deleted_at.is_(None))
            .options(selectinload(User.memberships).selectinload(Membership.team))
            .order_by(User.active.desc(), User.name)
        )
    )


def change_role(session: Session, actor: User, person: User, role: str) -> User:
    """Change a person's organisation role; at least one active admin always remains."""
    admin_only(actor)
    _same_org(actor, person)
    if person.role == role:
        return person
    if person.role == "admin":
        _keep_an_admin(session, actor.org_id, person, "role")
    old = person.role
    person.role = role
    audit.record(session, actor, audit.PERSON_ROLE_CHANGED, "user", person.id, f"{old} → {role}")
    return person


def set_active(session: Session, actor: User, person: User, active: bool) -> User:
    """Deactivate a person (they can no longer sign in) or let them back in."""
    admin_only(actor)
    _same_org(actor, person)
    if person.active == active:
        return person
    if not active:
        if person.id == actor.id:
            raise Invalid(_("You cannot deactivate your own account."), field="active")
        if person.role == "admin":
            _keep_an_admin(session, actor.org_id, person, "active")
        # Their open sessions end with the next request.
        person.session_version += 1
    person.active = active
    action = audit.PERSON_DEACTIVATED if not active else audit.PERSON_REACTIVATED
    audit.record(session, actor, action, "user", person.id, person.name)
    return person


def admin_only(actor: User) -> None:
    """NotAllowed unless `actor` is an admin (pages check too; this holds for every caller)."""
    if not has_role(actor, "admin"):
        raise NotAllowed(_("Only admins can change the organisation."))


def _same_org(actor: User, person: User) -> None:
    if person.org_id != actor.org_id or person.deleted_at is not None:
        raise NotFound(_("That person was not found."))


def _keep_an_admin(session: Session, org_id: int, leaving: User, field: str) -> None:
    # Lock the admin rows (PostgreSQL) so two admins cannot demote each other at once.
    admins = session.scalars(
        select(User.id)
        .where(User.org_id == org_id, User.role == "admin", User.active)
        .where(User.deleted_at.is_(None), User.id != leaving.id)
        .with_for_update()
    ).all()
    if not admins:
        raise Invalid(_("At least one active admin must remain."), field=field)


def _person(session: Session, actor: User, user_id: int, field: str) -> User:
    person = session.get(User, user_id)
    if person is None or person.org_id != actor.org_id or not person.is_active:
        raise NotFound(_("That person was not found."), field=field)
    return person


# Invites ----------------------------------------------------------------------------------


def create_invite(session: Session, actor: User, data: Mapping[str, Any]) -> tuple[Invite, str]:
    """Create an invite link; returns the invite and the raw token (shown once, stored hashed)."""
    admin_only(actor)
    team_id = data.get("team_id")
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None or team.org_id != actor.org_id:
            raise NotFound(_("That team was not found."), field="team_id")
    raw, token_hash = new_token()
    invite = Invite(
        org_id=actor.org_id,
        token_hash=token_hash,
        role=data.get("role", "staff"),
        team_id=team_id,
        team_role=data.get("team_role", "member"),
        note=data.get("note") or None,
        created_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=data.get("expires_in_days", 7)),
    )
    session.add(invite)
    session.flush()
    detail = f"{invite.role}, team {team_id or '-'}, {invite.team_role}, {invite.note or ''}"
    audit.record(session, actor, audit.INVITE_CREATED, "invite", invite.id, detail.strip(", "))
    return invite, raw


def open_invites(session: Session, org_id: int) -> list[Invite]:
    """Invites that can still be used, newest first."""
    return list(
        session.scalars(
            select(Invite)
            .where(Invite.org_id == org_id, Invite.used_at.is_(None))
            .where(Invite.revoked_at.is_(None), Invite.expires_at > utcnow())
            .where(not_mid_import())
            .order_by(Invite.created_at.desc(), Invite.id.desc())
        )
    )


def not_mid_import() -> Any:
    """Leaves out invites of a file still being imported (or that failed): not anyone's yet."""
    done = select(PeopleImport.id).where(PeopleImport.status == "done")
    return or_(Invite.import_id.is_(None), Invite.import_id.in_(done))


def revoke_invite(session: Session, actor: User, invite: Invite) -> Invite:
    """Make an unused invite link stop working."""
    admin_only(actor)
    if invite.org_id != actor.org_id:
        raise NotFound(_("That invite was not found."))
    if invite.used_at is not None:
        raise Conflict(_("This invite has already been used."))
    if invite.revoked_at is None:
        invite.revoked_at = utcnow()
        audit.record(session, actor, audit.INVITE_REVOKED, "invite", invite.id, invite.note or "")
    return invite


def _flush_unique(session: Session, duplicate_message: str, field: str = "name") -> None:
    # The unique constraint is the last word when two admins race for the same name; the
    # entry point rolls the whole action back on the Conflict.
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(duplicate_message, field=field) from None
