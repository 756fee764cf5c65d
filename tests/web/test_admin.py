"""The admin area through the test client: access, other organisations, bad input, invites,
the last admin and the audit log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from webapp.admin import services as admin
from webapp.extensions import db
from webapp.models import AuditEntry, Invite, Membership, Organisation, Team, User, Value

PAGES = [
    "/admin",
    "/admin/teams",
    "/admin/values",
    "/admin/people",
    "/admin/invites",
    "/admin/settings",
    "/admin/audit",
]


def count(model, *where) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def settings_form(org: Organisation, **change: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": org.name,
        "timezone": org.timezone,
        "default_locale": org.default_locale,
        "kudos_weekly_allowance": org.kudos_weekly_allowance,
        "kudos_same_receiver_weekly_cap": org.kudos_same_receiver_weekly_cap,
        "gesture_budget": "25",
        "points_moment": org.points_moment,
        "moment_points_daily_cap": org.moment_points_daily_cap,
        "points_kudos_received": org.points_kudos_received,
        "points_kudos_given": org.points_kudos_given,
        "points_recognition": org.points_recognition,
        "quiet_hours_start": "21:00",
        "quiet_hours_end": "08:00",
        "season_length_months": org.season_length_months,
        "min_team_size": org.min_team_size,
    }
    data.update(change)
    return data


def outsider_admin(world) -> User:
    boss = make_user(db.session, world.other_org, "admin", name="Other Admin")
    db.session.commit()
    return boss


@pytest.fixture
def as_admin(client, auth, world):
    auth.login(world.admin.email)
    return client


# Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("manager", 403), ("admin", 200)])
def test_admin_pages_by_role(client, auth, world, url, role, status):
    auth.login(world.by_role(role).email)
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/teams", {"name": "Spa"}),
        ("/admin/values", {"name_en": "Warmth"}),
        ("/admin/invites", {"role": "admin"}),
        ("/admin/settings", {"name": "Taken over"}),
    ],
)
def test_a_manager_cannot_post_admin_forms(client, auth, world, url, data):
    auth.login(world.manager.email)
    assert client.post(url, data=data).status_code == 403
    assert count(AuditEntry) == 0 and count(Invite) == 0
    assert count(Team, Team.name == "Spa") == 0 and world.org.name == "Hotel Test"


def test_the_overview_links_every_area(as_admin, world):
    page = as_admin.get("/admin").get_data(as_text=True)
    for url in PAGES[1:]:
        assert f'href="{url}"' in page


# Other organisations ----------------------------------------------------------------------


def foreign_requests(world, invite_id):
    team, value, person = world.other_team_foreign.id, world.other_value.id, world.outsider.id
    return [
        ("get", f"/admin/teams/{team}", {}),
        ("post", f"/admin/teams/{team}", {"name": "Mine"}),
        ("post", f"/admin/teams/{team}/members", {"user_id": world.staff.id, "role": "member"}),
        ("post", f"/admin/teams/{team}/members/{person}", {"role": "lead"}),
        ("post", f"/admin/teams/{team}/members/{person}/remove", {}),
        ("get", f"/admin/values/{value}", {}),
        ("post", f"/admin/values/{value}", {"name_en": "Mine", "description_en": ""}),
        ("post", f"/admin/values/{value}/active", {"active": "0"}),
        ("get", f"/admin/people/{person}", {}),
        ("post", f"/admin/people/{person}", {"role": "admin"}),
        ("post", f"/admin/people/{person}/active", {"active": "0"}),
        ("post", f"/admin/invites/{invite_id}/revoke", {}),
    ]


def test_another_organisations_objects_are_404_and_unchanged(as_admin, world):
    invite, _raw = admin.create_invite(db.session, outsider_admin(world), {})
    before = count(AuditEntry)
    for method, url, data in foreign_requests(world, invite.id):
        response = getattr(as_admin, method)(url, data=data)
        assert response.status_code == 404, url
    db.session.expire_all()
    assert db.session.get(Team, world.other_team_foreign.id).name == "Their desk"
    assert db.session.get(Value, world.other_value.id).name == "Their value"
    assert db.session.get(Value, world.other_value.id).active
    outsider = db.session.get(User, world.outsider.id)
    assert outsider.role == "staff" and outsider.active
    assert count(Membership, Membership.team_id == world.other_team_foreign.id) == 2
    assert db.session.get(Invite, invite.id).revoked_at is None
    assert count(AuditEntry) == before


def test_an_outsider_cannot_be_added_to_a_team(as_admin, world):
    response = as_admin.post(
        f"/admin/teams/{world.team.id}/members",
        data={"user_id": world.outsider.id, "role": "member"},
    )
    assert response.status_code == 422
    assert "That person was not found." in response.get_data(as_text=True)
    assert count(Membership, Membership.user_id == world.outsider.id) == 1


def test_an_invite_into_another_organisations_team_is_refused(as_admin, world):
    response = as_admin.post(
        "/admin/invites", data={"role": "staff", "team_id": world.other_team_foreign.id}
    )
    assert response.status_code == 422 and count(Invite) == 0


# Teams ------------------------------------------------------------------------------------


def test_teams_are_created_renamed_and_staffed(as_admin, world):
    response = as_admin.post(
        "/admin/teams", data={"name": "  Housekeeping "}, follow_redirects=True
    )
    assert "Team Housekeeping created." in response.get_data(as_text=True)
    team = db.session.scalars(select(Team).where(Team.name == "Housekeeping")).one()
    as_admin.post(f"/admin/teams/{team.id}", data={"name": "Rooms"})
    as_admin.post(f"/admin/teams/{team.id}/members", data={"user_id": world.staff.id})
    as_admin.post(f"/admin/teams/{team.id}/members/{world.staff.id}", data={"role": "lead"})
    page = as_admin.get(f"/admin/teams/{team.id}").get_data(as_text=True)
    assert "Rooms" in page and "Sanne de Vries" in page and "Make member" in page
    as_admin.post(f"/admin/teams/{team.id}/members/{world.staff.id}/remove")
    assert count(Membership, Membership.team_id == team.id) == 0
    listing = as_admin.get("/admin/teams").get_data(as_text=True)
    assert "Rooms" in listing and "Front desk" in listing
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "team.created",
        "team.renamed",
        "team.member_added",
        "team.member_role_changed",
        "team.member_removed",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter between 1 and 80 characters."),
        ("   ", "Enter between 1 and 80 characters."),
        ("x" * 81, "Enter between 1 and 80 characters."),
        ("front desk", "A team with this name already exists."),
    ],
)
def test_bad_team_names_show_a_message_and_store_nothing(as_admin, world, name, message):
    response = as_admin.post("/admin/teams", data={"name": name})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Team, Team.org_id == world.org.id) == 2 and count(AuditEntry) == 0


def test_renaming_to_a_taken_name_keeps_the_old_name(as_admin, world):
    response = as_admin.post(f"/admin/teams/{world.other_team.id}", data={"name": "Front desk"})
    assert response.status_code == 422
    assert "A team with this name already exists." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Team, world.other_team.id).name == "Restaurant"


# Values -----------------------------------------------------------------------------------


def test_values_are_created_edited_and_switched_off(as_admin, world):
    as_admin.post("/admin/values", data={"name_en": "Warmth", "description_en": "Make it cosy"})
    value = db.session.scalars(select(Value).where(Value.name == "Warmth")).one()
    assert value.active and value.description == "Make it cosy"
    as_admin.post(f"/admin/values/{value.id}", data={"name_en": "Warmth", "description_en": "Cosy"})
    db.session.expire_all()
    assert value.description == "Cosy" and value.active is False  # checkbox left unticked
    as_admin.post(f"/admin/values/{value.id}/active", data={"active": "1"})
    db.session.expire_all()
    assert value.active
    page = as_admin.get("/admin/values").get_data(as_text=True)
    assert "Warmth" in page and "Switch off" in page
    assert count(AuditEntry, AuditEntry.target_type == "value") == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name_en": ""}, "Fill this in: English is your organisation&#39;s language."),
        ({"name_nl": "Warmte"}, "Fill this in: English is your organisation&#39;s language."),
        ({"name_en": "ANTICIPATE"}, "A value with this name already exists."),
        ({"name_en": "Ok", "name_nl": "x" * 61}, "Enter at most 60 characters."),
        ({"name_en": "Ok", "description_en": "x" * 501}, "Enter at most 500 characters."),
        ({"name_en": "Ok", "description_nl": "x" * 501}, "Enter at most 500 characters."),
    ],
)
def test_bad_values_show_a_message_and_store_nothing(as_admin, world, data, message):
    response = as_admin.post("/admin/values", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Value, Value.org_id == world.org.id) == 2


def test_editing_a_value_to_a_taken_name_is_refused(as_admin, world):
    value = world.values[1]
    response = as_admin.post(
        f"/admin/values/{value.id}", data={"name_en": "Anticipate", "active": "y"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Value, value.id).name == "Personal touch"


# People -----------------------------------------------------------------------------------


def test_people_are_listed_with_roles_and_teams(as_admin, world):
    page = as_admin.get("/admin/people").get_data(as_text=True)
    assert "Mila Jansen" in page and "Front desk (lead)" in page and "Olga Outsider" not in page


def test_a_person_is_promoted_deactivated_and_audited(as_admin, world):
    response = as_admin.post(f"/admin/people/{world.staff.id}", data={"role": "manager"})
    assert response.status_code == 302
    as_admin.post(f"/admin/people/{world.staff.id}/active", data={"active": "0"})
    db.session.expire_all()
    staff = db.session.get(User, world.staff.id)
    assert staff.role == "manager" and not staff.active
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["person.role_changed", "person.deactivated"]


def test_a_deactivated_person_is_signed_out(client, auth, world):
    auth.login(world.staff.email)
    admin.set_active(db.session, world.admin, world.staff, False)
    assert client.get("/me").status_code == 302


def test_the_last_admin_keeps_their_role(as_admin, world):
    response = as_admin.post(f"/admin/people/{world.admin.id}", data={"role": "staff"})
    assert response.status_code == 422
    assert "At least one active admin must remain." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).role == "admin" and count(AuditEntry) == 0


def test_an_admin_cannot_deactivate_themselves(as_admin, world):
    response = as_admin.post(
        f"/admin/people/{world.admin.id}/active", data={"active": "0"}, follow_redirects=True
    )
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).active


def test_a_bad_role_is_refused(as_admin, world):
    response = as_admin.post(f"/admin/people/{world.staff.id}", data={"role": "owner"})
    assert response.status_code == 422 and "Choose one of the options." in response.get_data(
        as_text=True
    )


# Invites ----------------------------------------------------------------------------------


def create_invite(client, world, **data):
    form = {"role": "staff", "team_id": world.team.id, "team_role": "member", "note": "For Kim"}
    form.update(data)
    response = client.post("/admin/invites", data=form)
    page = response.get_data(as_text=True)
    found = re.search(r'value="(http://localhost/invite/[^"]+)" readonly', page)
    return response, page, found.group(1) if found else None


def test_an_invite_link_is_shown_once(as_admin, world):
    response, page, link = create_invite(as_admin, world, expires_in_days="3")
    assert response.status_code == 200 and link
    assert "shown only this once" in page
    invite = db.session.scalars(select(Invite)).one()
    assert invite.note == "For Kim" and link.rsplit("/", 1)[1] not in invite.token_hash
    again = as_admin.get("/admin/invites").get_data(as_text=True)
    assert link not in again and "For Kim" in again
    assert db.session.scalars(select(AuditEntry.action)).all() == ["invite.created"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"expires_in_days": "0"}, "Enter a number from 1 to 90."),
        ({"expires_in_days": "soon"}, "Enter a whole number."),
        ({"role": "owner"}, "Choose one of the options."),
        ({"note": "x" * 121}, "Enter at most 120 characters."),
    ],
)
def test_bad_invites_show_a_message_and_store_nothing(as_admin, world, data, message):
    response, page, link = create_invite(as_admin, world, **data)
    assert response.status_code == 422 and message in page and link is None
    assert count(Invite) == 0


def test_a_revoked_invite_leaves_the_list(as_admin, world):
    create_invite(as_admin, world)
    invite = db.session.scalars(select(Invite)).one()
    response = as_admin.post(f"/admin/invites/{invite.id}/revoke", follow_redirects=True)
    assert "Invite revoked." in response.get_data(as_text=True)
    assert "For Kim" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invite, invite.id).revoked_at is not None


def test_an_invite_link_works_end_to_end(client, auth, world):
    auth.login(world.admin.email)
    _response, _page, link = create_invite(client, world, role="manager", team_role="lead")
    auth.logout()
    path = link.replace("http://localhost", "")
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        data={
            "name": "Kim Nieuw",
            "email": "kim@example.test",
            "password": "a-long-and-unusual-passphrase",
            "confirm": "a-long-and-unusual-passphrase",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    kim = db.session.scalars(select(User).where(User.email == "kim@example.test")).one()
    assert (kim.org_id, kim.role) == (world.org.id, "manager")
    membership = db.session.scalars(select(Membership).where(Membership.user_id == kim.id)).one()
    assert (membership.team_id, membership.role) == (world.team.id, "lead")


# Settings ---------------------------------------------------------------------------------


def test_settings_are_saved_and_audited(as_admin, world):
    data = settings_form(world.org, kudos_weekly_allowance="8", gesture_budget="30,50")
    response = as_admin.post("/admin/settings", data=data, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)
    db.session.expire_all()
    org = db.session.get(Organisation, world.org.id)
    assert org.kudos_weekly_allowance == 8 and org.gesture_budget_cents == 3050
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "settings.changed"
    assert "kudos_weekly_allowance: 5 → 8" in entry.detail
    assert "gesture_budget_cents: 2500 → 3050" in entry.detail
    assert 'value="30.50"' in as_admin.get("/admin/settings").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Enter between 1 and 120 characters."),
        ({"timezone": "Europe/Atlantis"}, "Choose a time zone such as Europe/Amsterdam."),
        ({"kudos_weekly_allowance": "0"}, "Enter a number from 1 to 50."),
        ({"kudos_weekly_allowance": "51"}, "Enter a number from 1 to 50."),
        ({"kudos_same_receiver_weekly_cap": "9"}, "cannot be more than the weekly kudos"),
        ({"gesture_budget": "-5"}, "Enter an amount from 0 to 1000 euros."),
        ({"gesture_budget": "5000"}, "Enter an amount from 0 to 1000 euros."),
        ({"gesture_budget": "lots"}, "Enter an amount in euros, such as 25."),
        ({"points_moment": "-1"}, "Enter a number from 0 to 100."),
        ({"points_recognition": "1e9"}, "Enter a whole number."),
        ({"season_length_months": "13"}, "Enter a number from 1 to 12."),
        ({"min_team_size": ""}, "This field is required."),
        ({"default_locale": "fr"}, "Choose one of the options."),
        ({"quiet_hours_start": "late"}, "Enter a time."),
        ({"quiet_hours_end": ""}, "Set both the start and the end, or neither."),
    ],
)
def test_bad_settings_show_a_message_and_change_nothing(as_admin, world, change, message):
    response = as_admin.post("/admin/settings", data=settings_form(world.org, **change))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    org = db.session.get(Organisation, world.org.id)
    assert (org.name, org.timezone, org.kudos_weekly_allowance) == (
        "Hotel Test",
        "Europe/Amsterdam",
        5,
    )
    assert org.gesture_budget_cents == 2500 and count(AuditEntry) == 0


# The audit log ----------------------------------------------------------------------------


def test_the_audit_log_is_newest_first_and_paginated(as_admin, world):
    for n in range(55):
        admin.create_team(db.session, world.admin, f"Team {n:02d}")
    admin.create_team(db.session, outsider_admin(world), "Secret team")
    first = as_admin.get("/admin/audit").get_data(as_text=True)
    assert "Team 54" in first and "Team 00" not in first and "Secret team" not in first
    assert "Page 1 of 2" in first and "Ruud Admin" in first
    second = as_admin.get("/admin/audit?page=2").get_data(as_text=True)
    assert "Team 00" in second and "Team 54" not in second
    # A page that is no number is refused by name, and the first page is shown.
    refused = as_admin.get("/admin/audit?page=abc")
    assert refused.status_code == 422
    assert "Choose a page by its number." in refused.get_data(as_text=True)
    assert "Team 54" in refused.get_data(as_text=True)
