"""Giving kudos through the page: to one, several or a team, for a moment, and the rules."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from tests.factories import client_id, make_user
from webapp.extensions import db
from webapp.kudos.services import KudosInput, current_week, give_kudos
from webapp.models import Kudos, KudosAllowanceUse
from webapp.moments.services import MomentInput, log_moment


def kudos_count() -> int:
    return int(db.session.scalar(select(func.count(Kudos.id))) or 0)


def log(author, **fields):
    moment, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=author.memberships[0].team.id,
            cue="A guest looked for the umbrella stand",
            action="Lent them the hotel umbrella",
            reaction="They came back dry and grateful",
            value_ids=[author.organisation.values[0].id],
            **fields,
        ),
    )
    return moment


def form(world, **overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "message": "Thank you for spotting the lost child so quickly",
        "value_id": str(world.values[0].id),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def as_staff(client, world, auth):
    auth.login(world.staff.email)
    return client


def test_page_needs_sign_in(client, world):
    response = client.get("/kudos/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_form_shows_allowance_colleagues_by_team(as_staff, world):
    html = as_staff.get("/kudos/new").get_data(as_text=True)
    assert "You have 5 kudos left this week." in html
    assert f'name="receiver_ids" id="receiver-{world.staff2.id}"' in html
    assert (
        f'value="{world.staff.id}"'
        not in html.split('name="receiver_ids"', 1)[1].split("</fieldset>")[0]
    )  # not yourself
    assert "Front desk" in html and "Restaurant" in html
    assert "Olga Outsider" not in html
    assert 'name="private"' in html and 'name="client_id"' in html


def test_to_preselects_a_colleague(as_staff, world):
    html = as_staff.get(f"/kudos/new?to={world.staff3.id}").get_data(as_text=True)
    assert f'value="{world.staff3.id}" checked' in html


def test_moment_preselects_author_and_colleagues(as_staff, world):
    moment = log(world.staff2, colleague_ids=[world.staff3.id])
    html = as_staff.get(f"/kudos/new?moment={moment.id}").get_data(as_text=True)
    assert f'value="{world.staff2.id}" checked' in html
    assert f'value="{world.staff3.id}" checked' in html
    assert "A guest looked for the umbrella stand" in html
    # The value the moment showed is the suggested one.
    value_id = moment.values[0].id
    selected = rf'<option selected value="{value_id}"|<option value="{value_id}" selected'
    assert re.search(selected, html)


def test_moment_of_other_organisation_is_404(as_staff, world):
    moment = log(world.outsider)
    assert as_staff.get(f"/kudos/new?moment={moment.id}").status_code == 404
    assert as_staff.get("/kudos/new?moment=abc").status_code == 404


def test_kudos_to_one_colleague(as_staff, world):
    response = as_staff.post(
        "/kudos/new", data=form(world, receiver_ids=[world.staff2.id]), follow_redirects=True
    )
    assert response.request.path == "/"
    assert "Kudos sent to Tom Bakker. Thank you for noticing." in response.get_data(as_text=True)
    made = db.session.scalar(select(Kudos))
    assert (made.giver_id, made.receiver_id, made.value_id) == (
        world.staff.id,
        world.staff2.id,
        world.values[0].id,
    )
    assert "You have 4 kudos left this week." in as_staff.get("/kudos/new").get_data(as_text=True)


def test_kudos_to_several_colleagues_is_one_action(as_staff, world):
    response = as_staff.post(
        "/kudos/new",
        data=form(world, receiver_ids=[world.staff2.id, world.staff3.id]),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Tom Bakker" in html and "Aisha Khan" in html
    assert kudos_count() == 2
    used = db.session.scalar(select(KudosAllowanceUse.used))
    assert used == 1


def test_kudos_to_a_whole_team(as_staff, world):
    response = as_staff.post("/kudos/new", data=form(world, team_id=str(world.team.id)))
    assert response.status_code == 302
    receivers = set(db.session.scalars(select(Kudos.receiver_id)))
    assert receivers == {world.staff2.id, world.manager.id, world.admin.id}


def test_kudos_for_a_moment_go_back_to_it(as_staff, world):
    moment = log(world.staff2)
    response = as_staff.post(
        f"/kudos/new?moment={moment.id}",
        data=form(world, moment_id=str(moment.id), receiver_ids=[world.staff2.id]),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moments/{moment.id}"
    page = as_staff.get(f"/moments/{moment.id}").get_data(as_text=True)
    assert "Thank you for spotting the lost child so quickly" in page and "1 kudos" in page


def test_kudos_for_a_moment_twice_is_refused(as_staff, world):
    moment = log(world.staff2)
    data = form(world, moment_id=str(moment.id), receiver_ids=[world.staff2.id])
    as_staff.post(f"/kudos/new?moment={moment.id}", data=data)
    response = as_staff.post(
        f"/kudos/new?moment={moment.id}", data={**data, "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 422
    assert "You already gave Tom Bakker kudos for this moment." in response.get_data(as_text=True)
    assert kudos_count() == 1


def test_same_client_id_twice_creates_nothing_new(as_staff, world):
    data = form(world, receiver_ids=[world.staff2.id])
    assert as_staff.post("/kudos/new", data=data).status_code == 302
    assert as_staff.post("/kudos/new", data=data).status_code == 302
    assert kudos_count() == 1


def test_kudos_to_yourself_is_refused(as_staff, world):
    response = as_staff.post("/kudos/new", data=form(world, receiver_ids=[world.staff.id]))
    assert response.status_code == 422
    assert "You cannot give kudos to yourself." in response.get_data(as_text=True)
    assert kudos_count() == 0


def test_other_organisation_receiver_is_refused(as_staff, world):
    response = as_staff.post(
        "/kudos/new", data=form(world, receiver_ids=[world.staff2.id, world.outsider.id])
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="receiver_ids-error"' in html and "That colleague was not found." in html
    assert kudos_count() == 0
    assert db.session.scalar(select(KudosAllowanceUse.used)) in (None, 0)


def test_other_organisation_team_is_refused(as_staff, world):
    response = as_staff.post(
        "/kudos/new", data=form(world, team_id=str(world.other_team_foreign.id))
    )
    assert response.status_code == 422
    assert "That team was not found." in response.get_data(as_text=True)
    assert kudos_count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"message": ""}, "Enter between 1 and 280 characters."),
        ({"message": "x" * 281}, "Enter between 1 and 280 characters."),
        ({"value_id": None}, "Choose one of the options."),
        ({"value_id": "abc"}, "Choose one of the options."),
        ({"receiver_ids": ["abc"]}, "Choose one of the options."),
        ({"receiver_ids": None}, "Choose who the kudos are for."),
        ({"client_id": "nope"}, "Send a UUID"),
    ],
)
def test_bad_input_is_shown_on_the_form(as_staff, world, overrides, message):
    data = form(world, receiver_ids=[world.staff2.id])
    data.update(overrides)
    response = as_staff.post("/kudos/new", data={k: v for k, v in data.items() if v is not None})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert kudos_count() == 0


def test_other_organisations_value_is_refused(as_staff, world):
    response = as_staff.post(
        "/kudos/new",
        data=form(world, receiver_ids=[world.staff2.id], value_id=str(world.other_value.id)),
    )
    assert response.status_code == 422
    assert "Choose a value from the list." in response.get_data(as_text=True)
    assert kudos_count() == 0


def test_allowance_exhausted_is_said_kindly(as_staff, world):
    db.session.add(
        KudosAllowanceUse(
            user_id=world.staff.id,
            week_start=current_week(world.org),
            used=world.org.kudos_weekly_allowance,
        )
    )
    db.session.commit()
    html = as_staff.get("/kudos/new").get_data(as_text=True)
    assert "You have given all your kudos for this week." in html
    assert "disabled>" in html
    response = as_staff.post("/kudos/new", data=form(world, receiver_ids=[world.staff2.id]))
    assert response.status_code == 422
    assert kudos_count() == 0


def test_private_kudos_are_hidden_from_a_third_colleague(client, world, auth):
    moment = log(world.staff2)
    give_kudos(
        db.session,
        world.staff,
        KudosInput(
            client_id=client_id(),
            message="A private thank-you only for you",
            receiver_ids=[world.staff2.id],
            moment_id=moment.id,
            value_id=world.values[0].id,
            private=True,
        ),
    )
    for person, sees in [
        (world.staff, True),
        (world.staff2, True),
        (world.manager, True),
        (world.staff3, False),
    ]:
        auth.login(person.email)
        html = client.get(f"/moments/{moment.id}").get_data(as_text=True)
        assert ("A private thank-you only for you" in html) is sees, person.name
        feed = client.get("/").get_data(as_text=True)
        assert ("1 kudos" in feed) is sees
        auth.logout()


def test_private_checkbox_is_stored(as_staff, world):
    as_staff.post("/kudos/new", data=form(world, receiver_ids=[world.staff2.id], private="y"))
    assert db.session.scalar(select(Kudos.private)) is True


def test_many_receivers_are_summarised_in_the_message(as_staff, world):
    extra = [make_user(db.session, world.org, team=world.team) for _ in range(3)]
    db.session.commit()
    ids = [world.staff2.id, world.staff3.id, *(p.id for p in extra)]
    response = as_staff.post(
        "/kudos/new", data=form(world, receiver_ids=ids), follow_redirects=True
    )
    assert "and 2 others. Thank you for noticing." in response.get_data(as_text=True)
