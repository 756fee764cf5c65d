"""Running an organisation through the services, with no HTTP: teams, values, settings,
people, invites, the manager's overview and the audit entries they all write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import client_id, make_user
from webapp.admin import services as admin
from webapp.domain import Conflict, Invalid, NotAllowed, NotFound
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.manage import services as manage
from webapp.models import AuditEntry, Invite, Kudos, Membership, Recognition, Team, Value
from webapp.moments.services import MomentInput, log_moment
from webapp.orgs.schemas import OrganisationSettingsSchema
from webapp.recognition.schemas import RecognitionCreateSchema
from webapp.recognition.services import RecognitionInput
from webapp.timeutil import utcnow


def audit_actions(org_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.org_id == org_id).order_by(AuditEntry.id)
        )
    )


def count(model, *where) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# Teams ------------------------------------------------------------------------------------


def test_create_and_rename_team_are_audited(app, world):
    team = admin.create_team(db.session, world.admin, "Housekeeping")
    admin.rename_team(db.session, world.admin, team, "Rooms")
    assert db.session.get(Team, team.id).name == "Rooms"
    assert audit_actions(world.org.id) == ["team.created", "team.renamed"]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == world.admin.id and entry.target_id == team.id
    assert "Housekeeping" in entry.detail and "Rooms" in entry.detail


@pytest.mark.parametrize("name", ["Front desk", "front DESK"])
def test_duplicate_team_names_are_refused(app, world, name):
    with pytest.raises(Conflict) as caught:
        admin.create_team(db.session, world.admin, name)
    assert caught.value.field == "name"
    db.session.rollback()
    assert count(Team, Team.org_id == world.org.id) == 2
    assert audit_actions(world.org.id) == []


def test_same_team_name_is_fine_in_another_organisation(app, world):
    team = admin.create_team(db.session, world.admin, "Their desk")
    assert team.org_id == world.org.id


def test_rename_to_a_taken_name_changes_nothing(app, world):
    with pytest.raises(Conflict):
        admin.rename_team(db.session, world.admin, world.other_team, "Front desk")
    db.session.rollback()
    assert db.session.get(Team, world.other_team.id).name == "Restaurant"


def test_members_are_added_promoted_and_removed(app, world):
    admin.add_member(db.session, world.admin, world.other_team, world.staff.id, "member")
    admin.set_member_role(db.session, world.admin, world.other_team, world.staff.id, "lead")
    role = db.session.scalar(
        select(Membership.role).where(
            Membership.team_id == world.other_team.id, Membership.user_id == world.staff.id
        )
    )
    assert role == "lead"
    admin.remove_member(db.session, world.admin, world.other_team, world.staff.id)
    assert count(Membership, Membership.team_id == world.other_team.id) == 1
    assert audit_actions(world.org.id) == [
        "team.member_added",
        "team.member_role_changed",
        "team.member_removed",
    ]


def test_adding_an_outsider_or_a_member_twice_is_refused(app, world):
    with pytest.raises(NotFound):
        admin.add_member(db.session, world.admin, world.team, world.outsider.id, "member")
    db.session.rollback()
    with pytest.raises(Conflict):
        admin.add_member(db.session, world.admin, world.team, world.staff.id, "member")
    db.session.rollback()
    assert audit_actions(world.org.id) == []


def test_team_member_counts_come_from_one_grouped_query(app, world):
    rows = {row.name: row.member_count for row in admin.teams_with_counts(db.session, world.org.id)}
    assert rows == {"Front desk": 4, "Restaurant": 1}


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_only_admins_change_the_organisation(app, world, role):
    actor = world.by_role(role)
    with pytest.raises(NotAllowed):
        admin.create_team(db.session, actor, "Spa")
    with pytest.raises(NotAllowed):
        admin.change_role(db.session, actor, actor, "admin")
    with pytest.raises(NotAllowed):
        admin.update_settings(db.session, actor, world.org, {"kudos_weekly_allowance": 50})
    db.session.rollback()
    assert world.org.kudos_weekly_allowance == 5 and audit_actions(world.org.id) == []


# Values -----------------------------------------------------------------------------------


def test_values_are_created_changed_and_switched_off(app, world):
    value = admin.create_value(
        db.session, world.admin, {"name_en": "Calm", "description_en": "Quiet"}
    )
    admin.update_value(
        db.session, world.admin, value, {"name_en": "Calmness", "name_nl": "Rust", "active": False}
    )
    stored = db.session.get(Value, value.id)
    assert stored.name == "Calmness" and stored.active is False
    assert audit_actions(world.org.id) == ["value.created", "value.changed"]
    assert "active: True → False" in db.session.scalars(select(AuditEntry.detail)).all()[-1]


def test_duplicate_value_names_are_refused(app, world):
    with pytest.raises(Conflict) as caught:
        admin.create_value(db.session, world.admin, {"name_en": "anticipate"})
    assert caught.value.field == "name_en"
    db.session.rollback()
    with pytest.raises(Conflict):
        admin.update_value(db.session, world.admin, world.values[1], {"name_en": "Anticipate"})
    db.session.rollback()
    assert db.session.get(Value, world.values[1].id).name == "Personal touch"


# Settings ---------------------------------------------------------------------------------


def test_settings_changes_are_audited_with_what_changed(app, world):
    data = OrganisationSettingsSchema().load(
        {**OrganisationSettingsSchema().dump(world.org), "kudos_weekly_allowance": 7}
    )
    changes = admin.update_settings(db.session, world.admin, world.org, data)
    assert changes == "kudos_weekly_allowance: 5 → 7"
    assert world.org.kudos_weekly_allowance == 7
    assert audit_actions(world.org.id) == ["settings.changed"]
    assert admin.update_settings(db.session, world.admin, world.org, data) == ""
    assert audit_actions(world.org.id) == ["settings.changed"]


def test_settings_of_another_organisation_cannot_be_changed(app, world):
    with pytest.raises(NotFound):
        admin.update_settings(db.session, world.admin, world.other_org, {"name": "Mine now"})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("timezone", "../../etc/passwd"),
        ("kudos_weekly_allowance", 0),
        ("kudos_weekly_allowance", 51),
        ("gesture_budget", "-1"),
        ("gesture_budget", "1000.01"),
        ("gesture_budget", "lots"),
        ("season_length_months", 13),
        ("points_moment", "ten"),
        ("name", "   "),
        ("default_locale", "fr"),
        ("quiet_hours_start", "25:00"),
    ],
)
def test_settings_schema_refuses_bad_input(app, world, field, value):
    schema = OrganisationSettingsSchema()
    data = {**schema.dump(world.org), field: value}
    assert field in schema.validate(data)


def test_settings_schema_reads_euros_and_paired_quiet_hours(app, world):
    schema = OrganisationSettingsSchema()
    base = schema.dump(world.org)
    assert base["gesture_budget"] == "25.00"
    loaded = schema.load({**base, "gesture_budget": "12,50"})
    assert loaded["gesture_budget_cents"] == 1250
    errors = schema.validate({**base, "quiet_hours_start": "22:00", "quiet_hours_end": ""})
    assert "quiet_hours_end" in errors
    errors = schema.validate(
        {**base, "kudos_weekly_allowance": 3, "kudos_same_receiver_weekly_cap": 4}
    )
    assert "kudos_same_receiver_weekly_cap" in errors


# People -----------------------------------------------------------------------------------


def test_the_last_admin_cannot_step_down(app, world):
    with pytest.raises(Invalid) as caught:
        admin.change_role(db.session, world.admin, world.admin, "manager")
    assert caught.value.field == "role"
    db.session.rollback()
    assert world.admin.role == "admin"
    admin.change_role(db.session, world.admin, world.manager, "admin")
    admin.change_role(db.session, world.admin, world.admin, "manager")
    assert world.admin.role == "manager"
    assert audit_actions(world.org.id) == ["person.role_changed", "person.role_changed"]


def test_deactivating_ends_sessions_and_nobody_deactivates_themselves(app, world):
    version = world.staff.session_version
    admin.set_active(db.session, world.admin, world.staff, False)
    db.session.commit()
    assert world.staff.active is False and world.staff.session_version == version + 1
    with pytest.raises(Invalid):
        admin.set_active(db.session, world.admin, world.admin, False)
    db.session.rollback()
    admin.set_active(db.session, world.admin, world.staff, True)
    assert audit_actions(world.org.id) == ["person.deactivated", "person.reactivated"]


def test_people_of_another_organisation_are_not_found(app, world):
    with pytest.raises(NotFound):
        admin.change_role(db.session, world.admin, world.outsider, "admin")
    with pytest.raises(NotFound):
        admin.set_active(db.session, world.admin, world.outsider, False)
    db.session.rollback()
    assert world.outsider.role == "staff" and world.outsider.active


# Invites ----------------------------------------------------------------------------------


def test_an_invite_stores_only_the_hash_of_its_token(app, world):
    from webapp.auth.services import hash_token

    data = {"role": "manager", "team_id": world.team.id, "team_role": "lead", "note": "Kim"}
    invite, raw = admin.create_invite(db.session, world.admin, {**data, "expires_in_days": 7})
    stored = db.session.get(Invite, invite.id)
    assert stored.token_hash == hash_token(raw) and raw not in stored.token_hash
    assert (stored.role, stored.team_id, stored.team_role) == ("manager", world.team.id, "lead")
    lifetime = stored.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)
    assert admin.open_invites(db.session, world.org.id) == [stored]
    assert admin.open_invites(db.session, world.other_org.id) == []
    admin.revoke_invite(db.session, world.admin, stored)
    assert admin.open_invites(db.session, world.org.id) == []
    assert audit_actions(world.org.id) == ["invite.created", "invite.revoked"]


def test_invites_into_another_organisations_team_are_refused(app, world):
    with pytest.raises(NotFound) as caught:
        admin.create_invite(db.session, world.admin, {"team_id": world.other_team_foreign.id})
    assert caught.value.field == "team_id"
    db.session.rollback()
    assert count(Invite) == 0


def test_a_used_invite_cannot_be_revoked(app, world):
    invite, _raw = admin.create_invite(db.session, world.admin, {})
    invite.used_at = utcnow()
    db.session.commit()
    with pytest.raises(Conflict):
        admin.revoke_invite(db.session, world.admin, invite)


# The manager's overview -------------------------------------------------------------------


def kudos(giver, receiver, days_ago: int = 0):
    made, _ = give_kudos(
        db.session,
        giver,
        KudosInput(client_id=client_id(), message="Thank you!", receiver_ids=[receiver.id]),
    )
    if days_ago:
        made[0].created_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
    return made[0]


def recognition(manager, recipient, days_ago: int = 0):
    made = manage.give_recognition(
        db.session,
        manager,
        RecognitionInput(recipient_id=recipient.id, message="You saw the guest was cold."),
    )
    if days_ago:
        made.created_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
    return made


def moment(author, team, cents=None):
    made, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=team.id,
            cue="Guest looked lost",
            action="Walked them to the lift",
            reaction="Relieved",
            value_ids=[author.organisation.values[0].id],
            gesture_cost_cents=cents,
        ),
    )
    return made


def quiet_names(overview) -> dict[str, list[str]]:
    return {c.team.name: [q.user.name for q in c.quiet] for c in overview.teams}


def test_the_quiet_corner_lists_people_not_noticed_for_14_days(app, world):
    recognition(world.manager, world.staff, days_ago=20)
    kudos(world.staff3, world.staff2, days_ago=3)
    overview = manage.overview(db.session, world.manager)
    # The manager leads Front desk only and never appears in their own quiet corner.
    assert [c.team.name for c in overview.teams] == ["Front desk"] and not overview.all_teams
    assert quiet_names(overview) == {"Front desk": ["Ruud Admin", "Sanne de Vries"]}
    sanne = next(q for q in overview.teams[0].quiet if q.user.id == world.staff.id)
    assert sanne.last_noticed is not None


def test_a_reversed_kudos_does_not_count_as_noticed(app, world):
    given = kudos(world.staff3, world.staff2)
    db.session.get(Kudos, given.id).reversed_at = utcnow()
    db.session.commit()
    names = quiet_names(manage.overview(db.session, world.manager))["Front desk"]
    assert "Tom Bakker" in names


def test_admins_and_managers_who_lead_nothing_see_every_team(app, world):
    assert manage.overview(db.session, world.admin).all_teams
    loose = make_user(db.session, world.org, "manager", name="Loose Manager")
    db.session.commit()
    overview = manage.overview(db.session, loose)
    assert overview.all_teams and [c.team.name for c in overview.teams] == [
        "Front desk",
        "Restaurant",
    ]


def test_coverage_and_gesture_budgets(app, world):
    moment(world.staff, world.team, cents=450)
    moment(world.staff, world.team, cents=300)
    moment(world.staff2, world.team)
    moment(world.staff3, world.other_team, cents=999)
    kudos(world.staff3, world.staff)
    kudos(world.staff2, world.staff)
    overview = manage.overview(db.session, world.manager)
    front = overview.teams[0]
    assert (front.members, front.moments_week, front.kudos_week) == (4, 3, 2)
    budget = {row.user.name: (row.spent_cents, row.gestures) for row in overview.budget}
    # The people of the shown teams who reported a gesture this month (staff3's team is not
    # the manager's), by name, never by spending.
    assert budget == {"Sanne de Vries": (750, 2)}
    moment(world.staff2, world.team, cents=100)
    names = [row.user.name for row in manage.overview(db.session, world.manager).budget]
    assert names == ["Sanne de Vries", "Tom Bakker"] == sorted(names)
    assert overview.budget_cents == world.org.gesture_budget_cents
    assert [m.gesture_cost_cents for m in overview.gestures] == [300, 450]


# Recognition ------------------------------------------------------------------------------


def test_recognition_and_its_audit_entry_land_together(app, world):
    cited = moment(world.staff, world.team)
    made = manage.give_recognition(
        db.session,
        world.manager,
        RecognitionInput(
            recipient_id=world.staff.id,
            message="You noticed the guest was cold and brought a blanket.",
            moment_ids=[cited.id],
            award="eagle_eye",
        ),
    )
    assert [m.id for m in made.moments] == [cited.id]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.target_type, entry.target_id) == (
        "recognition.given",
        "user",
        world.staff.id,
    )


def test_a_refused_recognition_leaves_no_audit_entry(app, world):
    other = moment(world.staff2, world.team)
    with pytest.raises(Invalid):
        manage.give_recognition(
            db.session,
            world.manager,
            RecognitionInput(recipient_id=world.staff.id, message="x" * 30, moment_ids=[other.id]),
        )
    db.session.rollback()
    assert count(Recognition) == 0 and count(AuditEntry) == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"recipient_id": "1", "message": "Too short"}, "message"),
        ({"recipient_id": "", "message": "x" * 30}, "recipient_id"),
        ({"recipient_id": "1", "message": "x" * 2001}, "message"),
        ({"recipient_id": "1", "message": "x" * 30, "award": "crown"}, "award"),
        ({"recipient_id": "1", "message": "x" * 30, "moment_ids": ["a"]}, "moment_ids"),
    ],
)
def test_recognition_schema_refuses_bad_input(app, data, field):
    assert field in RecognitionCreateSchema().validate(data)


def test_recognition_schema_trims_and_drops_an_empty_award(app):
    loaded = RecognitionCreateSchema().load(
        {"recipient_id": "3", "message": "  " + "y" * 25 + "  ", "award": "", "moment_ids": ["4"]}
    )
    assert loaded == {"recipient_id": 3, "message": "y" * 25, "award": None, "moment_ids": [4]}


# Output schemas (the API reuses them) -------------------------------------------------------


def test_output_schemas_dump_plain_data(app, world):
    from webapp.manage.schemas import OverviewSchema
    from webapp.orgs.schemas import MemberSchema, TeamSchema, ValueSchema
    from webapp.recognition.schemas import RecognitionSchema

    row = admin.teams_with_counts(db.session, world.org.id)[0]
    assert TeamSchema().dump(row) == {"id": world.team.id, "name": "Front desk", "member_count": 4}
    assert ValueSchema().dump(world.values[0]) == {
        "id": world.values[0].id,
        "name": "Anticipate",
        "description": "",
        "translations": {},
        "active": True,
    }
    member = MemberSchema().dump(world.manager)
    assert member["role"] == "manager"
    assert member["teams"] == [{"id": world.team.id, "name": "Front desk", "role": "lead"}]
    made = recognition(world.manager, world.staff)
    made.award = "calm_captain"
    dumped = RecognitionSchema().dump(made)
    assert dumped["award_label"] == "Calm captain" and dumped["recipient_name"] == "Sanne de Vries"
    moment(world.staff, world.team, cents=450)
    overview = OverviewSchema().dump(manage.overview(db.session, world.manager))
    assert overview["teams"][0]["team_name"] == "Front desk"
    assert {"user", "spent_cents", "gestures"} <= set(overview["budget"][0])
    settings = OrganisationSettingsSchema().dump(world.org)
    assert settings["gesture_budget"] == "25.00" and settings["quiet_hours_start"] == "21:00:00"
