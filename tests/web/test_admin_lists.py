"""The admin's lists on any screen: people, invites and the audit log are searched and
filtered with GET forms (bookmarkable, no JavaScript), shown a page at a time with the filters
kept, refuse a bad filter with a 422 naming it, and never show another organisation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh

from tests.conftest import Auth
from tests.factories import World, make_team, make_user
from tests.web.test_admin import outsider_admin
from webapp.admin import services as admin
from webapp.extensions import db
from webapp.models import AuditEntry, Invite, Team, User
from webapp.timeutil import utcnow

EN = {"Accept-Language": "en-GB,en;q=0.9"}
NL = {"Accept-Language": "nl-NL,nl;q=0.9"}


@pytest.fixture(autouse=True)
def fresh_language(app: Flask) -> None:
    """The tests share one app context, where Flask-Babel keeps the language it chose."""

    @app.before_request
    def _forget() -> None:
        refresh()


@pytest.fixture
def as_admin(client: FlaskClient, auth: Auth, world: World) -> FlaskClient:
    auth.login(world.admin.email)
    return client


def page_of(client: FlaskClient, path: str, headers: dict[str, str] = EN, **query: object) -> str:
    response = client.get(path, query_string=query or None, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:600]
    return response.get_data(as_text=True)


def listed_people(page: str) -> list[str]:
    return re.findall(r'<tr data-person="\d+">\s*<th[^>]*><a[^>]*>([^<]+)</a>', page)


def listed_invites(page: str) -> list[str]:
    return re.findall(r'<tr data-invite="\d+">\s*(?:\{[^}]*\}\s*)*<th[^>]*>([^<]+)</th>', page)


# People -----------------------------------------------------------------------------------


def test_people_are_searched_by_name_or_e_mail(as_admin: FlaskClient, world: World) -> None:
    everyone = listed_people(page_of(as_admin, "/admin/people"))
    assert set(everyone) == {
        "Sanne de Vries",
        "Tom Bakker",
        "Aisha Khan",
        "Mila Jansen",
        "Ruud Admin",
    }
    assert listed_people(page_of(as_admin, "/admin/people", q="bAKker")) == ["Tom Bakker"]
    assert listed_people(page_of(as_admin, "/admin/people", q=world.staff3.email.upper())) == [
        "Aisha Khan"
    ]
    # A wildcard is a character like any other, not "everything".
    assert listed_people(page_of(as_admin, "/admin/people", q="%")) == []
    assert listed_people(page_of(as_admin, "/admin/people", q="Olga")) == []


def test_people_are_filtered_by_team_role_and_status(as_admin: FlaskClient, world: World) -> None:
    world.staff2.active = False
    db.session.commit()
    in_restaurant = page_of(as_admin, "/admin/people", team_id=world.other_team.id)
    assert listed_people(in_restaurant) == ["Aisha Khan"]
    managers = page_of(as_admin, "/admin/people", role="manager")
    assert listed_people(managers) == ["Mila Jansen"]
    gone = page_of(as_admin, "/admin/people", status="deactivated")
    assert listed_people(gone) == ["Tom Bakker"] and "Deactivated" in gone
    active_front_desk = page_of(as_admin, "/admin/people", team_id=world.team.id, status="active")
    assert listed_people(active_front_desk) == ["Mila Jansen", "Ruud Admin", "Sanne de Vries"]
    # The chosen filters stay chosen in the form.
    assert re.search(
        r'<option selected value="deactivated">|<option value="deactivated" selected>', gone
    )


def test_every_field_of_a_person_is_labelled_for_the_stacked_cards(
    as_admin: FlaskClient, world: World
) -> None:
    page = page_of(as_admin, "/admin/people", q="Sanne")
    row = page[page.index('data-person="') :]
    for label in ("Role", "Teams", "E-mail", "Status"):
        assert f'data-label="{label}"' in row
    assert world.staff.email in row and "Front desk" in row and "Staff" in row


def test_people_are_paged_and_the_pages_keep_the_filters(
    as_admin: FlaskClient, world: World
) -> None:
    crowd = make_team(db.session, world.org, "Housekeeping")
    for n in range(55):
        make_user(db.session, world.org, team=crowd, name=f"Helper {n:02d}")
    db.session.commit()
    first = page_of(as_admin, "/admin/people", team_id=crowd.id, q="helper")
    assert "55 people" in first and "Page 1 of 2" in first
    assert listed_people(first)[0] == "Helper 00" and len(listed_people(first)) == 50
    found = re.search(r'href="([^"]+)">Next page', first)
    assert found, first
    link = found.group(1).replace("&amp;", "&")
    assert f"team_id={crowd.id}" in link and "q=helper" in link and "page=2" in link
    second = page_of(as_admin, link)
    assert listed_people(second) == [f"Helper {n}" for n in range(50, 55)]
    assert "Previous page" in second and "Next page" not in second
    # A page past the last shows the last.
    assert listed_people(page_of(as_admin, link.replace("page=2", "page=9"))) == listed_people(
        second
    )


BAD_PEOPLE_QUERIES = [
    ({"page": "abc"}, "Choose a page by its number."),
    ({"page": "0"}, "Choose a page from 1 to 10000."),
    ({"page": "9" * 30}, "Choose a page from 1 to 10000."),
    ({"page": "1.5"}, "Choose a page by its number."),
    ({"team_id": "abc"}, "Choose one of the options."),
    ({"team_id": "9" * 20}, "Choose one of the options."),
    ({"team_id": "2147483647"}, "Choose one of the options."),
    ({"role": "owner"}, "Choose one of the options."),
    ({"status": "sleeping"}, "Choose one of the options."),
    ({"q": "x" * 101}, "Enter at most 100 characters."),
    ({"q": "Tom\x00"}, "Remove the invisible control characters"),
]


@pytest.mark.parametrize(("query", "message"), BAD_PEOPLE_QUERIES)
def test_a_bad_people_filter_is_a_422_naming_it(
    as_admin: FlaskClient, world: World, query: dict[str, str], message: str
) -> None:
    response = as_admin.get(
        "/admin/people", query_string={**query, "role": query.get("role", "staff")}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    # The other filters still apply; the refused one is left out.
    if "role" not in query:
        assert set(listed_people(page)) <= {"Sanne de Vries", "Tom Bakker", "Aisha Khan"}


def test_the_people_list_reads_in_dutch(as_admin: FlaskClient, world: World) -> None:
    world.admin.locale = "nl"
    db.session.commit()
    page = page_of(as_admin, "/admin/people", headers=NL, status="active")
    assert "Naam of e-mail" in page and "Alle teams" in page and "Actief" in page
    assert 'data-label="Rol"' in page and "5 mensen" in page
    bad = as_admin.get("/admin/people?page=nul", headers=NL).get_data(as_text=True)
    assert "Kies een pagina met haar nummer." in bad


# Invites ----------------------------------------------------------------------------------


def make_invites(world: World) -> dict[str, Invite]:
    def invite(note: str, **data: object) -> Invite:
        made, _raw = admin.create_invite(db.session, world.admin, {"note": note, **data})
        return made

    made = {
        "open": invite("For Kim", team_id=world.team.id),
        "used": invite("For Lou", team_id=world.team.id),
        "expired": invite("For Max", team_id=world.other_team.id),
        "revoked": invite("For Noor"),
    }
    made["used"].used_at = utcnow()
    made["expired"].expires_at = utcnow() - timedelta(days=1)
    made["revoked"].revoked_at = utcnow()
    made["open"].email = "kim@example.test"
    db.session.commit()
    return made


def test_invites_are_filtered_by_status_by_default_the_open_ones(
    as_admin: FlaskClient, world: World
) -> None:
    make_invites(world)
    theirs, _raw = admin.create_invite(db.session, outsider_admin(world), {"note": "For Olaf"})
    db.session.commit()
    assert listed_invites(page_of(as_admin, "/admin/invites")) == ["For Kim"]
    for status, note in (("used", "For Lou"), ("expired", "For Max"), ("revoked", "For Noor")):
        page = page_of(as_admin, "/admin/invites", status=status)
        assert listed_invites(page) == [note], status
    everything = page_of(as_admin, "/admin/invites", status="all")
    assert sorted(listed_invites(everything)) == ["For Kim", "For Lou", "For Max", "For Noor"]
    assert "For Olaf" not in everything
    # Only open invites can get a new link or be revoked.
    assert everything.count("/revoke") == 1


def test_invites_are_searched_and_filtered_by_team(as_admin: FlaskClient, world: World) -> None:
    make_invites(world)
    assert listed_invites(page_of(as_admin, "/admin/invites", q="KIM@EXAMPLE")) == ["For Kim"]
    in_front_desk = page_of(as_admin, "/admin/invites", status="all", team_id=world.team.id)
    assert sorted(listed_invites(in_front_desk)) == ["For Kim", "For Lou"]
    page = page_of(as_admin, "/admin/invites", status="all", q="For Max")
    row = page[page.index('data-invite="') :]
    for label in ("E-mail", "Role", "Team", "Status", "Made", "Expires", "Actions"):
        assert f'data-label="{label}"' in row
    assert "Expired" in row and "Restaurant" in row


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "lost"}, "Choose one of the options."),
        ({"team_id": "-3"}, "Choose one of the options."),
        ({"page": "-1"}, "Choose a page from 1 to 10000."),
        ({"q": "y" * 500}, "Enter at most 100 characters."),
    ],
)
def test_a_bad_invite_filter_is_a_422_naming_it(
    as_admin: FlaskClient, world: World, query: dict[str, str], message: str
) -> None:
    make_invites(world)
    response = as_admin.get("/admin/invites", query_string=query)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_another_organisations_team_in_the_invite_filter_is_refused(
    as_admin: FlaskClient, world: World
) -> None:
    boss = outsider_admin(world)
    admin.create_invite(
        db.session, boss, {"note": "For Olaf", "team_id": world.other_team_foreign.id}
    )
    db.session.commit()
    response = as_admin.get(
        "/admin/invites", query_string={"status": "all", "team_id": world.other_team_foreign.id}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose one of the options." in page
    assert "For Olaf" not in page and "Their desk" not in page


# The audit log ----------------------------------------------------------------------------


def audited(world: World) -> None:
    admin.create_team(db.session, world.admin, "Spa")
    admin.create_team(db.session, world.admin, "Bar")
    team = db.session.query(Team).filter_by(name="Bar").one()
    admin.rename_team(db.session, world.admin, team, "Rooftop bar")
    world.manager.role = "admin"
    admin.create_team(db.session, world.manager, "Garden")
    admin.create_team(db.session, outsider_admin(world), "Their new team")
    db.session.commit()


def log_entry(world: World, detail: str, at: datetime) -> None:
    """A team the admin made at `at` (UTC), as the log holds it."""
    db.session.add(
        AuditEntry(
            org_id=world.org.id,
            actor_id=world.admin.id,
            action="team.created",
            target_type="team",
            detail=detail,
            created_at=at,
        )
    )


def listed_entries(page: str) -> list[str]:
    return re.findall(r'data-label="Details"><span>([^<]*)</span>', page)


def test_the_audit_log_is_searched_and_filtered(as_admin: FlaskClient, world: World) -> None:
    audited(world)
    assert listed_entries(page_of(as_admin, "/admin/audit", q="rooftop")) == ["Bar → Rooftop bar"]
    # Words also find who acted.
    assert listed_entries(page_of(as_admin, "/admin/audit", q="Mila")) == ["Garden"]
    by_mila = page_of(as_admin, "/admin/audit", actor_id=world.manager.id)
    assert listed_entries(by_mila) == ["Garden"]
    renamed = page_of(as_admin, "/admin/audit", action="team.renamed")
    assert listed_entries(renamed) == ["Bar → Rooftop bar"]
    everything = page_of(as_admin, "/admin/audit")
    assert "Their new team" not in everything and "Other Admin" not in everything
    # Every field of an entry is there, labelled, for the stacked cards.
    for label in ("When", "Who", "What", "Details"):
        assert f'data-label="{label}"' in everything


def test_the_audit_log_is_filtered_by_period_in_the_organisations_days(
    as_admin: FlaskClient, world: World
) -> None:
    # 23:30 UTC on 29 November is 00:30 on the 30th in Amsterdam.
    log_entry(world, "Late on the 29th in UTC", datetime(2026, 11, 29, 23, 30))
    log_entry(world, "Early on the 29th", datetime(2026, 11, 29, 8, 0))
    log_entry(world, "On 1 December", datetime(2026, 12, 1, 9, 0))
    db.session.commit()
    on_the_30th = page_of(as_admin, "/admin/audit", first_day="2026-11-30", last_day="2026-11-30")
    assert listed_entries(on_the_30th) == ["Late on the 29th in UTC"]
    from_the_30th = page_of(as_admin, "/admin/audit", first_day="2026-11-30")
    assert listed_entries(from_the_30th) == ["On 1 December", "Late on the 29th in UTC"]
    until_the_29th = page_of(as_admin, "/admin/audit", last_day="2026-11-29")
    assert listed_entries(until_the_29th) == ["Early on the 29th"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first_day": "2026-12-01", "last_day": "2026-11-01"}, "The last day cannot be before"),
        ({"first_day": "yesterday"}, "Enter a date."),
        ({"last_day": "0001-01-01"}, "Choose a day from 1900-01-01 to 2999-12-31."),
        ({"first_day": "9999-12-31"}, "Choose a day from 1900-01-01 to 2999-12-31."),
        ({"action": "team.exploded"}, "Choose one of the options."),
        ({"actor_id": "abc"}, "Choose one of the options."),
        ({"page": "abc"}, "Choose a page by its number."),
        ({"q": "z" * 101}, "Enter at most 100 characters."),
    ],
)
def test_a_bad_audit_filter_is_a_422_naming_it(
    as_admin: FlaskClient, world: World, query: dict[str, str], message: str
) -> None:
    audited(world)
    response = as_admin.get("/admin/audit", query_string=query)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    # The log is still shown, without the refused filter.
    assert "Rooftop bar" in page


def test_another_organisations_actor_in_the_audit_filter_is_refused(
    as_admin: FlaskClient, world: World
) -> None:
    audited(world)
    boss = db.session.query(User).filter_by(name="Other Admin").one()
    response = as_admin.get("/admin/audit", query_string={"actor_id": boss.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose one of the options." in page
    assert "Their new team" not in page and "Other Admin" not in page


def test_the_audit_pages_keep_the_filters(as_admin: FlaskClient, world: World) -> None:
    for n in range(55):
        admin.create_team(db.session, world.admin, f"Team {n:02d}")
    admin.create_team(db.session, world.admin, "Not a match")
    db.session.commit()
    first = page_of(as_admin, "/admin/audit", q="Team", action="team.created")
    assert "55 entries" in first and "Not a match" not in first
    link = re.search(r'href="([^"]+)">Next page', first).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert "q=Team" in link and "action=team.created" in link
    second = page_of(as_admin, link)
    assert listed_entries(second) == [f"Team {n:02d}" for n in range(4, -1, -1)]


def test_the_audit_log_reads_in_dutch(as_admin: FlaskClient, world: World) -> None:
    audited(world)
    world.admin.locale = "nl"
    db.session.commit()
    page = page_of(as_admin, "/admin/audit", headers=NL)
    assert 'data-label="Wie"' in page and "Iedereen" in page
    assert "Team aangemaakt" in page


# Dates and money in the reader's locale -----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "accept", "shown"),
    [
        ("en", "en-GB,en;q=0.9", "30/11/2026, 14:05"),
        ("en", "en-US,en;q=0.9", "11/30/2026, 2:05\u202fPM"),
        ("en", None, "30/11/2026, 14:05"),
        ("nl", "nl-NL,nl;q=0.9", "30-11-2026, 14:05"),
        ("nl", "en-US,en;q=0.9", "30-11-2026, 14:05"),
    ],
)
def test_the_audit_logs_times_follow_the_readers_locale(
    as_admin: FlaskClient, world: World, language: str, accept: str | None, shown: str
) -> None:
    world.admin.locale = language
    log_entry(world, "Spa", datetime(2026, 11, 30, 13, 5))  # UTC: 14:05 in Amsterdam
    db.session.commit()
    headers = {"Accept-Language": accept} if accept else {}
    page = page_of(as_admin, "/admin/audit", headers=headers)
    assert f'data-label="{"Wanneer" if language == "nl" else "When"}">{shown}</td>' in page
    tag = {"en-US,en;q=0.9": "en-US"}.get(accept or "", "en-GB") if language == "en" else "nl-NL"
    assert f'<meta name="format-locale" content="{tag}">' in page


@pytest.mark.parametrize(
    ("language", "accept", "shown"),
    [("en", "en-GB", "£25.00"), ("en", "en-US", "£25.00"), ("nl", "nl", "£\xa025,00")],
)
def test_money_is_in_the_organisations_currency_in_each_locale(
    as_admin: FlaskClient, world: World, language: str, accept: str, shown: str
) -> None:
    world.org.currency = "GBP"
    world.admin.locale = language
    db.session.commit()
    page = page_of(as_admin, "/manage/budget", headers={"Accept-Language": accept})
    assert shown in page and "€" not in page
