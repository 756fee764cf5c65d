"""Organisation isolation and roles for the pages, generated from the app's URL map.

Every page rule and method (all but /api/, which tests/api/test_isolation.py covers, and the
static files) must be classified in PAGES below, so a new page cannot be forgotten: the first
test fails until it is. For each classified rule:

- nobody signed in is sent to the sign-in page and changes nothing (unless it is public);
- a member of another organisation gets 404 for a page about one object, and changes nothing;
- staff get 403 from manager and admin pages (managers from admin pages) and change nothing;
- and, so those answers mean something, the rightful person gets through with the same object
  and form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.api.test_isolation import snapshot
from tests.conftest import Auth
from tests.factories import PASSWORD, World, client_id
from tests.game_support import log, thank
from webapp import create_app, jobs
from webapp.admin import services as admin
from webapp.auth import tokens
from webapp.digest import services as digests
from webapp.extensions import db
from webapp.game import seasons
from webapp.kiosk import services as kiosk
from webapp.models import Invite, PeopleImport, Practice, TeamChannel, User
from webapp.practices import services as practices
from webapp.timeutil import utcnow

METHODS = {"GET", "POST"}
PUBLIC, STAFF, MANAGER, ADMIN = "public", "staff", "manager", "admin"
RECOGNITION = "You noticed the guest's allergy before they had to ask. Thank you."

Values = dict[str, Any]


# Objects of the signed-in organisation (world.org) that a rule's ids name ------------------


def _moment(w: World) -> Values:
    return {"moment_id": log(w.staff, w.team).id}


def _kudos(w: World) -> Values:
    return {"kudos_id": thank(w.staff, w.staff2).id}


def _token(w: World) -> Values:
    token, _raw = tokens.create_token(db.session, w.staff, "Till", "read")
    db.session.commit()
    return {"token_id": token.id}


def _season(w: World) -> Values:
    season = seasons.current_season(db.session, w.org)
    # Seasons are made on first sight; the other organisation has looked at its own already.
    seasons.current_season(db.session, w.other_org)
    db.session.commit()
    return {"season_id": season.id}


def _person(w: World) -> Values:
    return {"user_id": w.staff2.id}


def _team(w: World) -> Values:
    return {"team_id": w.team.id}


def _member(w: World) -> Values:
    return {"team_id": w.team.id, "user_id": w.staff2.id}


def _value(w: World) -> Values:
    return {"value_id": w.values[0].id}


def _invite(w: World) -> Values:
    invite = Invite(
        org_id=w.org.id,
        token_hash="e" * 64,
        created_by_id=w.admin.id,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invite)
    db.session.commit()
    return {"invite_id": invite.id}


def _people_import(w: World) -> Values:
    rows = [
        {
            "name": "Noor",
            "email": None,
            "team_id": w.team.id,
            "role": "staff",
            "team_role": "member",
            "locale": None,
            "work_start": None,
            "work_end": None,
        }
    ]
    upload = PeopleImport(org_id=w.org.id, created_by_id=w.admin.id, rows=json.dumps(rows), total=1)
    db.session.add(upload)
    db.session.commit()
    return {"import_id": upload.id}


def _practice(w: World) -> Values:
    """A practice of the team (adopted from the manager's moment) and a later moment of the
    staff member that could repeat it."""
    source = log(w.manager, w.team)
    practice = practices.adopt_practice(db.session, w.manager, source.id, "Walk them there")
    db.session.commit()
    return {"moment_id": log(w.staff, w.team).id, "practice_id": practice.id}


def _linked(w: World) -> Values:
    values = _practice(w)
    practices.link_moment(db.session, w.staff, values["moment_id"], values["practice_id"])
    db.session.commit()
    return values


def _practice_form(w: World) -> Values:
    return {"practice_id": db.session.scalar(select(Practice.id))}


def _digest(w: World) -> Values:
    log(w.staff, w.team)
    digest, _made = digests.build_digest(db.session, w.team, utcnow().date() - timedelta(days=7))
    db.session.commit()
    return {"digest_id": digest.id}


def _channel(w: World) -> Values:
    channel = TeamChannel(
        org_id=w.org.id,
        team_id=w.team.id,
        kind="slack",
        name="#desk",
        url="https://hooks.example.invalid/services/x",
        created_by_id=w.admin.id,
    )
    db.session.add(channel)
    db.session.commit()
    return {"channel_id": channel.id}


def _kiosk(w: World) -> Values:
    device, _raw = kiosk.create_device(db.session, w.admin, "Staff room", w.team.id)
    db.session.commit()
    return {"device_id": device.id}


def _story(w: World) -> Values:
    return {
        "cue": "Changed by someone else",
        "action": "Changed by someone else",
        "reaction": "Changed by someone else",
        "team_id": w.team.id,
        "value_ids": [w.values[0].id],
    }


def _challenge(w: World) -> Values:
    today = utcnow().date()
    return {
        "team_id": w.team.id,
        "title_en": "Notice the rain",
        "description_en": "",
        "value_id": "",
        "starts_on": today.isoformat(),
        "last_day": (today + timedelta(days=14)).isoformat(),
        "goal": "10",
    }


def _dead_letter(w: World) -> Values:
    """A job of the world's organisation that failed every retry (kept in this process)."""
    failure = jobs.Failure(
        id=f"test-{client_id()}",
        name="webapp.timeutil.utcnow",  # harmless when it is sent again
        args=(),
        error="RuntimeError: no luck",
        failed_at=utcnow(),
        org_id=w.org.id,
    )
    jobs._runner(current_app._get_current_object()).failed.append(failure)
    return {"failure_id": failure.id}


@dataclass(frozen=True)
class Page:
    """Who may use a page; how to make the object its ids name; a valid form for POST; and,
    when it is not the role's own person (world.staff, .manager, .admin), who the rightful
    user is (a world attribute)."""

    role: str
    make: Callable[[World], Values] | None = None
    form: Callable[[World], Values] | None = None
    rightful: str | None = None


PAGES: dict[tuple[str, str], Page] = {
    # Public: signing in, invites, password recovery, the PWA's own files.
    ("/login", "GET"): Page(PUBLIC),
    ("/login", "POST"): Page(PUBLIC),
    ("/logout", "POST"): Page(PUBLIC),
    ("/invite/<token>", "GET"): Page(PUBLIC),
    ("/invite/<token>", "POST"): Page(PUBLIC),
    ("/forgot-password", "GET"): Page(PUBLIC),
    ("/forgot-password", "POST"): Page(PUBLIC),
    ("/reset/<token>", "GET"): Page(PUBLIC),
    ("/reset/<token>", "POST"): Page(PUBLIC),
    ("/settings/language", "POST"): Page(PUBLIC),  # signed out, it sets a cookie only
    ("/manifest.webmanifest", "GET"): Page(PUBLIC),
    ("/sw.js", "GET"): Page(PUBLIC),
    ("/offline", "GET"): Page(PUBLIC),
    # Health checks for load balancers: public, and they read nothing of anyone's.
    ("/healthz", "GET"): Page(PUBLIC),
    ("/readyz", "GET"): Page(PUBLIC),
    # The kiosk: no sign-in but a device token cookie; without a working one every kiosk page
    # answers 403 "not a kiosk" (tests/web/test_kiosk.py covers them, and the person's turn).
    ("/kiosk", "GET"): Page(PUBLIC),
    ("/kiosk/people/<int:user_id>", "GET"): Page(PUBLIC, _person),
    ("/kiosk/people/<int:user_id>", "POST"): Page(PUBLIC, _person),
    ("/kiosk/moment", "GET"): Page(PUBLIC),
    ("/kiosk/moment", "POST"): Page(PUBLIC),
    ("/kiosk/kudos", "GET"): Page(PUBLIC),
    ("/kiosk/kudos", "POST"): Page(PUBLIC),
    ("/kiosk/done", "POST"): Page(PUBLIC),
    ("/kiosk/queued", "POST"): Page(PUBLIC),
    # Starting an organisation: /setup only on an empty server (404 after), sign-up only when
    # KIZUKI_OPEN_SIGNUP is on (404 otherwise); tests/web/test_setup.py covers both.
    ("/setup", "GET"): Page(PUBLIC),
    ("/setup", "POST"): Page(PUBLIC),
    ("/signup", "GET"): Page(PUBLIC),
    ("/signup", "POST"): Page(PUBLIC),
    # Everyone signed in.
    ("/", "GET"): Page(STAFF),
    ("/moments/new", "GET"): Page(STAFF),
    ("/moments/new", "POST"): Page(STAFF),
    ("/moments/<int:moment_id>", "GET"): Page(STAFF, _moment),
    ("/moments/<int:moment_id>/edit", "GET"): Page(STAFF, _moment),
    ("/moments/<int:moment_id>/edit", "POST"): Page(STAFF, _moment, _story),
    ("/moments/<int:moment_id>/delete", "POST"): Page(STAFF, _moment),
    ("/moments/<int:moment_id>/delighted", "POST"): Page(STAFF, _moment, rightful="staff2"),
    ("/digest", "GET"): Page(STAFF),
    ("/digest/<int:digest_id>", "GET"): Page(STAFF, _digest),
    ("/practices", "GET"): Page(STAFF),
    ("/practices/<int:practice_id>", "GET"): Page(STAFF, _practice),
    ("/moments/<int:moment_id>/practices", "POST"): Page(STAFF, _practice, _practice_form),
    ("/moments/<int:moment_id>/practices/<int:practice_id>/remove", "POST"): Page(STAFF, _linked),
    ("/kudos/new", "GET"): Page(STAFF),
    ("/kudos/new", "POST"): Page(STAFF),
    ("/leaderboard", "GET"): Page(STAFF),
    ("/points", "GET"): Page(STAFF),
    ("/badges", "GET"): Page(STAFF),
    ("/seasons", "GET"): Page(STAFF),
    ("/seasons/<int:season_id>", "GET"): Page(STAFF, _season),
    ("/challenges", "GET"): Page(STAFF),
    ("/people/<int:user_id>", "GET"): Page(STAFF, _person),
    ("/me", "GET"): Page(STAFF),
    ("/inbox", "GET"): Page(STAFF),
    ("/settings", "GET"): Page(STAFF),
    ("/me/preferences", "POST"): Page(STAFF),
    ("/me/quiet-hours", "POST"): Page(STAFF),
    ("/me/rhythm", "POST"): Page(STAFF),
    ("/me/notifications/read", "POST"): Page(STAFF),
    ("/me/password", "GET"): Page(STAFF),
    ("/me/password", "POST"): Page(STAFF),
    ("/me/tokens", "GET"): Page(STAFF),
    ("/me/tokens", "POST"): Page(STAFF),
    ("/me/tokens/<int:token_id>/revoke", "POST"): Page(STAFF, _token),
    ("/me/tokens/revoke-all", "POST"): Page(STAFF),
    ("/me/sign-out-everywhere", "POST"): Page(STAFF),
    ("/me/export", "GET"): Page(STAFF),
    ("/me/delete", "GET"): Page(STAFF),
    ("/me/delete", "POST"): Page(STAFF),
    ("/kiosk/pin", "GET"): Page(STAFF),
    ("/kiosk/pin", "POST"): Page(STAFF, form=lambda w: {"password": PASSWORD, "pin": "4071"}),
    # Managers (and admins).
    ("/manage", "GET"): Page(MANAGER),
    ("/manage/recognize", "GET"): Page(MANAGER),
    ("/manage/recognize/moments", "GET"): Page(MANAGER),
    ("/manage/recognize", "POST"): Page(
        MANAGER, form=lambda w: {"recipient_id": w.staff2.id, "message": RECOGNITION}
    ),
    ("/manage/patterns", "GET"): Page(MANAGER),
    ("/manage/patterns/dismiss", "POST"): Page(
        MANAGER,
        form=lambda w: {
            "kind": "pair",
            "team_id": w.team.id,
            "people": f"{w.staff.id}-{w.staff2.id}",
        },
    ),
    ("/manage/trends", "GET"): Page(MANAGER),
    ("/manage/what-works", "GET"): Page(MANAGER),
    ("/manage/budget", "GET"): Page(MANAGER),
    ("/manage/export", "GET"): Page(MANAGER),
    ("/manage/export.csv", "GET"): Page(MANAGER),
    ("/moments/<int:moment_id>/adopt", "GET"): Page(MANAGER, _moment),
    ("/moments/<int:moment_id>/adopt", "POST"): Page(
        MANAGER, _moment, lambda w: {"title": "Walk them to the lifts"}
    ),
    ("/manage/passwords", "GET"): Page(MANAGER),
    ("/manage/people/<int:user_id>/reset-link", "POST"): Page(MANAGER, _person),
    ("/challenges/new", "GET"): Page(MANAGER),
    ("/challenges/new", "POST"): Page(MANAGER, form=_challenge),
    ("/moments/<int:moment_id>/reverse", "GET"): Page(MANAGER, _moment),
    ("/moments/<int:moment_id>/reverse", "POST"): Page(
        MANAGER, _moment, lambda w: {"reason": "Made up for points"}
    ),
    ("/kudos/<int:kudos_id>/reverse", "GET"): Page(MANAGER, _kudos),
    ("/kudos/<int:kudos_id>/reverse", "POST"): Page(
        MANAGER, _kudos, lambda w: {"reason": "Points trading"}
    ),
    ("/kiosk/devices", "GET"): Page(MANAGER),
    ("/kiosk/devices", "POST"): Page(
        MANAGER, form=lambda w: {"name": "Staff room", "team_id": w.team.id}
    ),
    ("/kiosk/devices/<int:device_id>/revoke", "POST"): Page(MANAGER, _kiosk),
    # Admins.
    ("/admin", "GET"): Page(ADMIN),
    ("/setup/start", "GET"): Page(ADMIN),
    ("/setup/start", "POST"): Page(ADMIN, form=lambda w: {"sector": "retail", "teams": "Till"}),
    ("/admin/audit", "GET"): Page(ADMIN),
    ("/admin/jobs", "GET"): Page(ADMIN),
    ("/admin/jobs/<failure_id>/retry", "POST"): Page(ADMIN, _dead_letter),
    ("/admin/invites", "GET"): Page(ADMIN),
    ("/admin/invites", "POST"): Page(ADMIN, form=lambda w: {"role": "staff"}),
    ("/admin/invites/<int:invite_id>/revoke", "POST"): Page(ADMIN, _invite),
    ("/admin/invites/<int:invite_id>/link", "POST"): Page(ADMIN, _invite),
    ("/admin/teams/<int:team_id>/invite-sheet", "GET"): Page(ADMIN, _team),
    ("/admin/teams/<int:team_id>/invite-sheet", "POST"): Page(ADMIN, _team),
    ("/admin/people", "GET"): Page(ADMIN),
    ("/admin/people/import", "GET"): Page(ADMIN),
    ("/admin/people/import", "POST"): Page(ADMIN),
    ("/admin/people/import/template.csv", "GET"): Page(ADMIN),
    ("/admin/people/import/<int:import_id>", "GET"): Page(ADMIN, _people_import),
    ("/admin/people/import/<int:import_id>/run", "POST"): Page(ADMIN, _people_import),
    ("/admin/people/<int:user_id>", "GET"): Page(ADMIN, _person),
    ("/admin/people/<int:user_id>", "POST"): Page(ADMIN, _person, lambda w: {"role": "admin"}),
    ("/admin/people/<int:user_id>/active", "POST"): Page(ADMIN, _person, lambda w: {"active": "0"}),
    ("/admin/settings", "GET"): Page(ADMIN),
    ("/admin/settings", "POST"): Page(ADMIN, form=lambda w: {"name": "Taken over"}),
    ("/admin/teams", "GET"): Page(ADMIN),
    ("/admin/teams", "POST"): Page(ADMIN, form=lambda w: {"name": "A new team"}),
    ("/admin/teams/<int:team_id>", "GET"): Page(ADMIN, _team),
    ("/admin/teams/<int:team_id>", "POST"): Page(ADMIN, _team, lambda w: {"name": "Renamed"}),
    ("/admin/teams/<int:team_id>/members", "POST"): Page(
        ADMIN, _team, lambda w: {"user_id": w.staff3.id, "role": "member"}
    ),
    ("/admin/teams/<int:team_id>/members/<int:user_id>", "POST"): Page(
        ADMIN, _member, lambda w: {"role": "lead"}
    ),
    ("/admin/teams/<int:team_id>/members/<int:user_id>/remove", "POST"): Page(ADMIN, _member),
    ("/admin/teams/<int:team_id>/channels", "GET"): Page(ADMIN, _team),
    ("/admin/teams/<int:team_id>/channels", "POST"): Page(
        ADMIN, _team, lambda w: {"kind": "slack", "name": "#desk", "url": "http://not-https.test"}
    ),
    ("/admin/channels/<int:channel_id>", "GET"): Page(ADMIN, _channel),
    ("/admin/channels/<int:channel_id>/test", "POST"): Page(ADMIN, _channel),
    ("/admin/channels/<int:channel_id>/remove", "POST"): Page(ADMIN, _channel),
    ("/admin/values", "GET"): Page(ADMIN),
    ("/admin/values", "POST"): Page(
        ADMIN, form=lambda w: {"name_en": "A new value", "description_en": "Noticed"}
    ),
    ("/admin/values/<int:value_id>", "GET"): Page(ADMIN, _value),
    ("/admin/values/<int:value_id>", "POST"): Page(
        ADMIN, _value, lambda w: {"name_en": "Renamed", "description_en": "", "active": "y"}
    ),
    ("/admin/values/<int:value_id>/active", "POST"): Page(ADMIN, _value, lambda w: {"active": "0"}),
}


def page_rules(app: Flask) -> list[tuple[str, str]]:
    """Every (rule, method) the app serves outside /api/ and the static files."""
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/api/") and rule.endpoint != "static"
        for method in (rule.methods or set()) & METHODS
    )


