"""Fuzzing the API from its own OpenAPI document (schemathesis): as staff with the session
cookie and as a manager with a bearer token, no response is a 5xx and every response
matches the documented status codes, content types and schemas.

Bounded so the suite stays fast: 15 examples per operation and caller.

Two of schemathesis's checks are left out on purpose: rules that OpenAPI cannot state (an
opaque cursor must come from a previous page, a push endpoint must be https, an id must
exist in your organisation) make it call a correct 4xx "schema-valid request rejected",
and the reverse. Those rules are covered by the contract tests instead.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from tests.api.conftest import API, ApiClient
from tests.factories import World
from webapp import create_app

MAX_EXAMPLES = 15
EXCLUDED_CHECKS = [checks.positive_data_acceptance, checks.negative_data_rejection]


def _spec() -> dict[str, Any]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client().get(f"{API}/openapi.json").get_json()


schema = schemathesis.openapi.from_dict(_spec())

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("schemathesis")]


def _credentials(app: Flask, world: World, caller: str) -> dict[str, Any]:
    """Sign in once per test (each test runs many examples on the same app). Kept on the app
    itself: an id() of an earlier, collected app can come back and hand out a stale token."""
    made: dict[str, dict[str, Any]] = app.extensions.setdefault("schemathesis_credentials", {})
    if caller not in made:
        made[caller] = _sign_in(app, world, caller)
    return made[caller]


def _sign_in(app: Flask, world: World, caller: str) -> dict[str, Any]:
    client = ApiClient(app.test_client())
    if caller == "manager":
        client.use_token(world.manager, "write")
        return {"headers": {"Authorization": f"Bearer {client.token}"}}
    client.sign_in(world.staff)
    cookie = client.client.get_cookie("session")
    assert cookie is not None
    return {"cookies": {"session": cookie.value}}


@pytest.mark.parametrize("caller", ["staff", "manager"])
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    # Generated examples only: schemathesis's explicit "coverage" examples run to hundreds
    # per operation; the contract tests cover those boundaries directly.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, app: Flask, world: World, caller: str) -> None:
    credentials = _credentials(app, world, caller)
    case.call_and_validate(app=app, excluded_checks=EXCLUDED_CHECKS, **credentials)


# Hostile shapes --------------------------------------------------------------------------------
# Random generation rarely hits the values that broke the API before (issue 9): ids beyond the
# database's range, cursors naming such ids, days at the calendar's end, fractions, lone
# surrogates, absurd nesting. Every query parameter and every top-level body field of every
# operation in the OpenAPI document gets each of them; no answer may be a 5xx, and every
# refusal is a problem document.

HUGE = 10**20


def _cursor(object_id: int) -> str:
    raw = f"2026-01-01T00:00:00+00:00|{object_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


HOSTILE_QUERY = [str(HUGE), "99999999999", "-1", "1.5", "9999-12-31", "0001-01-01", _cursor(HUGE)]
HOSTILE_BODY: list[Any] = [HUGE, 1.5, "\ud800", "\u200b\u202e", "9999-12-31T23:59:59+00:00"]
DEEP = "[" * 5000 + "]" * 5000


def _operations() -> list[tuple[str, str, list[str], list[str]]]:
    spec = _spec()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "delete"):
                continue
            query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            fields = sorted(_resolve(spec, body).get("properties", {})) if body else []
            found.append((method.upper(), path, query, fields))
    return found


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def _requests() -> list[tuple[str, str, dict[str, str] | None, str | None]]:
    made: list[tuple[str, str, dict[str, str] | None, str | None]] = []
    for method, path, query, fields in _operations():
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        made += [(method, url, {name: value}, None) for name in query for value in HOSTILE_QUERY]
        for name in fields:
            made += [(method, url, None, json.dumps({name: value})) for value in HOSTILE_BODY]
            made.append((method, url, None, '{"' + name + '": ' + DEEP + "}"))
    return made


def test_hostile_shapes_are_refused_never_a_server_error(app: Flask, world: World) -> None:
    api = ApiClient(app.test_client()).sign_in(world.staff)
    failures = []
    for method, url, query, body in _requests():
        response = api.call(
            method, url, query_string=query, data=body, content_type="application/json"
        )
        broken = response.status_code >= 500
        unshaped = response.status_code >= 400 and response.mimetype != "application/problem+json"
        if broken or unshaped:
            failures.append((method, url, query, (body or "")[:60], response.status_code))
    assert failures == []
