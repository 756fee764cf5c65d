"""The monthly gesture budget is enforced (refused, or allowed and flagged to the manager),
and a person receives a limited number of recognitions a week: pages, API and settings.
(The same limits under 20 concurrent requests: tests/web/test_concurrent_limits.py.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tests.api.conftest import ApiClient, assert_problem
from tests.factories import World, client_id
from tests.web.test_admin import settings_form
from webapp.extensions import db
from webapp.models import LedgerEntry, Moment, Organisation, Recognition
from webapp.moments.services import MomentInput, log_moment
from webapp.points import ledger
from webapp.recognition.services import RecognitionInput, recognize

REFUSED = "That is more than is left of your gesture budget this month"
MESSAGE = "You noticed the guest's cold hands and brought tea before she asked."


def _log(world: World, cents: int | None) -> Moment:
    moment, _ = log_moment(
        db.session,
        world.staff,
        MomentInput(
            client_id=client_id(),
            team_id=world.team.id,
            cue="A guest kept glancing at the rain outside.",
            action="I walked them to their taxi with an umbrella.",
            reaction="They laughed and promised to come back.",
            value_ids=[world.values[0].id],
            gesture_cost_cents=cents,
        ),
    )
    db.session.commit()
    return moment


def _form(world: World, cost: str) -> dict[str, Any]:
    return {
        "client_id": client_id(),
        "cue": "A guest kept glancing at the rain outside.",
        "action": "I walked them to their taxi with an umbrella.",
        "reaction": "They laughed and promised to come back.",
        "value_ids": [str(world.values[0].id)],
        "team_id": str(world.team.id),
        "gesture_cost": cost,
    }


def _moments() -> int:
    return int(db.session.scalar(select(func.count(Moment.id))) or 0)


# The gesture budget -------------------------------------------------------------------------


def test_a_gesture_beyond_what_is_left_is_refused_on_the_form(client, auth, world):
    _log(world, 2000)  # €20 of €25 spent
    auth.login(world.staff.email)
    response = client.post("/moments/new", data=_form(world, "10,00"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"{REFUSED}: €5.00 of €25.00." in html
    assert 'id="gesture_cost"' in html and 'aria-invalid="true"' in html
    assert _moments() == 1
    # What fits is accepted.
    assert client.post("/moments/new", data=_form(world, "5,00")).status_code == 302
    assert _moments() == 2


def test_a_gesture_beyond_the_budget_is_a_problem_naming_the_cost_in_the_api(app, world):
    api = ApiClient(app.test_client()).sign_in(world.staff)
    payload = {
        "client_id": client_id(),
        "team_id": world.team.id,
        "cue": "A guest kept glancing at the rain outside.",
        "action": "I walked them to their taxi with an umbrella.",
        "reaction": "They laughed and promised to come back.",
        "value_ids": [world.values[0].id],
        "gesture_cost_cents": 2501,
    }
    body = assert_problem(api.post("moments", json=payload), 409, "gesture_cost_cents")
    assert REFUSED in body["errors"]["gesture_cost_cents"][0]
    assert _moments() == 0
    assert api.post("moments", json={**payload, "gesture_cost_cents": 2500}).status_code == 201


def test_raising_a_cost_beyond_the_budget_when_editing_is_refused(client, auth, world):
    moment = _log(world, 2000)
    auth.login(world.staff.email)
    form = {**_form(world, "30,00"), "client_id": moment.client_id}
    response = client.post(f"/moments/{moment.id}/edit", data=form)
    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Moment, moment.id).gesture_cost_cents == 2000
    # Lowering it, or keeping it within the budget, is fine.
    form["gesture_cost"] = "25,00"
    assert client.post(f"/moments/{moment.id}/edit", data=form).status_code == 302


def test_a_deleted_gesture_gives_its_budget_back(client, auth, world):
    moment = _log(world, 2500)
    auth.login(world.staff.email)
    assert client.post("/moments/new", data=_form(world, "1,00")).status_code == 422
    client.post(f"/moments/{moment.id}/delete")
    assert client.post("/moments/new", data=_form(world, "25,00")).status_code == 302


def test_allow_and_flag_stores_the_gesture_and_shows_it_to_the_manager(client, auth, world):
    world.org.gesture_budget_mode = "flag"
    _log(world, 2000)
    auth.login(world.staff.email)
    assert client.post("/moments/new", data=_form(world, "10,00")).status_code == 302
    flagged = db.session.scalars(select(Moment).where(Moment.over_budget.is_(True))).all()
    assert [m.gesture_cost_cents for m in flagged] == [1000]
    auth.login(world.manager.email)
    page = client.get("/manage/budget").get_data(as_text=True)
    assert "1 gesture this month went beyond its person's budget" in page
    assert "1 over budget" in page and "Over budget" in page


def test_the_budget_settings_are_saved(client, auth, world):
    auth.login(world.admin.email)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="gesture_budget_mode"' in page and 'name="recognition_weekly_cap"' in page
    data = settings_form(world.org, gesture_budget_mode="flag", recognition_weekly_cap="5")
    response = client.post("/admin/settings", data=data, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)
    db.session.expire_all()
    org = db.session.get(Organisation, world.org.id)
    assert (org.gesture_budget_mode, org.recognition_weekly_cap) == ("flag", 5)
    bad = settings_form(world.org, gesture_budget_mode="ignore", recognition_weekly_cap="0")
    response = client.post("/admin/settings", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose one of the options." in html and "Enter a number from 1 to 50." in html


def test_the_api_shows_the_budget_settings(app, world):
    api = ApiClient(app.test_client()).sign_in(world.staff)
    settings = api.get("settings").get_json()
    assert settings["gesture_budget_mode"] == "refuse"
    assert settings["recognition_weekly_cap"] == 3


# Recognitions a week ------------------------------------------------------------------------


def test_a_person_receives_at_most_the_weekly_cap_of_recognitions(client, auth, world):
    for _ in range(world.org.recognition_weekly_cap):
        recognize(db.session, world.manager, RecognitionInput(world.staff.id, MESSAGE))
    db.session.commit()
    auth.login(world.manager.email)
    response = client.post(
        "/manage/recognize", data={"recipient_id": world.staff.id, "message": MESSAGE}
    )
    assert response.status_code in (409, 422)
    assert (
        "Sanne de Vries was already recognized 3 times this week, the most a week allows."
        in response.get_data(as_text=True)
    )
    assert db.session.scalar(select(func.count(Recognition.id))) == 3
    points = db.session.scalar(
        select(func.sum(LedgerEntry.points)).where(
            LedgerEntry.reason == ledger.RECOGNITION_RECEIVED
        )
    )
    assert points == 3 * world.org.points_recognition
    # Someone else may still be recognized.
    other = client.post(
        "/manage/recognize", data={"recipient_id": world.staff2.id, "message": MESSAGE}
    )
    assert other.status_code in (302, 303)
