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
