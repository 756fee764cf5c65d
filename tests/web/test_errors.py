"""A server error is logged with the request's id, and the person is given that id to quote
(issue 9, §5): before, nothing was logged while the page said "we have been told"."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import ApiClient
from tests.conftest import Auth
from tests.factories import World
from webapp.api import moments as moments_api
from webapp.errors import handle_unexpected
from webapp.moments import feed


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the disk is on fire")


@pytest.fixture
def production_errors(app: Flask) -> Flask:
    """The handler a deployed app registers (tests let errors propagate otherwise)."""
    app.register_error_handler(Exception, handle_unexpected)
    return app


@pytest.mark.usefixtures("production_errors")
def test_a_page_error_is_logged_with_the_proxys_request_id_and_the_page_shows_it(
    client: FlaskClient, auth: Auth, world: World, monkeypatch, caplog
) -> None:
    auth.login(world.staff.email)
    monkeypatch.setattr(feed, "feed", boom)
    with caplog.at_level(logging.ERROR, logger="webapp.errors"):
        response = client.get("/", headers={"X-Request-ID": "req-0123456789abcdef"})
    assert response.status_code == 500
    assert "req-0123456789abcdef" in response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] == "req-0123456789abcdef"
    [record] = [r for r in caplog.records if r.name == "webapp.errors"]
    assert "req-0123456789abcdef" in record.getMessage()
    assert record.exc_info is not None and "the disk is on fire" in str(record.exc_info[1])


@pytest.mark.usefixtures("production_errors")
def test_an_api_error_gets_a_fresh_id_when_the_given_one_is_not_sane(
    client: FlaskClient, world: World, monkeypatch, caplog
) -> None:
    api = ApiClient(client).sign_in(world.staff)
    monkeypatch.setattr(moments_api.moments, "feed_page", boom)
    with caplog.at_level(logging.ERROR, logger="webapp.errors"):
        response = api.get("moments", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    request_id = response.get_json()["request_id"]
    assert len(request_id) == 32 and "<" not in request_id
    assert response.headers["X-Request-ID"] == request_id
    [record] = [r for r in caplog.records if r.name == "webapp.errors"]
    assert request_id in record.getMessage() and "/api/v1/moments" in record.getMessage()


def test_every_response_carries_a_request_id(client: FlaskClient) -> None:
    assert len(client.get("/login").headers["X-Request-ID"]) == 32
