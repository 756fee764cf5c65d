"""Moments through the API: idempotent create, filters, keyset pages, own-only changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.api.conftest import ApiClient, assert_problem
from tests.factories import World, client_id
from webapp.extensions import db
from webapp.models import LedgerEntry, Moment


def moment_payload(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "client_id": client_id(),
        "team_id": world.team.id,
        "cue": "A guest kept glancing at the rain outside.",
        "action": "I walked them to their taxi with an umbrella.",
        "reaction": "They laughed and promised to come back.",
        "value_ids": [world.values[0].id],
        **changes,
    }


def count_moments() -> int:
    return int(db.session.scalar(select(func.count(Moment.id))) or 0)


def count_ledger() -> int:
    return int(db.session.scalar(select(func.count(LedgerEntry.id))) or 0)


def test_create_is_idempotent_on_client_id(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    payload = moment_payload(world, value_ids=[v.id for v in world.values[:2]])
    first = api.post("moments", json=payload)
    assert first.status_code == 201
    body = first.get_json()
    assert body["author"]["id"] == world.staff.id and body["client_id"] == payload["client_id"]
    # The same moment sent again (the order of ids means nothing): the original, with 200.
    again = api.post("moments", json={**payload, "value_ids": payload["value_ids"][::-1]})
    assert again.status_code == 200
    assert again.get_json()["id"] == body["id"]
    assert count_moments() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"cue": "A different cue"},
        {"value_ids": [999]},
        {"gesture_cost_cents": 250, "gesture_note": "A tea"},
        {"occurred_at": "2024-05-01T10:00:00+02:00"},
    ],
)
def test_a_client_id_reused_for_a_different_moment_is_refused(
    api: ApiClient, world: World, changes: dict[str, Any]
) -> None:
    api.sign_in(world.staff)
    payload = moment_payload(world)
    original = api.post("moments", json=payload).get_json()
    ledger = count_ledger()
    body = assert_problem(api.post("moments", json={**payload, **changes}), 409, "client_id")
    assert "already saved under this entry's id" in body["errors"]["client_id"][0]
    # Nothing half-saved: the original stands as it was, no points were granted.
    assert count_moments() == 1 and count_ledger() == ledger
    assert api.get(f"moments/{original['id']}").get_json()["cue"] == payload["cue"]


def test_the_form_and_the_offline_queue_agree_on_what_a_moment_is(
    api: ApiClient, world: World
) -> None:
    """A form posted by the page whose answer was lost is sent again by the offline queue
    as JSON: that is the same moment, not a conflict."""
    api.sign_in(world.staff)
    client = client_id()
    form = {
        "client_id": client,
        "team_id": str(world.team.id),
        "cue": "  A guest kept glancing at the rain outside. ",
        "action": "I walked them to their taxi with an umbrella.",
        "reaction": "They laughed and promised to come back.",
        "value_ids": [str(world.values[1].id), str(world.values[0].id)],
        "gesture_cost": "€ 2,50",
        "gesture_note": "An umbrella",
    }
    assert api.client.post("/moments/new", data=form).status_code == 302
    queued = {
        "client_id": client,
        "team_id": world.team.id,
        "cue": "A guest kept glancing at the rain outside.",
        "action": form["action"],
        "reaction": form["reaction"],
        "value_ids": [world.values[0].id, world.values[1].id],
        "colleague_ids": [],
        "gesture_cost_cents": 250,
        "gesture_note": "An umbrella",
    }
    assert api.post("moments", json=queued).status_code == 200
    assert count_moments() == 1


def test_a_reused_client_id_on_the_page_is_a_form_error(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    payload = moment_payload(world)
    assert api.post("moments", json=payload).status_code == 201
    form = {
        "client_id": payload["client_id"],
        "team_id": str(world.team.id),
        "cue": "Another guest, another story",
        "action": "Something else",
        "reaction": "Something else again",
        "value_ids": [str(world.values[0].id)],
    }
    response = api.client.post("/moments/new", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already saved under this entry&#39;s id" in html
    assert "Another guest, another story" in html  # their words are kept
    # The form comes back with a new id: submitting it again stores it as a new moment.
    fresh = re.search(r'name="client_id" type="hidden" value="([^"]+)"', html)
    assert fresh and fresh.group(1) != payload["client_id"]
    again = api.client.post("/moments/new", data={**form, "client_id": fresh.group(1)})
    assert again.status_code == 302
    assert count_moments() == 2


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"team_id": "front desk"}, 422, "team_id"),
        ({"value_ids": "all"}, 422, "value_ids"),
        ({"client_id": "not-a-uuid"}, 422, "client_id"),
        ({"cue": None}, 422, "cue"),
        ({"cue": "x" * 10_000}, 422, "cue"),
        ({"reaction": ""}, 422, "reaction"),
        ({"gesture_cost_cents": -5}, 422, "gesture_cost_cents"),
        ({"gesture_cost_cents": "lots"}, 422, "gesture_cost_cents"),
        ({"occurred_at": "yesterday"}, 422, "occurred_at"),
        ({"value_ids": [999_999]}, 422, "value_ids"),
        ({"value_ids": []}, 422, "value_ids"),
        ({"colleague_ids": [999_999]}, 422, "colleague_ids"),
        ({"team_id": 999_999}, 404, "team_id"),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_stored(
    api: ApiClient, world: World, changes: dict[str, Any], status: int, field: str
) -> None:
    api.sign_in(world.staff)
    assert_problem(api.post("moments", json=moment_payload(world, **changes)), status, field)
    assert count_moments() == 0


def test_missing_fields_are_named(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    body = assert_problem(api.post("moments", json={}), 422)
    assert {"client_id", "team_id", "cue", "action", "reaction"} <= set(body["errors"])
    assert_problem(api.post("moments", data="not json", content_type="application/json"), 400)
    assert count_moments() == 0


@pytest.mark.parametrize(
    ("attr", "field", "status"),
    [("other_team_foreign", "team_id", 404), ("other_value", "value_ids", 422)],
)
def test_other_organisations_ids_are_refused(
    api: ApiClient, world: World, attr: str, field: str, status: int
) -> None:
    foreign = getattr(world, attr).id
    changes = {"team_id": foreign} if field == "team_id" else {"value_ids": [foreign]}
    api.sign_in(world.staff)
    assert_problem(api.post("moments", json=moment_payload(world, **changes)), status, field)
    changes = {"colleague_ids": [world.outsider.id]}
    assert_problem(api.post("moments", json=moment_payload(world, **changes)), 422, "colleague_ids")
    assert count_moments() == 0


def _log(api: ApiClient, world: World, n: int, **changes: Any) -> list[int]:
    ids = []
    for i in range(n):
        response = api.post("moments", json=moment_payload(world, cue=f"Cue {i}", **changes))
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


def test_pages_are_stable_under_inserts(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    ids = _log(api, world, 5)
    first = api.get("moments?limit=2").get_json()
    assert [m["id"] for m in first["items"]] == ids[::-1][:2]
    _log(api, world, 2)  # newer moments arrive while someone pages back
    second = api.get(f"moments?limit=2&cursor={first['next_cursor']}").get_json()
    third = api.get(f"moments?limit=2&cursor={second['next_cursor']}").get_json()
    seen = [m["id"] for page in (first, second, third) for m in page["items"]]
    assert seen == ids[::-1]
    assert third["next_cursor"] is None


def test_filters(api: ApiClient, world: World) -> None:
    api.sign_in(world.manager)
    mine = _log(api, world, 1, team_id=world.other_team.id, value_ids=[world.values[1].id])
    api.sign_in(world.staff)
    theirs = _log(api, world, 1)

    def ids(query: str) -> list[int]:
        response = api.get(f"moments?{query}")
        assert response.status_code == 200, response.get_json()
        return [m["id"] for m in response.get_json()["items"]]

    assert ids(f"team_id={world.other_team.id}") == mine
    assert ids(f"person_id={world.staff.id}") == theirs
    assert ids(f"value_id={world.values[1].id}") == mine
    assert set(ids("since=2000-01-01")) == set(mine + theirs)
    assert ids("until=2000-01-01") == []
    assert_problem(api.get("moments?since=2020-02-02&until=2020-01-01"), 422, "until")
    assert_problem(api.get("moments?limit=0"), 422, "limit")
    assert_problem(api.get("moments?limit=101"), 422, "limit")
    assert_problem(api.get("moments?cursor=bm9wZQ"), 422, "cursor")
    assert_problem(api.get("moments?since=soon"), 422, "since")


def test_edit_and_delete_only_your_own(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    (moment_id,) = _log(api, world, 1)
    response = api.patch(f"moments/{moment_id}", json={"cue": "The guest looked lost."})
    assert response.status_code == 200
    assert response.get_json()["cue"] == "The guest looked lost."
    assert response.get_json()["action"].startswith("I walked")
    assert_problem(api.patch(f"moments/{moment_id}", json={"cue": ""}), 422, "cue")
    api.sign_in(world.staff2)
    assert api.get(f"moments/{moment_id}").status_code == 200
    assert_problem(api.patch(f"moments/{moment_id}", json={"cue": "Mine now"}), 403)
    assert_problem(api.delete(f"moments/{moment_id}"), 403)
    api.sign_in(world.staff)
    assert api.delete(f"moments/{moment_id}").status_code == 204
    assert_problem(api.get(f"moments/{moment_id}"), 404)
    db.session.expire_all()
    assert db.session.get(Moment, moment_id).cue == "The guest looked lost."


def test_gesture_cost_is_shown_to_author_and_managers_only(api: ApiClient, world: World) -> None:
    api.sign_in(world.staff)
    (moment_id,) = _log(api, world, 1, gesture_cost_cents=450, gesture_note="Coffee")
    assert api.get(f"moments/{moment_id}").get_json()["gesture_cost_cents"] == 450
    api.sign_in(world.staff2)
    assert api.get(f"moments/{moment_id}").get_json()["gesture_cost_cents"] is None
    api.sign_in(world.manager)
    assert api.get(f"moments/{moment_id}").get_json()["gesture_note"] == "Coffee"
