"""A notification about someone who has left names them "Former colleague" (issue 9, §5):
on /me, in the API and in a push still waiting to go out, whether their account was deleted
or an admin deactivated it."""

from __future__ import annotations

import json

import pytest
from flask_babel import refresh

from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, World
from tests.game_support import thank
from webapp.account.services import delete_account
from webapp.admin.services import set_active
from webapp.extensions import db
from webapp.models import Notification
from webapp.notifications.push import payload_for


def leave(world: World, how: str) -> None:
    if how == "deleted":
        delete_account(db.session, world.staff2, PASSWORD)
    else:
        set_active(db.session, world.admin, world.staff2, False)
    db.session.commit()


@pytest.mark.parametrize("how", ["deleted", "deactivated"])
def test_a_colleague_who_left_is_a_former_colleague(client, auth, world: World, how: str) -> None:
    thank(world.staff2, world.staff)
    before = db.session.query(Notification).filter_by(kind="kudos").one()
    assert before.title == "Tom Bakker gave you kudos"
    leave(world, how)

    auth.login(world.staff.email)
    page = client.get("/inbox").get_data(as_text=True)
    assert "Former colleague gave you kudos" in page
    assert "Tom Bakker gave you kudos" not in page
    assert "Tom Bakker gave you kudos" not in client.get("/me").get_data(as_text=True)
    listed = ApiClient(client).sign_in(world.staff).get("notifications").get_json()["items"]
    assert [n["title"] for n in listed if n["kind"] == "kudos"] == [
        "Former colleague gave you kudos"
    ]
    notification = db.session.query(Notification).filter_by(kind="kudos").one()
    pushed = json.loads(payload_for(notification, world.staff))
    assert pushed["title"] == "Former colleague gave you kudos"


def test_in_dutch_too(client, auth, world: World) -> None:
    world.staff.locale = "nl"
    db.session.commit()
    thank(world.staff2, world.staff)
    leave(world, "deleted")
    auth.login(world.staff.email)
    refresh()  # the tests share one app context, where Flask-Babel keeps the locale it chose
    assert "Oud-collega gaf je kudos" in client.get("/inbox").get_data(as_text=True)


def test_a_colleague_still_here_keeps_their_name(client, auth, world: World) -> None:
    thank(world.staff2, world.staff)
    auth.login(world.staff.email)
    assert "Tom Bakker gave you kudos" in client.get("/inbox").get_data(as_text=True)
