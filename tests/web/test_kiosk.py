"""Kiosk mode through the test client: one's PIN, setting up and revoking kiosks (admins,
team leads, nobody across organisations), and the kiosk itself: faces → PIN → a moment or
kudos as that person → back to the faces; lockouts, the turn's end, and that a turn opens
nothing outside the kiosk."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Auth
from tests.factories import PASSWORD, World, client_id, make_user
from webapp.auth.services import hash_token
from webapp.extensions import db
from webapp.kiosk import services as kiosk
from webapp.kiosk.schemas import is_weak
from webapp.kiosk.views import COOKIE
from webapp.models import AuditEntry, KioskDevice, KioskPin, Kudos, Moment, User
from webapp.timeutil import frozen_time, utcnow

PIN = "4071"


pytestmark = pytest.mark.usefixtures("fresh_request_state")


def set_pin(user: User, pin: str = PIN) -> None:
    kiosk.set_pin(db.session, user, PASSWORD, pin)
    db.session.commit()


def make_kiosk(world: World, by: User | None = None) -> tuple[KioskDevice, str]:
    device, raw = kiosk.create_device(db.session, by or world.admin, "Staff room", world.team.id)
    db.session.commit()
    return device, raw


def as_kiosk(client: FlaskClient, raw: str) -> None:
    client.set_cookie(COOKIE, raw, path="/kiosk")


def start_turn(client: FlaskClient, user: User, pin: str = PIN) -> object:
    return client.post(f"/kiosk/people/{user.id}", data={"pin": pin})


def moment_form(world: World) -> dict[str, object]:
    return {
        "client_id": client_id(),
        "team_id": world.team.id,
        "cue": "A guest in the rain without an umbrella",
        "action": "Lent them the hotel umbrella",
        "reaction": "They laughed and came back dry",
        "value_ids": [world.values[0].id],
    }


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# One's PIN -------------------------------------------------------------------------------


def test_a_pin_is_set_with_the_current_password_and_stored_hashed(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.staff.email)
    assert "no kiosk PIN yet" in client.get("/kiosk/pin").get_data(as_text=True)
    response = client.post("/kiosk/pin", data={"password": PASSWORD, "pin": "40712"})
    assert response.status_code == 302
    row = db.session.get(KioskPin, world.staff.id)
    assert row is not None and row.pin_hash != "40712" and row.pin_hash.startswith("scrypt:")
    assert "You have a kiosk PIN" in client.get("/kiosk/pin").get_data(as_text=True)


def test_a_pin_needs_the_current_password(client: FlaskClient, auth: Auth, world: World) -> None:
    auth.login(world.staff.email)
    response = client.post("/kiosk/pin", data={"password": "wrong", "pin": PIN})
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)
    assert db.session.get(KioskPin, world.staff.id) is None


@pytest.mark.parametrize(
    "pin", ["0000", "1234", "9876", "111111", "1212", "123", "1234567", "12a4"]
)
def test_easy_or_malformed_pins_are_refused(
    client: FlaskClient, auth: Auth, world: World, pin: str
) -> None:
    auth.login(world.staff.email)
    response = client.post("/kiosk/pin", data={"password": PASSWORD, "pin": pin})
    assert response.status_code == 422
    assert db.session.get(KioskPin, world.staff.id) is None


@pytest.mark.parametrize(("pin", "weak"), [("4071", False), ("1122", False), ("234567", True)])
def test_weak_pins(pin: str, weak: bool) -> None:
    assert is_weak(pin) is weak


def test_the_settings_link_to_the_pin_page(client: FlaskClient, auth: Auth, world: World) -> None:
    auth.login(world.staff.email)
    assert 'href="/kiosk/pin"' in client.get("/settings").get_data(as_text=True)


# Setting up and revoking kiosks -------------------------------------------------------------


def test_a_lead_turns_this_device_into_a_kiosk(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.manager.email)
    response = client.post("/kiosk/devices", data={"name": "Staff room", "team_id": world.team.id})
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk"
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE))
    raw = cookie.split(";")[0].split("=", 1)[1]
    assert len(raw) >= 60
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/kiosk", "Max-Age="):
        assert flag in cookie
    device = db.session.scalar(select(KioskDevice))
    assert device is not None and device.token_hash == hash_token(raw) != raw
    assert device.team_id == world.team.id and device.created_by_id == world.manager.id
    # The manager is signed out on the shared device; it now shows the team's faces.
    assert client.get("/me").headers["Location"].startswith("/login")
    assert "Who are you?" in client.get("/kiosk").get_data(as_text=True)


def test_a_manager_sets_up_kiosks_only_for_the_teams_they_lead(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.manager.email)
    page = client.get("/kiosk/devices").get_data(as_text=True)
    assert world.team.name in page and world.other_team.name not in page
    response = client.post(
        "/kiosk/devices", data={"name": "Kitchen", "team_id": world.other_team.id}
    )
    assert response.status_code == 422
    assert count(KioskDevice) == 0


def test_an_admin_sets_up_kiosks_for_any_team_of_the_organisation(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.admin.email)
    response = client.post(
        "/kiosk/devices", data={"name": "Kitchen", "team_id": world.other_team.id}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(KioskDevice.team_id)) == world.other_team.id


def test_nobody_sets_up_a_kiosk_for_another_organisations_team(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.admin.email)
    data = {"name": "Theirs", "team_id": world.other_team_foreign.id}
    assert client.post("/kiosk/devices", data=data).status_code == 422
    assert count(KioskDevice) == 0


def test_staff_cannot_manage_kiosks(client: FlaskClient, auth: Auth, world: World) -> None:
    device, _raw = make_kiosk(world)
    auth.login(world.staff.email)
    assert client.get("/kiosk/devices").status_code == 403
    assert client.post(f"/kiosk/devices/{device.id}/revoke").status_code == 403
    assert db.session.get(KioskDevice, device.id).revoked_at is None  # type: ignore[union-attr]


def test_the_list_shows_only_the_kiosks_one_looks_after(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    world.outsider_manager.role = "admin"
    kiosk.create_device(db.session, world.admin, "Desk tablet", world.team.id)
    kiosk.create_device(db.session, world.admin, "Kitchen tablet", world.other_team.id)
    kiosk.create_device(
        db.session, world.outsider_manager, "Their tablet", world.other_team_foreign.id
    )
    db.session.commit()
    auth.login(world.manager.email)
    page = client.get("/kiosk/devices").get_data(as_text=True)
    assert "Desk tablet" in page
    assert "Kitchen tablet" not in page and "Their tablet" not in page
    auth.login(world.admin.email)
    page = client.get("/kiosk/devices").get_data(as_text=True)
    assert "Desk tablet" in page and "Kitchen tablet" in page and "Their tablet" not in page


@pytest.mark.parametrize("who", ["manager_of_other_team", "outsider_manager"])
def test_revoking_someone_elses_kiosk_is_404(
    client: FlaskClient, auth: Auth, world: World, who: str
) -> None:
    device, _raw = kiosk.create_device(db.session, world.admin, "Kitchen", world.other_team.id)
    db.session.commit()
    user = world.manager if who == "manager_of_other_team" else world.outsider_manager
    world.outsider_manager.role = "admin"
    db.session.commit()
    auth.login(user.email)
    assert client.post(f"/kiosk/devices/{device.id}/revoke").status_code == 404
    assert db.session.get(KioskDevice, device.id).revoked_at is None  # type: ignore[union-attr]


def test_a_revoked_kiosk_says_it_is_no_longer_a_kiosk(
    app: Flask, client: FlaskClient, auth: Auth, world: World
) -> None:
    set_pin(world.staff)
    device, raw = make_kiosk(world)
    tablet = app.test_client()
    as_kiosk(tablet, raw)
    assert start_turn(tablet, world.staff).status_code == 302
    auth.login(world.manager.email)
    assert client.post(f"/kiosk/devices/{device.id}/revoke").status_code == 302
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["kiosk.created", "kiosk.revoked"]
    page = tablet.get("/kiosk")
    assert page.status_code == 403
    assert "no longer a kiosk" in page.get_data(as_text=True)
    assert tablet.post("/kiosk/moment", data=moment_form(world)).status_code == 403
    assert count(Moment) == 0


def test_a_browser_without_the_token_is_not_a_kiosk(client: FlaskClient, world: World) -> None:
    make_kiosk(world)
    as_kiosk(client, "made-up-token")
    response = client.get("/kiosk")
    assert response.status_code == 403
    assert "This device is not a kiosk" in response.get_data(as_text=True)


# The kiosk ---------------------------------------------------------------------------------


def test_the_kiosk_shows_the_teams_faces_and_nothing_else(
    client: FlaskClient, world: World
) -> None:
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    page = client.get("/kiosk").get_data(as_text=True)
    for person in (world.staff, world.staff2, world.manager):
        assert person.name in page and f"/kiosk/people/{person.id}" in page
        assert person.initials in page
    assert world.staff3.name not in page  # another team
    assert world.outsider.name not in page
    assert 'href="/me"' not in page and "tabbar" not in page


def test_tap_pin_moment_and_back_to_the_faces(client: FlaskClient, world: World) -> None:
    set_pin(world.staff2)
    device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    assert PIN not in client.get(f"/kiosk/people/{world.staff2.id}").get_data(as_text=True)
    response = start_turn(client, world.staff2)
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk"
    choose = client.get("/kiosk").get_data(as_text=True)
    assert "Hello Tom" in choose and "Log a moment" in choose
    assert "points" not in choose.lower()
    form = client.get("/kiosk/moment").get_data(as_text=True)
    assert world.values[0].name in form
    response = client.post("/kiosk/moment", data=moment_form(world))
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk"
    moment = db.session.scalar(select(Moment))
    assert moment is not None and moment.author_id == world.staff2.id
    assert moment.team_id == world.team.id
    page = client.get("/kiosk").get_data(as_text=True)
    assert "Moment logged" in page and "Who are you?" in page
    db.session.refresh(device)
    assert device.person_id is None
    # The turn is over: the form is gone until the next PIN.
    again = client.post("/kiosk/moment", data=moment_form(world))
    assert again.headers["Location"] == "/kiosk"
    assert count(Moment) == 1


def test_kudos_from_the_kiosk_are_given_by_the_person(client: FlaskClient, world: World) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff)
    data = {
        "client_id": client_id(),
        "receiver_ids": [world.staff2.id],
        "message": "Thank you for covering my shift!",
        "value_id": world.values[0].id,
    }
    response = client.post("/kiosk/kudos", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    kudos = db.session.scalar(select(Kudos))
    assert kudos is not None and kudos.giver_id == world.staff.id
    assert kudos.receiver_id == world.staff2.id
    assert "Who are you?" in client.get("/kiosk").get_data(as_text=True)


def test_the_moment_service_rules_apply_on_the_kiosk(client: FlaskClient, world: World) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff)
    response = client.post("/kiosk/moment", data={**moment_form(world), "value_ids": []})
    assert response.status_code == 422
    assert count(Moment) == 0
    foreign = {**moment_form(world), "value_ids": [world.other_value.id]}
    assert client.post("/kiosk/moment", data=foreign).status_code == 422
    assert count(Moment) == 0


def test_done_ends_the_turn(client: FlaskClient, world: World) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff)
    assert client.post("/kiosk/done").headers["Location"] == "/kiosk"
    assert "Who are you?" in client.get("/kiosk").get_data(as_text=True)
    assert client.get("/kiosk/moment").headers["Location"] == "/kiosk"


def test_only_the_kiosk_teams_people_can_start_a_turn(client: FlaskClient, world: World) -> None:
    set_pin(world.staff3)
    set_pin(world.outsider)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    for person in (world.staff3, world.outsider):
        assert client.get(f"/kiosk/people/{person.id}").status_code == 404
        assert start_turn(client, person).status_code == 404
    assert "Who are you?" in client.get("/kiosk").get_data(as_text=True)


def test_a_person_without_a_pin_is_told_where_to_set_one(client: FlaskClient, world: World) -> None:
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    response = start_turn(client, world.staff)
    assert response.status_code == 422
    assert "no kiosk PIN yet" in response.get_data(as_text=True)


def test_five_wrong_pins_lock_the_person_for_15_minutes(
    app: Flask, client: FlaskClient, world: World
) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    start = utcnow()
    with frozen_time(start):
        as_kiosk(client, raw)
        for _ in range(4):
            assert "not right" in start_turn(client, world.staff, "9182").get_data(as_text=True)
        locked = start_turn(client, world.staff, "9182").get_data(as_text=True)
        assert "in 15 minutes" in locked
        # Even the right PIN, even on another kiosk, waits.
        assert start_turn(client, world.staff).status_code == 422
        _other, raw2 = make_kiosk(world)
        elsewhere = app.test_client()
        as_kiosk(elsewhere, raw2)
        assert "in 15 minutes" in start_turn(elsewhere, world.staff).get_data(as_text=True)
    with frozen_time(start + timedelta(minutes=14, seconds=59)):
        assert start_turn(elsewhere, world.staff).status_code == 422
    with frozen_time(start + timedelta(minutes=15, seconds=1)):
        assert start_turn(elsewhere, world.staff).status_code == 302


def test_five_wrong_pins_on_one_device_pause_it(client: FlaskClient, world: World) -> None:
    people = [world.staff, world.staff2, world.manager, world.admin]
    for person in people:
        set_pin(person)
    device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start = utcnow()
    with frozen_time(start):
        for person in [*people, world.staff]:  # five wrong PINs, no one person locked
            start_turn(client, person, "9182")
        paused = start_turn(client, world.staff2)
        assert paused.status_code == 422
        assert "this kiosk" in paused.get_data(as_text=True)
    with frozen_time(start + timedelta(minutes=16)):
        assert start_turn(client, world.staff2).status_code == 302
    db.session.refresh(device)
    assert device.person_id == world.staff2.id


def test_the_turn_ends_on_the_server_after_two_minutes(client: FlaskClient, world: World) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start = utcnow()
    with frozen_time(start):
        start_turn(client, world.staff)
    with frozen_time(start + timedelta(seconds=119)):
        assert "Hello Sanne" in client.get("/kiosk").get_data(as_text=True)
    with frozen_time(start + timedelta(seconds=121)):
        assert "Who are you?" in client.get("/kiosk").get_data(as_text=True)
        late = client.post("/kiosk/moment", data=moment_form(world))
        assert late.headers["Location"] == "/kiosk"
        assert "Your turn has ended" in client.get("/kiosk").get_data(as_text=True)
    assert count(Moment) == 0


@pytest.mark.parametrize(
    "path",
    ["/me", "/", "/admin", "/manage", "/moments/new", "/kudos/new", "/leaderboard", "/kiosk/pin"],
)
def test_a_turn_opens_nothing_outside_the_kiosk(
    client: FlaskClient, world: World, path: str
) -> None:
    world.staff.role = "admin"  # even an admin's turn is not a sign-in
    db.session.commit()
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    assert start_turn(client, world.staff).status_code == 302
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_turn_opens_nothing_in_the_api(client: FlaskClient, world: World) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff)
    assert client.get("/api/v1/session").status_code == 401
    assert client.get("/api/v1/moments").status_code == 401


def test_an_inactive_person_leaves_the_faces(client: FlaskClient, world: World) -> None:
    gone = make_user(db.session, world.org, "staff", world.team, name="Gone Person")
    set_pin(gone)
    gone.active = False
    db.session.commit()
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    assert "Gone Person" not in client.get("/kiosk").get_data(as_text=True)
    assert start_turn(client, gone).status_code == 404


KIOSK_PAGES = [
    ("GET", "/kiosk"),
    ("GET", "/kiosk/people/{id}"),
    ("POST", "/kiosk/people/{id}"),
    ("GET", "/kiosk/moment"),
    ("POST", "/kiosk/moment"),
    ("GET", "/kiosk/kudos"),
    ("POST", "/kiosk/kudos"),
    ("POST", "/kiosk/done"),
    ("POST", "/kiosk/queued"),
]


@pytest.mark.parametrize(("method", "path"), KIOSK_PAGES)
@pytest.mark.parametrize("token", ["none", "revoked", "signed_in"])
def test_kiosk_pages_need_a_working_device_token(
    client: FlaskClient, auth: Auth, world: World, method: str, path: str, token: str
) -> None:
    """A signed-in person is not a kiosk either: every kiosk page answers 403."""
    set_pin(world.staff)
    device, raw = make_kiosk(world)
    if token == "revoked":
        kiosk.revoke_device(db.session, world.admin, device.id)
        db.session.commit()
        as_kiosk(client, raw)
    if token == "signed_in":
        auth.login(world.admin.email)
    data = {"pin": PIN, **moment_form(world)} if method == "POST" else None
    before = (count(Moment), count(Kudos), device.person_id)
    response = client.open(path.format(id=world.staff.id), method=method, data=data)
    assert response.status_code == 403
    assert "not a kiosk" in response.get_data(as_text=True) or "no longer" in response.get_data(
        as_text=True
    )
    db.session.refresh(device)
    assert (count(Moment), count(Kudos), device.person_id) == before


# A moment the kiosk kept while offline ----------------------------------------------------


def grant_of_turn(client: FlaskClient) -> str:
    page = client.get("/kiosk/moment").get_data(as_text=True)
    found = re.search(r'name="grant" value="([^"]+)"', page)
    assert found, "the turn's moment form carries its grant"
    return found.group(1)


def kept_moment(world: World, grant: str, **changes: object) -> dict[str, object]:
    return {**moment_form(world), "grant": grant, **changes}


def test_a_kept_moment_is_logged_once_as_the_person_of_its_turn(
    client: FlaskClient, world: World
) -> None:
    set_pin(world.staff2)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff2)
    grant = grant_of_turn(client)
    client.post("/kiosk/done")  # the turn is long over when the connection comes back
    body = kept_moment(world, grant)
    first = client.post("/kiosk/queued", json=body)
    assert first.status_code == 201, first.get_data(as_text=True)
    again = client.post("/kiosk/queued", json=body)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]  # type: ignore[index]
    moment = db.session.scalar(select(Moment))
    assert moment is not None and moment.author_id == world.staff2.id
    assert count(Moment) == 1
    changed = client.post("/kiosk/queued", json={**body, "cue": "Something else entirely"})
    assert changed.status_code == 409
    assert count(Moment) == 1


def test_a_kept_moment_needs_a_grant_of_this_kiosk_that_is_still_good(
    app: Flask, client: FlaskClient, world: World
) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    _other, raw2 = make_kiosk(world)
    as_kiosk(client, raw)
    start = utcnow()
    with frozen_time(start):
        start_turn(client, world.staff)
        grant = grant_of_turn(client)
    elsewhere = app.test_client()
    as_kiosk(elsewhere, raw2)
    refused = [
        elsewhere.post("/kiosk/queued", json=kept_moment(world, grant)),
        client.post("/kiosk/queued", json=kept_moment(world, grant[:-2] + "xx")),
        client.post("/kiosk/queued", json=kept_moment(world, "")),
        client.post("/kiosk/queued", json=moment_form(world)),
        client.post("/kiosk/queued", data="not json", content_type="application/json"),
    ]
    with frozen_time(start + timedelta(hours=24, seconds=1)):
        refused.append(client.post("/kiosk/queued", json=kept_moment(world, grant)))
    assert [r.status_code for r in refused] == [403] * len(refused)
    wrong_team = kept_moment(world, grant, team_id=world.other_team.id)
    assert client.post("/kiosk/queued", json=wrong_team).status_code == 422
    incomplete = kept_moment(world, grant, value_ids=[])
    assert client.post("/kiosk/queued", json=incomplete).status_code == 422
    assert count(Moment) == 0
    with frozen_time(start + timedelta(hours=23)):
        assert client.post("/kiosk/queued", json=kept_moment(world, grant)).status_code == 201


def test_a_kept_moment_of_someone_who_left_the_team_is_refused(
    client: FlaskClient, world: World
) -> None:
    set_pin(world.staff)
    _device, raw = make_kiosk(world)
    as_kiosk(client, raw)
    start_turn(client, world.staff)
    grant = grant_of_turn(client)
    world.staff.active = False
    db.session.commit()
    assert client.post("/kiosk/queued", json=kept_moment(world, grant)).status_code == 403
    assert count(Moment) == 0
