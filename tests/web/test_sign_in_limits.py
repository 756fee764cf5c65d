"""Sign-in attempts are limited per address and per account, with one clear message that
never tells whether an account exists; the address is read from X-Forwarded-For only when
TRUSTED_PROXIES says how many proxies stand in front of the app."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests import factories

WRONG = "wrong-password-here"
SLOW_DOWN = "That was a lot in a short time"


def _attempt(client: FlaskClient, email: str, password: str, address: str, **headers: str) -> Any:
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


class TestPerAccount:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.update(
            {
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_LOGIN": "100 per minute",
                "RATELIMIT_LOGIN_ACCOUNT": "3 per hour",
            }
        )
        return app_config

    def test_guesses_spread_over_addresses_still_stop_at_the_account_limit(self, client, world):
        for i in range(3):
            response = _attempt(client, world.staff.email, WRONG, f"198.51.100.{i + 1}")
            assert response.status_code == 422
        # Even the right password, from yet another address, now waits.
        refused = _attempt(client, world.staff.email, factories.PASSWORD, "198.51.100.9")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert SLOW_DOWN in refused.get_data(as_text=True)
        # Another account is not affected.
        other = _attempt(client, world.staff2.email, factories.PASSWORD, "198.51.100.9")
        assert other.status_code == 302

    def test_an_unknown_address_is_limited_the_same_way(self, client, app, world):
        known, unknown = app.test_client(), app.test_client()
        for _ in range(3):
            _attempt(known, world.staff.email.upper(), WRONG, "198.51.100.1")
            _attempt(unknown, "nobody-here@example.test", WRONG, "198.51.100.2")
        a = _attempt(known, world.staff.email, WRONG, "198.51.100.3")
        b = _attempt(unknown, "nobody-here@example.test", WRONG, "198.51.100.4")
        assert a.status_code == b.status_code == 429
        assert abs(int(a.headers["Retry-After"]) - int(b.headers["Retry-After"])) <= 2
        assert a.get_data(as_text=True) == b.get_data(as_text=True)

    def test_successful_sign_ins_do_not_count(self, client, world):
        for _ in range(5):
            response = _attempt(client, world.staff.email, factories.PASSWORD, "198.51.100.1")
            assert response.status_code == 302
            client.post("/logout")

    def test_the_api_shares_the_account_limit(self, client, world):
        for _ in range(3):
            _attempt(client, world.staff.email, WRONG, "198.51.100.1")
        response = client.post(
            "/api/v1/session",
            json={"email": world.staff.email, "password": factories.PASSWORD},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        )
        assert response.status_code == 429
        assert response.mimetype == "application/problem+json"


class TestAddressWithoutProxies:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.update({"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per minute"})
        return app_config

    def test_forwarded_headers_are_ignored(self, client, world):
        for i in range(2):
            response = _attempt(
                client,
                f"a{i}@example.test",
                WRONG,
                "203.0.113.5",
                **{"X-Forwarded-For": f"10.0.0.{i}"},
            )
            assert response.status_code == 422
        refused = _attempt(
            client, "a9@example.test", WRONG, "203.0.113.5", **{"X-Forwarded-For": "10.0.0.99"}
        )
        assert refused.status_code == 429


class TestAddressBehindOneProxy:
    @pytest.fixture
    def app_config(self, app_config):
        app_config.update(
            {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per minute", "TRUSTED_PROXIES": 1}
        )
        return app_config

    def test_the_client_address_comes_from_the_proxy(self, client, world):
        proxy = "10.1.1.1"
        for i in range(2):
            response = _attempt(
                client, f"a{i}@example.test", WRONG, proxy, **{"X-Forwarded-For": "203.0.113.7"}
            )
            assert response.status_code == 422
        # The same client behind the proxy is limited ...
        refused = _attempt(
            client, "a9@example.test", WRONG, proxy, **{"X-Forwarded-For": "203.0.113.7"}
        )
        assert refused.status_code == 429
        # ... another client behind the same proxy is not.
        other = _attempt(
            client, "b1@example.test", WRONG, proxy, **{"X-Forwarded-For": "203.0.113.8"}
        )
        assert other.status_code == 422
        # A client cannot prepend an address of its choosing: the proxy's hop is the one read.
        spoofed = _attempt(
            client,
            "a8@example.test",
            WRONG,
            proxy,
            **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
        )
        assert spoofed.status_code == 429