# Collected at import from a throwaway app, so each rule becomes its own test case.
_RULES = page_rules(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}))


def _with_role(*roles: str) -> list[tuple[str, str]]:
    return [key for key in _RULES if key in PAGES and PAGES[key].role in roles]


SIGNED_IN = _with_role(STAFF, MANAGER, ADMIN)
OBJECT_PAGES = [key for key in SIGNED_IN if "<int:" in key[0]]
ABOVE_STAFF = _with_role(MANAGER, ADMIN)


def test_every_page_rule_is_classified(app: Flask) -> None:
    served = set(page_rules(app))
    assert served - set(PAGES) == set(), "classify these pages in PAGES"
    assert set(PAGES) - served == set(), "these pages no longer exist"
    for rule, method in served:
        if "<int:" in rule:
            assert PAGES[(rule, method)].make, f"{rule} {method} needs a `make` for its ids"


def _url(rule: str, values: Values) -> str:
    for name, value in values.items():
        rule = rule.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    assert "<" not in rule, f"no value for {rule}"
    return rule


def _request(client: FlaskClient, key: tuple[str, str], world: World, values: Values) -> Any:
    rule, method = key
    page = PAGES[key]
    data = page.form(world) if page.form and method == "POST" else {}
    return client.open(_url(rule, values), method=method, data=data)


