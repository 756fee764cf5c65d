"""Kudos through the API: idempotent give, allowance and duplicate conflicts, privacy."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tests.api.conftest import ApiClient, assert_problem
from tests.api.test_moments import moment_payload
from tests.factories import World, client_id
from webapp.extensions import db
from webapp.models import Kudos


def kudos_payload(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "client_id": client_id(),
        "receiver_ids": [world.staff2.id],
        "message": "Thank you for spotting the birthday!",
        **changes,
    }


def count_kudos() -> int:
    return int(db.session.scalar(select(func.count(Kudos.id))) or 0)


def test_give_is_idempotent_on_client_id(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    payload = kudos_payload(world)
    first = api.post("kudos", json=payload)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert [k["receiver"]["id"] for k in body["kudos"]] == [world.staff2.id]
    assert body["kudos_left"] == 4
    again = api.post("kudos", json=payload)
    assert again.status_code == 200
    assert [k["id"] for k in again.get_json()["kudos"]] == [k["id"] for k in body["kudos"]]
    assert again.get_json()["kudos_left"] == 4
    assert count_kudos() == 1


@pytest.mark.parametrize(
    "changes",
    [{"message": "Thanks for something else"}, {"private": True}, {"receiver_ids": []}],
)
def test_a_client_id_reused_for_different_kudos_is_refused(
    api: ApiClient, world: World, changes: dict[str, Any]
) -> None:
    api.sign_in(world.staff)
    payload = kudos_payload(world)
    assert api.post("kudos", json=payload).status_code == 201
    left = api.get("me").get_json()["kudos_left"]
    assert_problem(api.post("kudos", json={**payload, **changes}), 409, "client_id")
    # Nothing half-saved: no second kudos, no allowance used.
    assert count_kudos() == 1
    assert api.get("me").get_json()["kudos_left"] == left


def test_receivers_in_another_order_are_the_same_kudos(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    payload = kudos_payload(world, receiver_ids=[world.staff2.id, world.manager.id])
    assert api.post("kudos", json=payload).status_code == 201
    again = api.post("kudos", json={**payload, "receiver_ids": payload["receiver_ids"][::-1]})
    assert again.status_code == 200
    assert count_kudos() == 2


def test_allowance_used_up_is_a_conflict(api: ApiClient, world: World) -> None:
    world.org.kudos_weekly_allowance = 1
    db.session.commit()
    api.sign_in(world.staff)
    assert api.post("kudos", json=kudos_payload(world)).status_code == 201
    body = assert_problem(api.post("kudos", json=kudos_payload(world)), 409)
    assert body["detail"]
    assert count_kudos() == 1


def test_second_kudos_for_the_same_moment_is_a_conflict(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff2)
    moment = api.post("moments", json=moment_payload(world)).get_json()
    api.sign_in(world.staff)
    payload = kudos_payload(world, receiver_ids=[], moment_id=moment["id"])
    assert api.post("kudos", json=payload).status_code == 201
    again = {**payload, "client_id": client_id()}
    assert_problem(api.post("kudos", json=again), 409, "moment_id")
    assert count_kudos() == 1


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"message": ""}, 422, "message"),
        ({"message": "x" * 10_000}, 422, "message"),
        ({"message": 42}, 422, "message"),
        ({"receiver_ids": "everyone"}, 422, "receiver_ids"),
        ({"receiver_ids": []}, 422, "receivers"),
        ({"private": "maybe"}, 422, "private"),
        ({"client_id": None}, 422, "client_id"),
        ({"value_id": 999_999}, 422, "value_id"),
        ({"moment_id": 999_999}, 404, "moment_id"),
        ({"team_id": 999_999}, 404, "team_id"),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_stored(
    api: ApiClient, world: World, changes: dict[str, Any], status: int, field: str
) -> None:
    api.sign_in(world.staff)
    assert_problem(api.post("kudos", json=kudos_payload(world, **changes)), status, field)
    assert count_kudos() == 0


def test_kudos_to_yourself_or_other_organisations_are_refused(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    for changes, field in [
        ({"receiver_ids": [world.staff.id]}, "receivers"),
        ({"receiver_ids": [world.outsider.id]}, "receivers"),
        ({"team_id": world.other_team_foreign.id, "receiver_ids": []}, "team_id"),
        ({"value_id": world.other_value.id}, "value_id"),
    ]:
        response = api.post("kudos", json=kudos_payload(world, **changes))
        assert 400 <= response.status_code < 500
        assert_problem(response, response.status_code, field)
    assert count_kudos() == 0


def test_private_kudos_are_seen_by_those_involved_and_managers(
    api: ApiClient, world: World
) -> None:
    api.sign_in(world.staff)
    private = api.post("kudos", json=kudos_payload(world, private=True)).get_json()
    public = api.post("kudos", json=kudos_payload(world, receiver_ids=[world.staff3.id]))
    private_id, public_id = private["kudos"][0]["id"], public.get_json()["kudos"][0]["id"]

    def visible(user: Any, query: str = "") -> set[int]:
        api.sign_in(user)
        return {k["id"] for k in api.get(f"kudos{query}").get_json()["items"]}

    assert visible(world.staff) == {private_id, public_id}
    assert visible(world.staff2) == {private_id, public_id}
    assert visible(world.manager) == {private_id, public_id}
    assert visible(world.staff3) == {public_id}
    assert visible(world.outsider) == set()
    assert visible(world.staff2, "?direction=received") == {private_id}
    assert visible(world.staff, "?direction=given") == {private_id, public_id}
    assert visible(world.staff3, f"?direction=received&person_id={world.staff2.id}") == set()
    assert_problem(api.get("kudos?direction=sideways"), 422, "direction")
