"""Organisation isolation and roles, generated from the app's URL map.

Every /api/v1 rule and method must be classified below (who may call it, and for rules with
an id, how to make the object), so a new endpoint cannot be forgotten: for each, another
organisation's member gets 404 and changes nothing; staff get 403 from manager or admin
endpoints and change nothing; nobody signed in gets 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.api.conftest import ApiClient, assert_problem
from tests.api.test_moments import moment_payload
from tests.factories import World
from tests.game_support import log
from webapp import create_app
from webapp.auth import tokens
from webapp.extensions import db
from webapp.models import Invite, Moment
from webapp.practices import services as practices
from webapp.timeutil import utcnow

METHODS = {"GET", "POST", "PATCH", "PUT", "DELETE"}
PUBLIC = "public"


def _moment(world: World, api: ApiClient) -> dict[str, Any]:
    api.sign_in(world.staff)
    made = api.post("moments", json=moment_payload(world)).get_json()
    return {"moment_id": made["id"]}


def _token(world: World, api: ApiClient) -> dict[str, Any]:
    token, _raw = tokens.create_token(db.session, world.staff, "Till", "read")
    db.session.commit()
    return {"token_id": token.id}


def _team(world: World, api: ApiClient) -> dict[str, Any]:
    return {"team_id": world.team.id}


def _invite(world: World, api: ApiClient) -> dict[str, Any]:
    invite = Invite(
        org_id=world.org.id,
        token_hash="f" * 64,
        created_by_id=world.admin.id,
        expires_at=utcnow() + timedelta(days=365),  # not .replace(year=...): 29 February
    )
    db.session.add(invite)
    db.session.commit()
    return {"invite_id": invite.id}


def _practice(world: World, api: ApiClient) -> dict[str, Any]:
    source = log(world.manager, world.team)
    practice = practices.adopt_practice(db.session, world.manager, source.id, "Walk them there")
    log(world.staff, world.team)  # the moment that repeats it (the newest)
    db.session.commit()
    return {"practice_id": practice.id}


def _newest_moment(world: World) -> dict[str, Any]:
    return {"moment_id": db.session.scalar(select(Moment.id).order_by(Moment.id.desc()))}


@dataclass(frozen=True)
class Access:
    """Who may call an endpoint, how to make its object, and a valid body."""

    role: str
    make: Callable[[World, ApiClient], dict[str, Any]] | None = None
    body: Callable[[World], Any] | None = field(default=None)


RECOGNITION = "You noticed the guest's allergy before they had to ask. Thank you."

ACCESS: dict[tuple[str, str], Access] = {
    ("/api/v1/openapi.json", "GET"): Access(PUBLIC),
    ("/api/v1/docs", "GET"): Access(PUBLIC),
    ("/api/v1/session", "POST"): Access(PUBLIC),
    ("/api/v1/session", "GET"): Access("staff"),
    ("/api/v1/session", "DELETE"): Access("staff"),
    ("/api/v1/me", "GET"): Access("staff"),
    ("/api/v1/me/export", "GET"): Access("staff"),
    ("/api/v1/tokens", "GET"): Access("staff"),
    ("/api/v1/tokens", "POST"): Access("staff"),
    ("/api/v1/tokens/<int:token_id>", "DELETE"): Access("staff", _token),
    ("/api/v1/moments", "GET"): Access("staff"),
    ("/api/v1/moments", "POST"): Access("staff"),
    ("/api/v1/moments/<int:moment_id>", "GET"): Access("staff", _moment),
    ("/api/v1/moments/<int:moment_id>", "PATCH"): Access(
        "staff", _moment, lambda w: {"cue": "Changed by someone else"}
    ),
    ("/api/v1/moments/<int:moment_id>", "DELETE"): Access("staff", _moment),
    ("/api/v1/kudos", "GET"): Access("staff"),
    ("/api/v1/kudos", "POST"): Access("staff"),
    ("/api/v1/recognitions", "GET"): Access("staff"),
    ("/api/v1/recognitions", "POST"): Access(
        "manager", body=lambda w: {"recipient_id": w.staff2.id, "message": RECOGNITION}
    ),
    ("/api/v1/practices", "GET"): Access("staff"),
    ("/api/v1/practices", "POST"): Access(
        "manager", _moment, lambda w: {**_newest_moment(w), "title": "Walk them there"}
    ),
    ("/api/v1/practices/<int:practice_id>/moments", "POST"): Access(
        "staff", _practice, _newest_moment
    ),
    ("/api/v1/leaderboard", "GET"): Access("staff"),
    ("/api/v1/values", "GET"): Access("staff"),
    ("/api/v1/people", "GET"): Access("staff"),
    ("/api/v1/settings", "GET"): Access("staff"),
    ("/api/v1/teams", "GET"): Access("staff"),
    ("/api/v1/teams/<int:team_id>/members", "GET"): Access("staff", _team),
    ("/api/v1/teams/<int:team_id>/overview", "GET"): Access("manager", _team),
    ("/api/v1/invites", "GET"): Access("admin"),
    ("/api/v1/invites", "POST"): Access("admin", body=lambda w: {"role": "staff"}),
    ("/api/v1/invites/<int:invite_id>", "DELETE"): Access("admin", _invite),
    ("/api/v1/notifications", "GET"): Access("staff"),
    ("/api/v1/notifications/read", "POST"): Access("staff"),
    ("/api/v1/push-subscriptions", "POST"): Access("staff"),
    ("/api/v1/push-subscriptions", "DELETE"): Access("staff"),
}


def api_rules(app: Flask) -> list[tuple[str, str]]:
    """Every (rule, method) the app serves under /api/v1/."""
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in (rule.methods or set()) & METHODS
    )


# Collected at import from a throwaway app, so each rule becomes its own test case.
_RULES = api_rules(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))
ID_RULES = [(r, m) for r, m in _RULES if "<int:" in r]
STAFF_FORBIDDEN = [
    (r, m)
    for r, m in _RULES
    if ACCESS.get((r, m), Access("?")).role
    in {
        "manager",
        "admin",
    }
]
SIGNED_IN = [(r, m) for r, m in _RULES if ACCESS.get((r, m), Access(PUBLIC)).role != PUBLIC]


def test_every_api_rule_is_classified(app: Flask) -> None:
    served = set(api_rules(app))
    assert served - set(ACCESS) == set(), "classify these endpoints in ACCESS"
    assert set(ACCESS) - served == set(), "these endpoints no longer exist"
    for key in ID_RULES:
        assert ACCESS[key].make is not None, f"{key} needs a `make` for its object"


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: a request that changes nothing leaves this equal."""
    db.session.expire_all()
    return {
        table.name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
        for table in db.metadata.sorted_tables
    }


