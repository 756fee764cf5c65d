"""The push-subscription API: refused while the server has no VAPID keys, and a browser's
keys are checked on the way in so a bad one never reaches the sender."""

from __future__ import annotations

import pytest

from tests.api.conftest import ApiClient, assert_problem
from tests.factories import World
from tests.push_support import PUSH_CONFIG, BrowserKeys
from webapp.extensions import db
from webapp.models import PushSubscription


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

    def test_a_shared_browser_moves_to_whoever_subscribes_it(self, api: ApiClient, world: World):
        data = subscription()
        api.sign_in(world.staff)
        api.post("push-subscriptions", json=data)
        api.sign_in(world.staff2)
        assert api.post("push-subscriptions", json=data).status_code == 200
        assert [row.user_id for row in stored()] == [world.staff2.id]
