"""Builders for test data. They write through the session directly (fast), except where a
test is about a service; points and kudos go through the services so the ledger is real."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from webapp.models import Membership, Organisation, Team, User, Value

PASSWORD = "correct-horse-staple"
# Hashing is deliberately slow (scrypt: 0.1 s of CPU per hash and per check), and most tests
# sign someone in: the people the tests build share one hash of the common password, made
# with one round of PBKDF2, which the login form checks as it checks any stored hash
# (werkzeug reads the method from the hash). What the app itself writes (accepted invites,
# set-up, password changes and resets) is scrypt (tests/web/test_auth.py checks), and people
# sign in with it in tests/web/test_account.py and test_password_reset.py.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
_seq = itertools.count(1)


def client_id() -> str:
    return str(uuid.uuid4())


def make_org(session: Session, name: str | None = None, **settings: object) -> Organisation:
    n = next(_seq)
    org = Organisation(name=name or f"Org {n}", slug=f"org-{n}", **settings)
    session.add(org)
    session.flush()
    return org


def make_team(session: Session, org: Organisation, name: str | None = None) -> Team:
    team = Team(org_id=org.id, name=name or f"Team {next(_seq)}")
    session.add(team)
    session.flush()
    return team


def make_value(session: Session, org: Organisation, name: str | None = None) -> Value:
    value = Value(org_id=org.id, name=name or f"Value {next(_seq)}", description="")
    session.add(value)
    session.flush()
    return value


def make_user(
    session: Session,
    org: Organisation,
    role: str = "staff",
    team: Team | None = None,
    team_role: str = "member",
    name: str | None = None,
    **fields: object,
) -> User:
    n = next(_seq)
    user = User(
        org_id=org.id,
        email=f"user{n}@{org.slug}.test",
        name=name or f"Person {n}",
        password_hash=_HASH,
        role=role,
        **fields,
    )
    session.add(user)
    session.flush()
    if team is not None:
        session.add(Membership(user_id=user.id, team_id=team.id, role=team_role))
        session.flush()
    return user


@dataclass
class World:
    org: Organisation
    team: Team
    other_team: Team
    values: list[Value]
    staff: User
    staff2: User
    staff3: User
    manager: User
    admin: User
    other_org: Organisation
    other_team_foreign: Team
    other_value: Value
    outsider: User
    outsider_manager: User

    def by_role(self, role: str) -> User:
        return {"staff": self.staff, "manager": self.manager, "admin": self.admin}[role]


def build_world(session: Session) -> World:
    org = make_org(session, "Hotel Test")
    team = make_team(session, org, "Front desk")
    other_team = make_team(session, org, "Restaurant")
    values = [make_value(session, org, "Anticipate"), make_value(session, org, "Personal touch")]
    staff = make_user(session, org, "staff", team, name="Sanne de Vries")
    staff2 = make_user(session, org, "staff", team, name="Tom Bakker")
    staff3 = make_user(session, org, "staff", other_team, name="Aisha Khan")
    manager = make_user(session, org, "manager", team, "lead", name="Mila Jansen")
    admin = make_user(session, org, "admin", team, name="Ruud Admin")
    other_org = make_org(session, "Other Hotel")
    foreign_team = make_team(session, other_org, "Their desk")
    other_value = make_value(session, other_org, "Their value")
    outsider = make_user(session, other_org, "staff", foreign_team, name="Olga Outsider")
    outsider_manager = make_user(session, other_org, "manager", foreign_team, name="Otto Boss")
    session.commit()
    return World(
        org,
        team,
        other_team,
        values,
        staff,
        staff2,
        staff3,
        manager,
        admin,
        other_org,
        foreign_team,
        other_value,
        outsider,
        outsider_manager,
    )