def _make(key: tuple[str, str], world: World) -> Values:
    make = PAGES[key].make
    return make(world) if make else {}


def _sign_in(auth: Auth, user: User) -> None:
    assert auth.login(user.email).status_code == 302  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", SIGNED_IN, ids="{0[1]} {0[0]}".format)
def test_signed_out_visitors_are_sent_to_sign_in(
    client: FlaskClient, world: World, key: tuple[str, str]
) -> None:
    values = _make(key, world)
    before = snapshot()
    response = _request(client, key, world, values)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert snapshot() == before


@pytest.mark.parametrize("key", OBJECT_PAGES, ids="{0[1]} {0[0]}".format)
def test_another_organisation_gets_404_and_changes_nothing(
    client: FlaskClient, auth: Auth, world: World, key: tuple[str, str]
) -> None:
    values = _make(key, world)
    role = PAGES[key].role
    outsider = world.outsider if role == STAFF else world.outsider_manager
    if role == ADMIN:
        outsider.role = ADMIN
        db.session.commit()
    _sign_in(auth, outsider)
    before = snapshot()
    assert _request(client, key, world, values).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("key", ABOVE_STAFF, ids="{0[1]} {0[0]}".format)
def test_staff_get_403_from_manager_and_admin_pages(
    client: FlaskClient, auth: Auth, world: World, key: tuple[str, str]
) -> None:
    values = _make(key, world)
    callers = [world.staff] + ([world.manager] if PAGES[key].role == ADMIN else [])
    for caller in callers:
        _sign_in(auth, caller)
        before = snapshot()
        assert _request(client, key, world, values).status_code == 403, caller.role
        assert snapshot() == before


