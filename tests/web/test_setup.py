"""Starting an organisation: the first-run /setup, the guided start, self-service sign-up,
`create-org`, production starts and `remove-demo`."""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Auth
from tests.factories import World
from webapp.demo import seed
from webapp.extensions import Model, db
from webapp.models import FirstRun, Organisation, Team, User, Value
from webapp.setup import services

PASSWORD = "four words belong together"


# Rows that belong to no organisation: the schema's version, and the lock rows of
# `webapp.serial` (a scope name and nothing else; a row is made again on its next use).
NOT_AN_ORGANISATIONS = {"alembic_version", "serial_locks"}


def _form(**changes: str) -> dict[str, str]:
    form = {
        "name": "Hotel de Linde",
        "default_locale": "nl",
        "timezone": "Europe/London",
        "currency": "GBP",
        "admin_name": "Ilse Oprichter",
        "admin_email": "Sanne@Linde.test",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    form.update(changes)
    return form


def _organisations() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Organisation)) or 0)


# The first run --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/leaderboard", "/admin", "/invite/abc"])
def test_an_empty_server_leads_every_page_to_setup(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/setup"


@pytest.mark.parametrize("path", ["/healthz", "/sw.js", "/manifest.webmanifest", "/offline"])
def test_an_empty_server_still_serves_health_and_the_app_shell(
    client: FlaskClient, path: str
) -> None:
    assert client.get(path).status_code == 200


def test_the_api_is_not_redirected_on_an_empty_server(client: FlaskClient) -> None:
    assert client.get("/api/v1/session").status_code != 302


def test_setup_form_offers_every_time_zone_a_currency_picker_and_the_browser_zone(
    client: FlaskClient,
) -> None:
    page = client.get("/setup").get_data(as_text=True)
    assert '<datalist id="timezones">' in page
    assert '<option value="America/Argentina/Buenos_Aires">' in page
    assert "data-browser-timezone" in page
    assert "/static/pwa/js/timezone.js" in page
    assert re.search(r'<select[^>]*name="currency"', page)
    assert '<option value="GBP"' in page


def test_setup_creates_the_organisation_signs_in_its_admin_and_is_gone(
    client: FlaskClient,
) -> None:
    response = client.post("/setup", data=_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/setup/start"
    org = db.session.scalar(select(Organisation))
    assert org is not None
    assert (org.name, org.default_locale, org.timezone, org.currency) == (
        "Hotel de Linde",
        "nl",
        "Europe/London",
        "GBP",
    )
    admin = db.session.scalar(select(User))
    assert admin is not None
    assert (admin.email, admin.role, admin.org_id) == ("sanne@linde.test", "admin", org.id)
    assert db.session.get(FirstRun, 1).org_id == org.id  # type: ignore[union-attr]
    assert client.get("/setup/start").status_code == 200
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data=_form(admin_email="other@linde.test")).status_code == 404
    assert _organisations() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"currency": "XXX"}, "currency"),
        ({"default_locale": "fr"}, "default_locale"),
        ({"password": "short", "confirm": "short"}, "password"),
        ({"confirm": "something else entirely"}, "confirm"),
        ({"admin_email": "not-an-address"}, "admin_email"),
        ({"name": ""}, "name"),
    ],
)
def test_setup_refuses_bad_input_with_field_errors_and_saves_nothing(
    client: FlaskClient, changes: dict[str, str], field: str
) -> None:
    response = client.post("/setup", data=_form(**changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'aria-invalid="true"[^>]*id="{field}"', page), field
    assert _organisations() == 0
    # A refused form keeps what was typed: the browser's zone does not replace it.
    assert "data-browser-timezone" not in page


def test_setup_is_404_when_any_organisation_exists(client: FlaskClient, world: World) -> None:
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data=_form()).status_code == 404
    assert client.get("/login").status_code == 200


def test_two_setups_at_once_create_one_organisation(app: Flask) -> None:
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def run(n: int) -> None:
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            response = client.post("/setup", data=_form(admin_email=f"admin{n}@linde.test"))
            codes.append(response.status_code)
            db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(codes) == [302, 404]
    db.session.expire_all()
    assert _organisations() == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_setup_service_refuses_a_second_first_run(app: Flask) -> None:
    data = {**_form(), "admin_email": "a@linde.test"}
    services.start_first_run(db.session, data)
    db.session.commit()
    with pytest.raises(services.NotFound):
        services.start_first_run(db.session, {**data, "admin_email": "b@linde.test"})


