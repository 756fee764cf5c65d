"""Practices through the JSON API: the same rules as the pages, problem documents naming the
field, nothing half-saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.api.conftest import ApiClient, assert_problem
from tests.game_support import log
from webapp.extensions import db
from webapp.models import Practice, PracticeMoment


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_manager_adopts_and_the_team_lists_it(api: ApiClient, world):
    moment = log(world.staff, world.team)
    api.sign_in(world.manager)
    made = api.post("practices", json={"moment_id": moment.id, "title": "Walk them there"})
    assert made.status_code == 201
    body = made.get_json()
    assert body["title"] == "Walk them there" and body["team_id"] == world.team.id
    assert (body["repeats"], body["people"], body["source_moment_id"]) == (0, 0, moment.id)
    later = log(world.staff2, world.team)
    api.sign_in(world.staff2)
    linked = api.post(f"practices/{body['id']}/moments", json={"moment_id": later.id})
    assert linked.status_code == 204
    again = api.post(f"practices/{body['id']}/moments", json={"moment_id": later.id})
    assert again.status_code == 204 and count(PracticeMoment) == 1
    listing = api.get("practices").get_json()
    assert [(p["title"], p["repeats"], p["people"]) for p in listing["items"]] == [
        ("Walk them there", 1, 1)
    ]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"title": "No moment"}, 422, "moment_id"),
        ({"moment_id": "x", "title": "Bad id"}, 422, "moment_id"),
        ({"moment_id": "{moment}", "title": ""}, 422, "title"),
        ({"moment_id": "{foreign}", "title": "Theirs"}, 404, None),
        ({"moment_id": "{moment}", "title": "x" * 121}, 422, "title"),
    ],
)
def test_bad_adoptions_are_problems(api: ApiClient, world, body, status, field):
    ids = {
        "moment": log(world.staff, world.team).id,
        "foreign": log(world.outsider, world.other_team_foreign).id,
    }
    body = {k: (v.format(**ids) if isinstance(v, str) and "{" in v else v) for k, v in body.items()}
    if "moment_id" in body and str(body["moment_id"]).isdigit():
        body["moment_id"] = int(body["moment_id"])
    api.sign_in(world.manager)
    assert_problem(api.post("practices", json=body), status, field)
    assert count(Practice) == 0


def test_adopting_twice_is_a_conflict(api: ApiClient, world):
    moment = log(world.staff, world.team)
    api.sign_in(world.manager)
    assert api.post("practices", json={"moment_id": moment.id, "title": "Once"}).status_code == 201
    assert_problem(api.post("practices", json={"moment_id": moment.id, "title": "Twice"}), 409)
    assert count(Practice) == 1


def test_a_colleague_cannot_link_someone_elses_moment(api: ApiClient, world):
    source = log(world.staff, world.team)
    api.sign_in(world.manager)
    practice = api.post("practices", json={"moment_id": source.id, "title": "Walk"}).get_json()
    later = log(world.staff2, world.team)
    api.sign_in(world.staff)
    assert_problem(
        api.post(f"practices/{practice['id']}/moments", json={"moment_id": later.id}), 403
    )
    assert count(PracticeMoment) == 0


def test_an_unknown_team_is_not_found(api: ApiClient, world):
    api.sign_in(world.staff)
    assert_problem(api.get(f"practices?team_id={world.other_team_foreign.id}"), 404)
    assert_problem(api.get("practices?team_id=abc"), 422, "team_id")