def _url(rule: str, values: dict[str, Any]) -> str:
    for name, value in values.items():
        rule = rule.replace(f"<int:{name}>", str(value))
    return rule


def _call(api: ApiClient, rule: str, method: str, values: dict[str, Any], world: World) -> Any:
    access = ACCESS[(rule, method)]
    body = access.body(world) if access.body else {}
    return api.call(method, _url(rule, values), json=body)


@pytest.mark.parametrize(("rule", "method"), ID_RULES)
def test_other_organisation_gets_404_and_changes_nothing(
    api: ApiClient, world: World, rule: str, method: str
) -> None:
    access = ACCESS[(rule, method)]
    assert access.make is not None
    values = access.make(world, api)
    outsider = world.outsider_manager if access.role != "staff" else world.outsider
    if access.role == "admin":
        outsider.role = "admin"
        db.session.commit()
    api.sign_in(outsider)
    before = snapshot()
    assert_problem(_call(api, rule, method, values, world), 404)
    assert snapshot() == before


@pytest.mark.parametrize(("rule", "method"), STAFF_FORBIDDEN)
def test_staff_get_403_from_manager_endpoints(
    api: ApiClient, world: World, rule: str, method: str
) -> None:
    access = ACCESS[(rule, method)]
    values = access.make(world, api) if access.make else {}
    callers = [world.staff] + ([world.manager] if access.role == "admin" else [])
    for caller in callers:
        api.sign_in(caller)
        before = snapshot()
        assert_problem(_call(api, rule, method, values, world), 403)
        assert snapshot() == before


@pytest.mark.parametrize(("rule", "method"), SIGNED_IN)
def test_anonymous_callers_get_401(
    client: Any, api: ApiClient, world: World, rule: str, method: str
) -> None:
    access = ACCESS[(rule, method)]
    values = access.make(world, api) if access.make else {}
    anonymous = ApiClient(client.application.test_client())
    before = snapshot()
    assert_problem(_call(anonymous, rule, method, values, world), 401)
    assert snapshot() == before