# The guided start -------------------------------------------------------------------------------


def _set_up(client: FlaskClient, **changes: str) -> None:
    assert client.post("/setup", data=_form(**changes)).status_code == 302


def test_guided_start_adds_starter_values_in_the_organisations_language_and_teams(
    client: FlaskClient,
) -> None:
    _set_up(client)
    page = client.get("/setup/start").get_data(as_text=True)
    assert "Vooruitdenken" in page  # the Dutch starter set, for a Dutch organisation
    assert 'href="/admin/invites"' in page  # skippable
    response = client.post(
        "/setup/start", data={"sector": "hospitality", "teams": "Front desk\nKitchen\nkitchen\n"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/invites"
    names = set(db.session.scalars(select(Value.name)))
    assert names == {"Vooruitdenken", "Persoonlijk maken", "Het oplossen"}
    # Both languages are stored, so an English-speaking colleague reads English names.
    anticipate = db.session.scalars(select(Value).where(Value.name == "Vooruitdenken")).one()
    assert anticipate.translations["en"] == {
        "name": "Anticipate before they ask",
        "description": "Notice what a guest needs before they say it.",
    }
    assert anticipate.translations["nl"]["name"] == "Vooruitdenken"
    assert set(db.session.scalars(select(Team.name))) == {"Front desk", "Kitchen"}


@pytest.mark.parametrize("sector", ["retail", "transport", "healthcare"])
def test_every_starter_set_exists_in_english(client: FlaskClient, sector: str) -> None:
    _set_up(client, default_locale="en")
    client.post("/setup/start", data={"sector": sector, "teams": ""})
    assert db.session.scalar(select(func.count()).select_from(Value)) == 3


def test_guided_start_can_add_nothing_and_refuses_an_unknown_sector(client: FlaskClient) -> None:
    _set_up(client)
    assert client.post("/setup/start", data={"sector": "", "teams": ""}).status_code == 302
    assert client.post("/setup/start", data={"sector": "mining"}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Value)) == 0


def test_guided_start_is_for_admins_only(client: FlaskClient, auth: Auth, world: World) -> None:
    auth.login(world.staff.email)
    assert client.get("/setup/start").status_code == 403
    auth.logout()
    assert client.get("/setup/start").headers["Location"].startswith("/login")


# Self-service sign-up ----------------------------------------------------------------------------


def test_signup_is_404_unless_switched_on(client: FlaskClient, world: World) -> None:
    assert client.get("/signup").status_code == 404
    assert client.post("/signup", data=_form()).status_code == 404
    assert _organisations() == 2


@pytest.fixture
def signup_config(app_config: dict[str, object]) -> dict[str, object]:
    app_config.update(OPEN_SIGNUP=True, RATELIMIT_ENABLED=True, RATELIMIT_SIGNUP="2 per hour")
    return app_config


def test_signup_creates_a_separate_organisation_and_is_rate_limited(
    signup_config: Any, client: FlaskClient, world: World
) -> None:
    assert client.get("/signup").status_code == 200
    response = client.post("/signup", data=_form())
    assert response.headers["Location"] == "/setup/start"
    assert _organisations() == 3
    people = client.get("/admin/people").get_data(as_text=True)
    assert "Ilse Oprichter" in people
    assert world.staff.name not in people  # nothing crosses organisations
    client.post("/logout")
    assert client.post("/signup", data=_form(admin_email="x@y.test")).status_code == 302
    assert client.post("/signup", data=_form(admin_email="z@y.test")).status_code == 429
    assert _organisations() == 4


def test_signup_refuses_an_e_mail_address_that_has_an_account(
    signup_config: Any, client: FlaskClient, world: World
) -> None:
    response = client.post("/signup", data=_form(admin_email=world.admin.email))
    assert response.status_code == 422
    assert _organisations() == 2


# Commands ----------------------------------------------------------------------------------------


def test_create_org_prints_a_one_time_admin_link_on_the_public_url(
    app: Flask, client: FlaskClient
) -> None:
    app.config["PUBLIC_URL"] = "https://kizuki.example.com"
    result = app.test_cli_runner().invoke(
        args=[
            "create-org",
            "--name",
            "Tram Company",
            "--admin-email",
            "Boss@Tram.test",
            "--language",
            "nl",
            "--timezone",
            "Europe/Brussels",
        ]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"https://kizuki\.example\.com(/reset/\S+)", result.output)
    assert link, result.output
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Tram Company"))
    assert org is not None
    assert (org.default_locale, org.timezone) == ("nl", "Europe/Brussels")
    form = {"password": PASSWORD, "confirm": PASSWORD}
    assert client.post(link.group(1), data=form).status_code in (302, 303)
    assert client.get("/admin").status_code == 200  # signed in as the new admin
    assert client.post(link.group(1), data=form).status_code == 404  # one time only


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Mars/Olympus"], "timezone"),
        (["--language", "fr"], "default_locale"),
        (["--admin-email", "nope"], "admin_email"),
    ],
)
def test_create_org_refuses_bad_options_and_saves_nothing(
    app: Flask, args: list[str], message: str
) -> None:
    app.config["PUBLIC_URL"] = "https://kizuki.example.com"
    base = ["create-org", "--name", "Tram", "--admin-email", "a@tram.test"]
    result = app.test_cli_runner().invoke(args=base + args)
    assert result.exit_code != 0
    assert message in result.output
    assert _organisations() == 0


