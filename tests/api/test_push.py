"""The push-subscription API: refused while the server has no VAPID keys, and a browser's
keys are checked on the way in so a bad one never reaches the sender."""

from __future__ import annotations

import socket

import pytest

from tests.api.conftest import ApiClient, assert_problem
from tests.factories import World
from tests.push_support import PUSH_CONFIG, BrowserKeys
from webapp.extensions import db
from webapp.models import PushSubscription
from webapp.notifications.subscriptions import MAX_PER_PERSON


def subscription(endpoint: str = "https://push.example.com/send/device") -> dict:
    keys = BrowserKeys()
    return {"endpoint": endpoint, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}


def stored() -> list[PushSubscription]:
    return list(db.session.query(PushSubscription))


def test_subscribing_while_push_is_off_is_a_409(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    body = assert_problem(api.post("push-subscriptions", json=subscription()), 409)
    assert body["detail"] == "Notifications to devices are turned off on this server."
    assert stored() == []


class TestWithKeys:
    @pytest.fixture
    def app_config(self, app_config: dict[str, object]) -> dict[str, object]:
        return {**app_config, **PUSH_CONFIG}

    def test_a_browser_subscribes_and_its_keys_are_stored(self, api: ApiClient, world: World):
        api.sign_in(world.staff)
        data = subscription()
        response = api.post("push-subscriptions", json=data)
        assert response.status_code == 201
        assert set(response.get_json()) == {"id", "endpoint", "created_at"}  # keys stay in
        [row] = stored()
        assert (row.user_id, row.p256dh, row.auth) == (
            world.staff.id,
            data["keys"]["p256dh"],
            data["keys"]["auth"],
        )

    @pytest.mark.parametrize(
        ("keys", "message"),
        [
            ({"p256dh": "BNc...key", "auth": BrowserKeys().auth}, "push key (p256dh)"),
            ({"p256dh": BrowserKeys().auth, "auth": BrowserKeys().auth}, "push key (p256dh)"),
            ({"p256dh": BrowserKeys().p256dh, "auth": "secret"}, "push secret (auth)"),
            ({"p256dh": BrowserKeys().p256dh, "auth": BrowserKeys().p256dh}, "push secret"),
        ],
    )
    def test_keys_that_are_not_a_browsers_are_field_errors(
        self, api: ApiClient, world: World, keys: dict, message: str
    ):
        api.sign_in(world.staff)
        response = api.post("push-subscriptions", json={**subscription(), "keys": keys})
        body = assert_problem(response, 422, "keys")
        assert message in str(body["errors"]["keys"])
        assert stored() == []

    def test_someone_elses_endpoint_is_never_handed_over(self, api: ApiClient, world: World):
        data = subscription()
        api.sign_in(world.staff)
        assert api.post("push-subscriptions", json=data).status_code == 201
        api.sign_in(world.staff2)
        assert_problem(api.post("push-subscriptions", json=data), 409, "endpoint")
        [row] = stored()
        assert (row.user_id, row.p256dh) == (world.staff.id, data["keys"]["p256dh"])

    def test_the_owner_may_renew_the_keys_of_their_own_endpoint(self, api: ApiClient, world):
        data = subscription()
        api.sign_in(world.staff)
        api.post("push-subscriptions", json=data)
        renewed = {**data, "keys": subscription()["keys"]}
        assert api.post("push-subscriptions", json=renewed).status_code == 200
        [row] = stored()
        assert row.p256dh == renewed["keys"]["p256dh"]

    def test_at_most_five_per_person_the_oldest_replaced(self, api: ApiClient, world: World):
        api.sign_in(world.staff)
        endpoints = [f"https://push.example.com/send/device-{n}" for n in range(8)]
        for endpoint in endpoints:
            assert api.post("push-subscriptions", json=subscription(endpoint)).status_code == 201
        kept = sorted(row.endpoint for row in stored())
        assert kept == sorted(endpoints[-MAX_PER_PERSON:])
        assert MAX_PER_PERSON == 5

    @pytest.mark.parametrize(
        "endpoint",
        [
            "http://push.example.com/send/x",
            "https://localhost/send/x",
            "https://push.localhost/send/x",
            "https://[::1]/send/x",
            "https://127.0.0.1/send/x",
            "https://10.0.0.5/send/x",
            "https://169.254.169.254/latest/meta-data",
            "https://[fe80::1]/send/x",
            "https://[::ffff:10.0.0.5]/send/x",
            "https://224.0.0.1/send/x",
            "https://push.internal/send/x",
            "https://push.example.com:22/send/x",
            "https://rebound.example.net/send/x",  # resolves to 127.0.0.1 (below)
        ],
    )
    def test_endpoints_off_the_public_internet_are_refused_when_registered(
        self, api: ApiClient, world: World, monkeypatch: pytest.MonkeyPatch, endpoint: str
    ):
        real = socket.getaddrinfo

        def resolve(host: str, *args: object, **kwargs: object) -> object:
            if host == "rebound.example.net":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))]
            return real(host, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(socket, "getaddrinfo", resolve)
        api.sign_in(world.staff)
        assert_problem(api.post("push-subscriptions", json=subscription(endpoint)), 422, "endpoint")
        assert stored() == []