# Pages whose success signs the person out (and so lands on the sign-in page).
SIGNS_OUT = {("/me/sign-out-everywhere", "POST")}


@pytest.mark.parametrize("key", SIGNED_IN, ids="{0[1]} {0[0]}".format)
def test_the_rightful_person_gets_through(
    client: FlaskClient, auth: Auth, world: World, key: tuple[str, str]
) -> None:
    """The control for the tests above: the same request by the right person is let in, so
    their 403s and 404s come from the rules, not from a wrong object or form."""
    values = _make(key, world)
    page = PAGES[key]
    _sign_in(auth, getattr(world, page.rightful) if page.rightful else world.by_role(page.role))
    response = _request(client, key, world, values)
    assert response.status_code not in (401, 403, 404), response.get_data(as_text=True)[:400]
    if key in SIGNS_OUT:  # it did its work: the person is signed out, on the sign-in page
        assert response.status_code == 303
        return
    assert not response.headers.get("Location", "").startswith("/login")


# Another organisation's ids inside a page's query or form -----------------------------------


def test_kudos_for_another_organisations_moment_is_404(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    theirs = log(world.outsider, world.other_team_foreign)
    _sign_in(auth, world.staff)
    assert client.get(f"/kudos/new?moment={theirs.id}").status_code == 404


@pytest.mark.parametrize(
    ("path", "form"),
    [
        (
            "/moments/new",
            lambda w: {**_story(w), "team_id": w.other_team_foreign.id, "client_id": client_id()},
        ),
        ("/kudos/new", lambda w: {"receiver_ids": [w.outsider.id], "message": "Thanks a lot!"}),
        ("/manage/recognize", lambda w: {"recipient_id": w.outsider.id, "message": RECOGNITION}),
        ("/admin/teams/{team}/members", lambda w: {"user_id": w.outsider.id, "role": "member"}),
    ],
)
def test_another_organisations_ids_in_a_form_change_nothing(
    client: FlaskClient,
    auth: Auth,
    world: World,
    path: str,
    form: Callable[[World], Values],
) -> None:
    _sign_in(auth, world.admin)
    before = snapshot()
    response = client.post(path.format(team=world.team.id), data=form(world))
    assert response.status_code in (302, 303, 400, 404, 422)
    assert snapshot() == before


# Another organisation's ids and names in the filters of the admin's lists -------------------


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/people", lambda w: {"team_id": w.other_team_foreign.id}),
        ("/admin/people", lambda w: {"q": "Olga"}),
        ("/admin/people", lambda w: {"q": w.outsider.email}),
        ("/admin/invites", lambda w: {"status": "all", "team_id": w.other_team_foreign.id}),
        ("/admin/invites", lambda w: {"status": "all", "q": "For Olaf"}),
        ("/admin/audit", lambda w: {"actor_id": w.outsider_manager.id}),
        ("/admin/audit", lambda w: {"q": "Their"}),
    ],
)
def test_the_admins_lists_never_show_another_organisation(
    client: FlaskClient,
    auth: Auth,
    world: World,
    path: str,
    query: Callable[[World], Values],
) -> None:
    world.outsider_manager.role = ADMIN
    admin.create_invite(
        db.session,
        world.outsider_manager,
        {"note": "For Olaf", "team_id": world.other_team_foreign.id},
    )
    admin.create_team(db.session, world.outsider_manager, "Their new team")
    db.session.commit()
    _sign_in(auth, world.admin)
    response = client.get(path, query_string=query(world))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    # What was searched for shows in the search box; the list after it holds nothing of theirs.
    listed = page[page.index("</form>", page.index('role="search"')) :]
    for theirs in ("Olga Outsider", "Otto Boss", "Their desk", "Their new team", "For Olaf"):
        assert theirs not in listed
    assert world.outsider.email not in listed and "0 " in listed
