"""One access rule per feature, the same answer at every entry point: the moment page, the
API, the feed, profiles and the personal-data export. Each case asks every entry point
the same question as each role, so a copy of a rule that drifts shows up here."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import ApiClient
from tests.factories import World, client_id
from tests.game_support import log
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.moments.services import MomentInput, log_moment, reverse_moment

SECRET_NOTE = "Bought the flowers at the corner stall"
SECRET_MESSAGE = "Thank you for staying late with me, just between us"
VIEWERS = ["author", "colleague", "named", "manager", "outsider"]


def _person(world: World, who: str) -> Any:
    return {
        "author": world.staff,
        "colleague": world.staff3,
        "named": world.staff2,
        "manager": world.manager,
        "outsider": world.outsider_manager,
    }[who]


def _sign_in(client: Any, api: ApiClient, person: Any) -> None:
    client.post("/logout")
    api.sign_in(person)  # the API session cookie signs the pages in too


def _gesture_moment(world: World) -> int:
    moment, _ = log_moment(
        db.session,
        world.staff,
        MomentInput(
            client_id=client_id(),
            team_id=world.team.id,
            cue="Anniversary couple at breakfast",
            action="Put flowers on their table",
            reaction="She cried a little, happily",
            value_ids=[world.values[0].id],
            colleague_ids=[world.staff2.id],
            gesture_cost_cents=1234,
            gesture_note=SECRET_NOTE,
        ),
    )
    db.session.commit()
    return moment.id


# A reversed moment: its author and managers may look at it, nobody else --------------------

REVERSED_SEEN_BY = {"author": 200, "colleague": 404, "named": 404, "manager": 200, "outsider": 404}


@pytest.mark.parametrize("who", VIEWERS)
def test_a_reversed_moment_gets_the_same_answer_on_page_and_api(client, api, world, who):
    moment = log(world.staff, world.team)
    reverse_moment(db.session, world.manager, moment, "Logged twice by mistake")
    db.session.commit()
    _sign_in(client, api, _person(world, who))
    page = client.get(f"/moments/{moment.id}").status_code
    json_api = api.get(f"moments/{moment.id}").status_code
    assert page == json_api == REVERSED_SEEN_BY[who]


@pytest.mark.parametrize("who", ["author", "colleague", "manager", "outsider"])
def test_a_deleted_moment_is_gone_everywhere(client, api, world, who):
    moment = log(world.staff, world.team)
    _sign_in(client, api, world.staff)
    assert client.post(f"/moments/{moment.id}/delete").status_code == 302
    _sign_in(client, api, _person(world, who))
    assert client.get(f"/moments/{moment.id}").status_code == 404
    assert api.get(f"moments/{moment.id}").status_code == 404


# What a gesture cost: the author and managers, never colleagues ------------------------------

SEES_COST = {"author": True, "colleague": False, "named": False, "manager": True}


@pytest.mark.parametrize("who", list(SEES_COST))
def test_gesture_cost_and_note_follow_one_rule_on_page_feed_and_api(client, api, world, who):
    moment_id = _gesture_moment(world)
    _sign_in(client, api, _person(world, who))
    page = client.get(f"/moments/{moment_id}").get_data(as_text=True)
    feed = client.get("/").get_data(as_text=True)
    body = api.get(f"moments/{moment_id}").get_json()
    listed = next(m for m in api.get("moments").get_json()["items"] if m["id"] == moment_id)
    sees = SEES_COST[who]
    assert (SECRET_NOTE in page) is sees
    assert (SECRET_NOTE in feed) is sees
    assert ("12.34" in page or "12,34" in page) is sees
    assert (body["gesture_cost_cents"] == 1234) is sees
    assert (body["gesture_note"] == SECRET_NOTE) is sees
    assert (listed["gesture_cost_cents"] == 1234) is sees


def test_a_named_colleagues_export_carries_the_story_but_not_the_spending(client, api, world):
    moment_id = _gesture_moment(world)
    _sign_in(client, api, world.staff2)
    mine = json.loads(client.get("/me/export").get_data(as_text=True))
    involved = {m["id"]: m for m in mine["moments_involved"]}
    assert moment_id in involved
    assert "gesture_cost_cents" not in involved[moment_id]
    assert SECRET_NOTE not in json.dumps(mine)
    via_api = api.get("me/export").get_json()
    assert SECRET_NOTE not in json.dumps(via_api)
    _sign_in(client, api, world.staff)
    authors = json.loads(client.get("/me/export").get_data(as_text=True))
    own = {m["id"]: m for m in authors["moments_authored"]}
    assert own[moment_id]["gesture_cost_cents"] == 1234


def test_a_moment_its_author_deleted_leaves_colleagues_exports(client, api, world):
    moment_id = _gesture_moment(world)
    _sign_in(client, api, world.staff)
    assert client.post(f"/moments/{moment_id}/delete").status_code == 302
    _sign_in(client, api, world.staff2)
    exported = json.loads(client.get("/me/export").get_data(as_text=True))
    assert moment_id not in {m["id"] for m in exported["moments_involved"]}


# Private kudos: the giver, the receiver and managers ------------------------------------------

SEES_PRIVATE = {"author": True, "named": True, "colleague": False, "manager": True}


@pytest.mark.parametrize("who", list(SEES_PRIVATE))
def test_private_kudos_follow_one_rule_everywhere(client, api, world, who):
    # staff2 ("named") thanks staff ("author") privately, for a moment of theirs.
    moment = log(world.staff, world.team)
    give_kudos(
        db.session,
        world.staff2,
        KudosInput(
            client_id(), SECRET_MESSAGE, [world.staff.id], moment_id=moment.id, private=True
        ),
    )
    db.session.commit()
    _sign_in(client, api, _person(world, who))
    sees = SEES_PRIVATE[who]
    detail = client.get(f"/moments/{moment.id}").get_data(as_text=True)
    profile = client.get(f"/people/{world.staff.id}", follow_redirects=True).get_data(as_text=True)
    listed = api.get("kudos", query_string={"person_id": world.staff.id}).get_json()["items"]
    feed = client.get("/").get_data(as_text=True)
    assert (SECRET_MESSAGE in detail) is sees
    assert (SECRET_MESSAGE in profile) is sees
    assert any(k["message"] == SECRET_MESSAGE for k in listed) is sees
    assert ("1 kudos" in feed) is sees  # the feed's count follows the same rule
