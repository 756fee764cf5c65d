"""Practices through the pages: a manager adopts a moment, the team sees it, later moments
are linked to it by their author, and the practice spreads. Refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.game_support import log
from webapp.extensions import db
from webapp.models import AuditEntry, Practice, PracticeMoment
from webapp.moments.services import reverse_moment
from webapp.practices import services as practices


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def adopt(world, moment, title="An umbrella at the door"):
    practice = practices.adopt_practice(db.session, world.manager, moment.id, title)
    db.session.commit()
    return practice


def test_a_manager_adopts_a_moment_and_the_team_sees_it(client, auth, world):
    moment = log(world.staff, world.team)
    auth.login(world.manager.email)
    page = client.get(f"/moments/{moment.id}").get_data(as_text=True)
    assert f'href="/moments/{moment.id}/adopt"' in page
    form = client.get(f"/moments/{moment.id}/adopt").get_data(as_text=True)
    assert "Guest looked lost near the lifts" in form
    response = client.post(f"/moments/{moment.id}/adopt", data={"title": "Walk them there"})
    practice = db.session.scalars(select(Practice)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/practices/{practice.id}")
    assert (practice.team_id, practice.adopted_by_id) == (world.team.id, world.manager.id)
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.target_id) == ("practice.adopted", practice.id)
    auth.login(world.staff3.email)  # someone of another team: practices are for everyone
    listing = client.get(f"/practices?team_id={world.team.id}").get_data(as_text=True)
    assert "Walk them there" in listing and "Repeated 0 times" in listing


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Enter between 3 and 120 characters."), ("x" * 121, "Enter between 3 and 120")],
)
def test_a_title_is_needed(client, auth, world, title, message):
    moment = log(world.staff, world.team)
    auth.login(world.manager.email)
    response = client.post(f"/moments/{moment.id}/adopt", data={"title": title})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Practice) == 0 and count(AuditEntry) == 0


def test_adopting_twice_says_so_and_adds_nothing(client, auth, world):
    moment = log(world.staff, world.team)
    adopt(world, moment)
    auth.login(world.admin.email)
    response = client.post(f"/moments/{moment.id}/adopt", data={"title": "Again"})
    assert response.status_code == 422
    assert "already a practice of the team: An umbrella at the door" in response.get_data(
        as_text=True
    )
    assert count(Practice) == 1


def test_a_reversed_moment_cannot_be_adopted(client, auth, world):
    moment = log(world.staff, world.team)
    reverse_moment(db.session, world.manager, moment, "Made up")
    db.session.commit()
    auth.login(world.manager.email)
    assert client.post(f"/moments/{moment.id}/adopt", data={"title": "No"}).status_code == 404
    assert count(Practice) == 0


def test_the_author_links_a_later_moment_and_the_practice_spreads(client, auth, world):
    practice = adopt(world, log(world.staff, world.team))
    later = log(world.staff2, world.team)
    auth.login(world.staff2.email)
    page = client.get(f"/moments/{later.id}").get_data(as_text=True)
    assert "This moment repeats a practice" in page
    response = client.post(f"/moments/{later.id}/practices", data={"practice_id": practice.id})
    assert response.status_code == 302
    again = client.post(f"/moments/{later.id}/practices", data={"practice_id": practice.id})
    assert again.status_code == 302  # linking twice changes nothing
    assert count(PracticeMoment) == 1
    listing = client.get("/practices").get_data(as_text=True)
    assert "Repeated 1 time" in listing and "by 1 person" in listing
    detail = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "<svg" in detail and 'role="img"' in detail and "Show the numbers" in detail
    assert f"/moments/{later.id}" in detail and 'style="' not in detail
    removed = client.post(f"/moments/{later.id}/practices/{practice.id}/remove")
    assert removed.status_code == 302 and count(PracticeMoment) == 0


def test_linking_is_for_the_author_or_a_manager(client, auth, world):
    practice = adopt(world, log(world.staff, world.team))
    later = log(world.staff2, world.team)
    auth.login(world.staff.email)
    page = client.get(f"/moments/{later.id}").get_data(as_text=True)
    assert "This moment repeats a practice" not in page
    response = client.post(f"/moments/{later.id}/practices", data={"practice_id": practice.id})
    assert response.status_code == 403 and count(PracticeMoment) == 0
    auth.login(world.manager.email)
    response = client.post(f"/moments/{later.id}/practices", data={"practice_id": practice.id})
    assert response.status_code == 302 and count(PracticeMoment) == 1


@pytest.mark.parametrize("which", ["other_team", "source", "nonsense", "missing"])
def test_a_moment_links_only_to_its_own_teams_practices(client, auth, world, which):
    source = log(world.staff, world.team)
    ours = adopt(world, source)
    theirs = adopt(world, log(world.staff3, world.other_team), "Theirs")
    later = log(world.staff, world.team)
    target, practice_id = {
        "other_team": (later, theirs.id),
        "source": (source, ours.id),
        "nonsense": (later, "abc"),
        "missing": (later, ""),
    }[which]
    auth.login(world.staff.email)
    response = client.post(f"/moments/{target.id}/practices", data={"practice_id": practice_id})
    assert response.status_code == 422
    assert count(PracticeMoment) == 0


def test_the_service_refuses_what_the_form_does_not_offer(app, world):
    from webapp.domain import Invalid

    source = log(world.staff, world.team)
    ours = adopt(world, source)
    theirs = adopt(world, log(world.staff3, world.other_team), "Theirs")
    with pytest.raises(Invalid):
        practices.link_moment(db.session, world.staff, source.id, ours.id)
    with pytest.raises(Invalid):
        practices.link_moment(db.session, world.staff, log(world.staff, world.team).id, theirs.id)


def test_removing_a_link_that_is_not_there_is_not_found(client, auth, world):
    practice = adopt(world, log(world.staff, world.team))
    later = log(world.staff, world.team)
    auth.login(world.staff.email)
    assert client.post(f"/moments/{later.id}/practices/{practice.id}/remove").status_code == 404


def test_an_unknown_team_or_bad_query_on_the_practices_page(client, auth, world):
    auth.login(world.staff.email)
    assert client.get(f"/practices?team_id={world.other_team_foreign.id}").status_code == 404
    assert client.get("/practices?team_id=abc").status_code == 400
    assert client.get("/practices?team_id=99999999999").status_code == 400
