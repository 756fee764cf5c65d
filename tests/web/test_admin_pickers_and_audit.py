"""Admin settings with a currency picker and a searchable time zone list, and the audit log
in human words."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Auth
from tests.factories import World
from tests.web.test_admin import count, settings_form
from webapp.extensions import db
from webapp.models import AuditEntry, Organisation


@pytest.fixture
def as_admin(client: FlaskClient, auth: Auth, world: World) -> FlaskClient:
    auth.login(world.admin.email)
    return client


def test_settings_offer_a_currency_picker_and_every_time_zone(as_admin: FlaskClient) -> None:
    page = as_admin.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="currency"', page)
    assert re.search(r'<option selected value="EUR">|<option value="EUR" selected>', page), page
    assert '<option value="GBP">' in page
    assert 'list="timezones"' in page and '<option value="Pacific/Auckland">' in page


def test_the_currency_is_saved_audited_and_used_for_money(
    as_admin: FlaskClient, world: World
) -> None:
    data = settings_form(world.org, currency="GBP")
    response = as_admin.post("/admin/settings", data=data, follow_redirects=True)
    assert "Settings saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, world.org.id).currency == "GBP"  # type: ignore[union-attr]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.changed"))
    assert entry is not None and "currency: EUR → GBP" in entry.detail
    assert "£" in as_admin.get("/manage/budget").get_data(as_text=True)


def test_an_unknown_currency_is_refused_and_nothing_changes(
    as_admin: FlaskClient, world: World
) -> None:
    response = as_admin.post("/admin/settings", data=settings_form(world.org, currency="XXX"))
    assert response.status_code == 422
    assert "Choose one of the options." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, world.org.id).currency == "EUR"  # type: ignore[union-attr]
    assert count(AuditEntry) == 0


def test_the_audit_log_speaks_human(as_admin: FlaskClient, world: World) -> None:
    as_admin.post(
        "/admin/settings",
        data=settings_form(world.org, kudos_weekly_allowance="7", gesture_budget="30"),
    )
    as_admin.post(
        f"/admin/teams/{world.team.id}/members",
        data={"user_id": world.staff3.id, "role": "member"},
    )
    as_admin.post(f"/admin/people/{world.staff2.id}", data={"role": "manager"})
    as_admin.post(
        "/admin/invites",
        data={"role": "staff", "team_id": world.team.id, "team_role": "lead", "note": "For Noor"},
    )
    page = as_admin.get("/admin/audit").get_data(as_text=True)
    assert "Kudos each person can give per week: 5 → 7" in page
    assert "Monthly gesture budget per person (euros): 25.00 → 30.00" in page
    assert f"{world.staff3.name} added to {world.team.name} as Member" in page
    assert "Staff → Manager" in page
    assert f"Staff, in {world.team.name} as Lead · For Noor" in page
    assert f"team {world.team.id}" not in page
    assert "kudos_weekly_allowance" not in page
    assert f"({world.staff3.id})" not in page
