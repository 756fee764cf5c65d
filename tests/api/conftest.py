"""Helpers for API tests: sign in through /api/v1/session, or call with a bearer token."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests import factories
from webapp import models  # noqa: F401  (every feature imported in its usual order)
from webapp.auth import tokens
from webapp.extensions import db
from webapp.models import User

API = "/api/v1"


class ApiClient:
    """A JSON client for /api/v1 that signs in with the session cookie or a token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.csrf: str | None = None
        self.token: str | None = None

    def sign_in(self, user: User) -> ApiClient:
        response = self.client.post(
            f"{API}/session", json={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        self.csrf = response.get_json()["csrf_token"]
        return self

    def use_token(self, user: User, scope: str = "write") -> ApiClient:
        _token, self.token = tokens.create_token(db.session, user, "tests", scope)
        return self

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        elif self.csrf:
            headers.setdefault("X-CSRFToken", self.csrf)
        return headers

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        url = path if path.startswith("/") else f"{API}/{path}"
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def api(client: FlaskClient) -> ApiClient:
    return ApiClient(client)


def assert_problem(response: TestResponse, status: int, field: str | None = None) -> dict:
    """`response` is a problem document with `status`, naming `field` when given."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["title"]
    if field is not None:
        assert field in body.get("errors", {}), body
    return body
