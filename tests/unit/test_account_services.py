"""Account services without HTTP: changing a password, reset links (who may make them, once,
expiring), and deleting an account (anonymised, off every board, nothing half-done)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from tests.factories import PASSWORD, World, make_user
from tests.game_support import log, thank
from webapp.account import resets, services
from webapp.admin import services as admin_services
from webapp.audit import services as audit
from webapp.auth import tokens
from webapp.auth.services import authenticate
from webapp.domain import Invalid, NotAllowed, NotFound
from webapp.extensions import db
from webapp.game.seasons import team_standings
from webapp.leaderboard import services as boards
from webapp.models import (
    ApiToken,
    AuditEntry,
    Membership,
    Notification,
    PasswordReset,
    PushSubscription,
    User,
)
from webapp.timeutil import as_utc, utcnow

NEW_PASSWORD = "lantern harbour breakfast"


def actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_id == user.id).order_by(AuditEntry.id)
        )
    )


# Changing a password ------------------------------------------------------------------------


def test_changing_a_password_moves_the_session_version_and_is_audited(world: World) -> None:
    version = world.staff.session_version
    services.change_password(db.session, world.staff, PASSWORD, NEW_PASSWORD)
    db.session.expire_all()
    assert world.staff.session_version == version + 1
    assert check_password_hash(world.staff.password_hash, NEW_PASSWORD)
    assert authenticate(db.session, world.staff.email, PASSWORD) is None
    assert audit.PASSWORD_CHANGED in actions(world.staff)


def test_a_wrong_current_password_changes_nothing(world: World) -> None:
    before = (world.staff.password_hash, world.staff.session_version)
    with pytest.raises(Invalid) as refused:
        services.change_password(db.session, world.staff, "not my password", NEW_PASSWORD)
    assert refused.value.field == "current_password"
    db.session.rollback()
    assert (world.staff.password_hash, world.staff.session_version) == before
    assert actions(world.staff) == []


def test_a_new_password_closes_open_reset_links(world: World) -> None:
    _reset, raw = resets.create_link(db.session, world.admin, world.staff)
    services.change_password(db.session, world.staff, PASSWORD, NEW_PASSWORD)
    with pytest.raises(NotFound):
        resets.link_for(db.session, raw)


# Reset links ----------------------------------------------------------------------------------


def test_a_link_is_stored_hashed_works_once_and_ends_other_sessions(world: World) -> None:
    reset, raw = resets.create_link(db.session, world.admin, world.staff)
    assert raw not in reset.token_hash and len(reset.token_hash) == 64
    assert reset.created_by_id == world.admin.id
    version = world.staff.session_version
    assert resets.reset_password(db.session, raw, NEW_PASSWORD).id == world.staff.id
    assert world.staff.session_version == version + 1
    assert authenticate(db.session, world.staff.email, NEW_PASSWORD) is not None
    with pytest.raises(NotFound):
        resets.reset_password(db.session, raw, "another fine sentence")
    assert actions(world.staff) == [audit.RESET_LINK_CREATED, audit.PASSWORD_RESET]


def test_a_link_expires_after_a_day(world: World) -> None:
    reset, raw = resets.create_link(db.session, world.admin, world.staff)
    assert timedelta(hours=23) < as_utc(reset.expires_at) - utcnow() <= timedelta(hours=24)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(NotFound):
        resets.link_for(db.session, raw)


@pytest.mark.parametrize("raw", ["", "x", "nope" * 100, "ä" * 10])
def test_unknown_links_are_not_found(world: World, raw: str) -> None:
    with pytest.raises(NotFound):
        resets.link_for(db.session, raw)


def test_only_the_newest_handed_over_link_works(world: World) -> None:
    _first, old = resets.create_link(db.session, world.admin, world.staff)
    _second, new = resets.create_link(db.session, world.admin, world.staff)
    with pytest.raises(NotFound):
        resets.link_for(db.session, old)
    assert resets.link_for(db.session, new)[1].id == world.staff.id


def test_a_deactivated_persons_link_stops_working(world: World) -> None:
    _reset, raw = resets.create_link(db.session, world.admin, world.staff)
    admin_services.set_active(db.session, world.admin, world.staff, False)
    with pytest.raises(NotFound):
        resets.link_for(db.session, raw)


def test_a_manager_makes_links_for_the_staff_of_teams_they_lead(world: World) -> None:
    # Mila leads the front desk: Sanne and Tom are hers; Aisha (restaurant) is not, nor is
    # the admin in her team (a manager never takes over a higher role's account).
    helped = {p.id for p in resets.people_to_help(db.session, world.manager)}
    assert helped == {world.staff.id, world.staff2.id}
    resets.create_link(db.session, world.manager, world.staff)
    for person in (world.staff3, world.admin):
        with pytest.raises(NotAllowed):
            resets.create_link(db.session, world.manager, person)


def test_a_manager_leading_no_team_helps_nobody(world: World) -> None:
    boss = make_user(db.session, world.org, "manager", world.team)  # member, not lead
    db.session.commit()
    assert resets.people_to_help(db.session, boss) == []
    with pytest.raises(NotAllowed):
        resets.create_link(db.session, boss, world.staff)


def test_an_admin_helps_everyone_active_but_themselves(world: World) -> None:
    helped = {p.id for p in resets.people_to_help(db.session, world.admin)}
    assert helped == {world.staff.id, world.staff2.id, world.staff3.id, world.manager.id}
    with pytest.raises(Invalid):
        resets.create_link(db.session, world.admin, world.admin)


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_nobody_makes_links_across_organisations(world: World, role: str) -> None:
    with pytest.raises(NotFound):
        resets.create_link(db.session, world.by_role(role), world.outsider)
    assert db.session.scalar(select(func.count(PasswordReset.id))) == 0


def test_staff_make_no_links(world: World) -> None:
    with pytest.raises(NotAllowed):
        resets.create_link(db.session, world.staff, world.staff2)


def test_e_mail_requests_are_spaced_and_ignore_unknown_addresses(world: World) -> None:
    assert resets.request_by_email(db.session, "nobody@example.test") is None
    made = resets.request_by_email(db.session, world.staff.email.upper())
    assert made is not None and made[0].id == world.staff.id
    assert resets.request_by_email(db.session, world.staff.email) is None  # too soon
    assert resets.link_for(db.session, made[1])[1].id == world.staff.id
    assert actions(world.staff) == [audit.RESET_LINK_EMAILED]


def test_asking_by_e_mail_keeps_a_handed_over_link_working(world: World) -> None:
    _reset, handed = resets.create_link(db.session, world.manager, world.staff)
    resets.request_by_email(db.session, world.staff.email)
    assert resets.link_for(db.session, handed)[1].id == world.staff.id


# Deleting an account --------------------------------------------------------------------------


def test_deleting_anonymises_and_forgets_what_is_theirs(world: World) -> None:
    person = world.staff
    email = person.email
    token, _raw = tokens.create_token(db.session, person, "Till", "write")
    resets.create_link(db.session, world.admin, person)
    db.session.add(Notification(user_id=person.id, kind="kudos", title="Thanks", url="/"))
    db.session.add(
        PushSubscription(user_id=person.id, endpoint="https://push.test/1", p256dh="k", auth="a")
    )
    db.session.commit()
    moment = log(person, world.team)

    services.delete_account(db.session, person, PASSWORD)
    db.session.expire_all()

    assert person.name == "Former colleague"
    assert person.email != email and person.email.endswith("@deleted.invalid")
    assert person.deleted_at is not None and not person.active and not person.is_active
    assert authenticate(db.session, email, PASSWORD) is None
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert db.session.scalar(select(func.count(PushSubscription.id))) == 0
    open_links = select(PasswordReset).where(PasswordReset.used_at.is_(None))
    assert db.session.scalars(open_links).all() == []
    assert db.session.scalars(select(Membership).where(Membership.user_id == person.id)).all() == []
    assert moment.author.name == "Former colleague"  # the moment stays
    assert actions(person)[-1] == audit.ACCOUNT_DELETED


def test_the_audit_log_forgets_the_deleted_name(world: World) -> None:
    person = world.staff2
    admin_services.change_role(db.session, world.admin, person, "manager")
    admin_services.remove_member(db.session, world.admin, world.team, person.id)
    services.delete_account(db.session, person, PASSWORD)
    details = db.session.scalars(select(AuditEntry.detail)).all()
    assert not any("Tom Bakker" in d for d in details)
    assert any("Former colleague" in d for d in details)


def test_the_anonymous_name_is_in_the_organisations_language(world: World) -> None:
    world.org.default_locale = "nl"
    db.session.commit()
    services.delete_account(db.session, world.staff, PASSWORD)
    assert world.staff.name == "Oud-collega"


def test_a_wrong_password_deletes_nothing(world: World) -> None:
    with pytest.raises(Invalid) as refused:
        services.delete_account(db.session, world.staff, "not my password")
    assert refused.value.field == "password"
    db.session.rollback()
    db.session.expire_all()
    assert world.staff.name == "Sanne de Vries" and world.staff.deleted_at is None


def test_the_last_admin_cannot_leave(world: World) -> None:
    with pytest.raises(Invalid, match="only admin"):
        services.delete_account(db.session, world.admin, PASSWORD)
    db.session.rollback()
    assert world.admin.deleted_at is None
    make_user(db.session, world.org, "admin")
    db.session.commit()
    services.delete_account(db.session, world.admin, PASSWORD)
    assert world.admin.deleted_at is not None


@pytest.mark.parametrize("period", ["week", "month", "all"])
def test_a_deleted_persons_points_leave_every_board(world: World, period: str) -> None:
    log(world.staff, world.team)
    log(world.staff2, world.team)
    thank(world.staff2, world.staff)
    before = {s.name: s for s in boards.team_board(db.session, world.org, period)}
    staff_points = boards.person_points(db.session, world.staff, period)
    assert staff_points > 0

    services.delete_account(db.session, world.staff, PASSWORD)

    after = {s.name: s for s in boards.team_board(db.session, world.org, period)}
    desk_before, desk = before["Front desk"], after["Front desk"]
    assert desk.members == desk_before.members - 1
    assert desk.points == desk_before.points - staff_points
    view = boards.team_standing_for(db.session, world.staff2, world.team, period)
    assert world.staff.id not in {row.user_id for row in view.rows if row is not None}
    season = {s.team.name: s for s in team_standings(db.session, world.org, None, None)}
    assert season["Front desk"].members == desk.members
    all_time = boards.team_board(db.session, world.org, "all")
    assert season["Front desk"].points == {s.name: s for s in all_time}["Front desk"].points


# Mail settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "port", "security"),
    [
        ({}, 587, "starttls"),
        ({"MAIL_PORT": "465"}, 465, "ssl"),
        ({"MAIL_PORT": "25", "MAIL_SECURITY": "NONE"}, 25, "none"),
        ({"MAIL_PORT": "not a port", "MAIL_SECURITY": "tls-typo"}, 587, "starttls"),
    ],
)
def test_mail_settings_come_from_the_environment(monkeypatch, env, port, security) -> None:
    from webapp.config import from_environment

    for name in ("MAIL_PORT", "MAIL_SECURITY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("PUBLIC_URL", "https://kizuki.example.com/")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = from_environment()
    assert (config["MAIL_SERVER"], config["MAIL_PORT"]) == ("smtp.example.com", port)
    assert config["MAIL_SECURITY"] == security
    assert config["PUBLIC_URL"] == "https://kizuki.example.com"
