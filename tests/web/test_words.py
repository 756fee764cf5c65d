"""The Dutch words the staff tried on a phone found unclear (issue 12, item 10): each area
says what it is for, and the board's periods and rules read as plain Dutch."""

from __future__ import annotations

import pytest

from tests.factories import World
from webapp.extensions import db

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9"}


pytestmark = pytest.mark.usefixtures("fresh_request_state")


def dutch_page(client, path: str) -> str:
    response = client.get(path, headers=DUTCH)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_an_admin_sees_my_teams_and_organisation_not_beheer_beside_beheerder(
    client, world: World, auth
) -> None:
    world.admin.locale = None
    db.session.commit()
    auth.login(world.admin.email)
    html = dutch_page(client, "/admin")
    assert "Mijn teams" in html and "Organisatie" in html
    assert ">Beheer<" not in html and ">Beheerder<" not in html.split("<main", 1)[0]
    # The role stays "Beheerder" where a person's role is named.
    assert "Beheerder" in dutch_page(client, f"/admin/people/{world.staff.id}")


def test_the_board_speaks_plain_dutch(client, world: World, auth) -> None:
    auth.login(world.staff.email)
    html = dutch_page(client, "/leaderboard")
    assert "Sinds het begin" in html and ">Altijd<" not in html
    assert "onderaanlijstjes" not in html
