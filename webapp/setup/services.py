"""Starting an organisation and removing the demo.

`start_first_run` (the /setup page) and `start_organisation` (sign-up, `create-org`) stage
an organisation with its first admin; `apply_guided_start` adds starter values and teams;
`remove_organisation` deletes an organisation and every row that hangs off it. None of
them commits: the entry point does.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Table, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from webapp.admin import services as admin
from webapp.audit import services as audit
from webapp.auth.services import hash_password, user_by_email
from webapp.domain import Conflict, NotFound
from webapp.extensions import Model
from webapp.models import FIRST_RUN_ID, FirstRun, Organisation, User
from webapp.orgs import content
from webapp.setup.starters import starter_texts

DEMO_SLUG = "demo"
MAX_TEAMS_AT_START = 30


def has_organisation(session: Session) -> bool:
    """True when the database holds at least one organisation."""
    return session.scalar(select(Organisation.id).limit(1)) is not None


def start_first_run(session: Session, data: Mapping[str, Any]) -> User:
    """The first organisation of an empty server (once, even when two people race for it);
    returns its first admin. NotFound once any organisation exists."""
    if has_organisation(session) or session.get(FirstRun, FIRST_RUN_ID) is not None:
        raise NotFound(_("This server has been set up already."))
    # The fixed key is the lock, taken before anything else is written: a second setup
    # running at the same time fails here (on PostgreSQL it waits for the first to commit,
    # then collides) and saves nothing.
    claim = FirstRun(id=FIRST_RUN_ID)
    try:
        with session.begin_nested():
            session.add(claim)
    except IntegrityError:
        raise NotFound(_("This server has been set up already.")) from None
    user = start_organisation(session, data)
    claim.org_id = user.org_id
    return user


def start_organisation(session: Session, data: Mapping[str, Any]) -> User:
    """A new organisation with its first admin; returns the admin. A missing password makes
    an account that cannot sign in until its one-time link sets one."""
    email = str(data["admin_email"]).strip().lower()
    if user_by_email(session, email) is not None:
        raise Conflict(
            _("An account with this e-mail address already exists."), field="admin_email"
        )
    org = Organisation(
        name=data["name"],
        slug=_free_slug(session, data["name"]),
        timezone=data["timezone"],
        default_locale=data["default_locale"],
        currency=data.get("currency") or "EUR",
    )
    session.add(org)
    session.flush()
    password = data.get("password") or secrets.token_urlsafe(32)
    admin_user = User(
        org_id=org.id,
        email=email,
        name=data["admin_name"],
        password_hash=hash_password(password),
        role="admin",
        locale=data["default_locale"],
    )
    session.add(admin_user)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            _("An account with this e-mail address already exists."), field="admin_email"
        ) from None
    audit.record(session, admin_user, audit.ORGANISATION_STARTED, "organisation", org.id, org.name)
    return admin_user


def _free_slug(session: Session, name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "org"
    if base == DEMO_SLUG:
        base = "org-demo"
    slug, number = base, 1
    while session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def apply_guided_start(
    session: Session, actor: User, sector: str | None, team_names: list[str]
) -> tuple[int, int]:
    """Add the starter values of `sector` (in the organisation's language) and the named
    teams; returns how many of each were added (existing names are skipped)."""
    org = session.get(Organisation, actor.org_id)
    assert org is not None
    have_values = {
        texts["name"].casefold()
        for value in admin.all_values(session, org.id)
        for texts in content.texts_of(value, org.default_locale).values()
        if texts.get("name")
    }
    added_values = 0
    for texts in starter_texts(sector) if sector else []:
        names = {v.casefold() for k, v in texts.items() if k.startswith("name_")}
        if not names & have_values:
            admin.create_value(session, actor, texts)
            added_values += 1
    have_teams = {t.team.name.lower() for t in admin.teams_with_counts(session, org.id)}
    added_teams = 0
    for name in team_names:
        if name.lower() not in have_teams:
            admin.create_team(session, actor, name)
            have_teams.add(name.lower())
            added_teams += 1
    return added_values, added_teams


# Removing an organisation -------------------------------------------------------------------


def demo_organisation(session: Session) -> Organisation | None:
    """The demo hotel, if this database holds it."""
    return session.scalar(select(Organisation).where(Organisation.slug == DEMO_SLUG))


def owned_rows(table: Table, org_id: int) -> ColumnElement[bool]:
    """A condition selecting the rows of `table` that belong to organisation `org_id`:
    the organisation itself, and every row whose foreign keys lead to one of its rows."""
    return _owned(table, org_id, frozenset())


def _owned(table: Table, org_id: int, seen: frozenset[str]) -> ColumnElement[bool]:
    organisations = Organisation.__table__
    if table is organisations:
        return organisations.c.id == org_id
    conditions: list[ColumnElement[bool]] = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name in seen or parent is table:
            continue  # a cycle: the other keys of the row decide
        inner = _owned(parent, org_id, seen | {table.name})
        if inner is not None:
            conditions.append(fk.parent.in_(select(fk.column).where(inner)))
    if not conditions:
        return None  # type: ignore[return-value]
    condition = conditions[0]
    for other in conditions[1:]:
        condition = condition | other
    return condition


def tables_of_an_organisation() -> list[Table]:
    """Every table with rows that belong to an organisation, parents before children."""
    return [
        t
        for t in Model.metadata.sorted_tables
        if t.name != "alembic_version" and owned_rows(t, 0) is not None
    ]


def count_owned(session: Session, org_id: int) -> dict[str, int]:
    """How many rows of each table belong to organisation `org_id`."""
    return {
        t.name: int(
            session.scalar(select(func.count()).select_from(t).where(owned_rows(t, org_id))) or 0
        )
        for t in tables_of_an_organisation()
    }


def remove_organisation(session: Session, org_id: int) -> dict[str, int]:
    """Delete an organisation and everything in it, children first; returns rows per table."""
    removed: dict[str, int] = {}
    for table in reversed(tables_of_an_organisation()):
        result = session.execute(delete(table).where(owned_rows(table, org_id)))
        if result.rowcount:  # type: ignore[attr-defined]
            removed[table.name] = int(result.rowcount)  # type: ignore[attr-defined]
    return removed