def test_create_org_needs_a_public_url(app: Flask) -> None:
    app.config["PUBLIC_URL"] = None
    result = app.test_cli_runner().invoke(
        args=["create-org", "--name", "Tram", "--admin-email", "a@tram.test"]
    )
    assert result.exit_code != 0
    assert "PUBLIC_URL" in result.output
    assert _organisations() == 0


def test_production_never_seeds_the_demo_and_shows_setup(app: Flask, client: FlaskClient) -> None:
    app.config["KIZUKI_ENV"] = "production"
    for args in (["seed-demo", "--if-empty"], ["seed-demo"]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "nothing seeded" in result.output
    assert _organisations() == 0
    assert client.get("/").headers["Location"] == "/setup"


def test_makefile_run_seeds_only_through_the_guarded_command() -> None:
    makefile = (services.__file__.rsplit("/webapp/", 1)[0]) + "/Makefile"
    with open(makefile) as source:
        run = source.read().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "seed-demo --if-empty" in run
    assert "seed-load" not in run


def _rows_per_table() -> dict[str, int]:
    return {
        table.name: int(db.session.scalar(select(func.count()).select_from(table)) or 0)
        for table in Model.metadata.sorted_tables
    }


def test_remove_demo_deletes_the_demo_and_everything_in_it(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = functools.partial(seed.seed_demo, weeks=1, progress=False)
    monkeypatch.setattr(seed, "seed_demo", quick)
    world_rows = services.count_owned(db.session, world.org.id)
    other_rows = services.count_owned(db.session, world.other_org.id)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    demo = services.demo_organisation(db.session)
    assert demo is not None
    demo_id = demo.id
    before = services.count_owned(db.session, demo_id)
    assert sum(1 for n in before.values() if n) >= 15, before  # a living hotel in many tables
    result = runner.invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Demo removed" in result.output
    db.session.expire_all()
    assert services.demo_organisation(db.session) is None
    after = services.count_owned(db.session, demo_id)
    assert set(after.values()) == {0}, after
    assert services.count_owned(db.session, world.org.id) == world_rows
    assert services.count_owned(db.session, world.other_org.id) == other_rows
    # No orphans: every row left in every table belongs to one of the two organisations.
    for table, rows in _rows_per_table().items():
        if table in NOT_AN_ORGANISATIONS:
            continue
        assert rows == world_rows.get(table, 0) + other_rows.get(table, 0), table


def test_every_table_with_data_is_reached_from_an_organisation() -> None:
    reached = {t.name for t in services.tables_of_an_organisation()}
    assert {t.name for t in Model.metadata.sorted_tables} - reached <= NOT_AN_ORGANISATIONS


def test_remove_demo_without_a_demo_says_so(app: Flask, world: World) -> None:
    result = app.test_cli_runner().invoke(args=["remove-demo", "--yes"])
    assert result.exit_code == 0
    assert "no demo" in result.output
    assert _organisations() == 2


def test_setup_speaks_dutch(client: FlaskClient) -> None:
    page = client.get("/setup", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Kizuki instellen" in page
    assert "Euro" in page or "euro" in page
