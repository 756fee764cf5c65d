"""The manager's insight pages through the test client: what each role sees, charts that
work under the CSP and without JavaScript, filters whose mistakes are answered with 422, and
patterns that can be dismissed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.game_support import log, thank
from webapp.extensions import db
from webapp.models import PatternDismissal
from webapp.moments.services import mark_delighted
from webapp.timeutil import frozen_time, utcnow

PAGES = [
    "/manage",
    "/manage/trends",
    "/manage/what-works",
    "/manage/budget",
    "/manage/patterns",
    "/manage/export",
]


def csp_safe(html: str) -> None:
    assert 'style="' not in html and "<script>" not in html


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("manager", 200), ("admin", 200)])
def test_each_page_by_role(client, auth, world, path, role, status):
    log(world.staff, world.team)
    auth.login(world.by_role(role).email)
    response = client.get(path)
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        csp_safe(html)
        assert 'aria-current="page"' in html and 'aria-label="Manager pages"' in html


def test_the_overview_shows_who_was_noticed_and_a_chart(client, auth, world):
    world.org.created_at = utcnow() - timedelta(weeks=20)
    db.session.commit()
    with frozen_time(utcnow() - timedelta(days=8)):
        log(world.staff, world.team)
        thank(world.staff2, world.staff)
    auth.login(world.manager.email)
    html = client.get("/manage").get_data(as_text=True)
    assert "Last 14 days: 1 of 3 people got kudos or a recognition (33%)" in html
    assert "Last 30 days: 1 of 3 people" in html
    assert html.count("<svg") >= 1 and 'role="img"' in html and "<details" in html
    assert "Moments per week:" in html  # the chart's sentence for screen readers
    assert "Show the numbers" in html and "<table" in html


def test_the_trends_page_draws_every_chart_with_its_numbers(client, auth, world):
    world.org.created_at = utcnow() - timedelta(weeks=20)
    db.session.commit()
    with frozen_time(utcnow() - timedelta(days=8)):
        log(world.staff, world.team)
        thank(world.staff2, world.staff, value_id=world.values[0].id)
    auth.login(world.manager.email)
    response = client.get(f"/manage/trends?team_id={world.team.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('<svg class="chart') == 7 and html.count("chart-data") == 7
    assert "1 of 4 people received half of the 1 kudos and recognitions" in html
    assert "chart__line--2" in html and "chart__mark--2" in html
    csp_safe(html)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("team_id=abc", "Choose one of the options."),
        ("team_id={foreign}", "Choose one of your teams."),
        ("period=forever", "Choose one of the options."),
        ("q=" + "x" * 101, "Enter at most 100 characters."),
        ("q=%00", "Remove the invisible control characters"),
    ],
)
def test_filter_mistakes_are_422_with_the_message(client, auth, world, query, field):
    auth.login(world.manager.email)
    path = "/manage/what-works?" + query.format(foreign=world.other_team_foreign.id)
    response = client.get(path)
    assert response.status_code == 422
    assert field in response.get_data(as_text=True)


def test_what_works_shows_words_stories_and_the_adopt_action(client, auth, world):
    first = log(world.staff, world.team)
    second = log(world.staff2, world.team)
    mark_delighted(db.session, world.staff2, first)
    db.session.commit()
    thank(world.staff, world.staff2, moment_id=second.id)
    auth.login(world.manager.email)
    html = client.get("/manage/what-works").get_data(as_text=True)
    assert "2 of the 2 moments in this period delighted a guest." in html and "lost" in html
    assert f'href="/moments/{first.id}/adopt"' in html
    searched = client.get("/manage/what-works?q=lifts").get_data(as_text=True)
    assert "Moments that match" in searched
    nothing = client.get("/manage/what-works?q=zebra").get_data(as_text=True)
    assert "No moments say that." in nothing


def test_a_lead_only_sees_the_teams_they_lead(client, auth, world):
    lead = make_user(db.session, world.org, "manager", world.other_team, "lead", name="Lea Lead")
    db.session.commit()
    log(world.staff3, world.other_team)
    auth.login(lead.email)
    html = client.get("/manage/budget").get_data(as_text=True)
    assert world.staff3.name in html and world.staff.name not in html
    refused = client.get(f"/manage/budget?team_id={world.team.id}")
    assert refused.status_code == 422


def test_a_manager_dismisses_a_pattern(client, auth, world):
    crew = [make_user(db.session, world.org, team=world.team) for _ in range(8)]
    db.session.commit()
    with frozen_time(utcnow() - timedelta(days=10)):
        for i, giver in enumerate(crew[2:]):
            for step in (1, 2):
                thank(giver, crew[2:][(i + step) % 6])
    for week in range(3):
        with frozen_time(utcnow() - timedelta(days=7 * week + 1)):
            thank(crew[0], crew[1])
            thank(crew[1], crew[0])
    auth.login(world.manager.email)
    html = client.get("/manage/patterns").get_data(as_text=True)
    assert f"{crew[0].name} and {crew[1].name}" in html
    key = f"{crew[0].id}-{crew[1].id}"
    assert f'value="{key}"' in html
    response = client.post(
        "/manage/patterns/dismiss", data={"kind": "pair", "team_id": world.team.id, "people": key}
    )
    assert response.status_code == 302
    after = client.get("/manage/patterns").get_data(as_text=True)
    assert f"{crew[0].name} and {crew[1].name}" not in after
    assert "1 pattern you set aside is not shown." in after


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"kind": "trio", "people": "1-2"}, 422),
        ({"kind": "pair", "people": "1;2"}, 422),
        ({"kind": "pair", "people": "1-2-3-4"}, 422),
        ({"kind": "pair", "people": "{staff}-{outsider}"}, 404),
        ({"kind": "pair", "people": "{staff}-{staff2}", "team_id": "{foreign}"}, 404),
    ],
)
def test_bad_dismissals_change_nothing(client, auth, world, form, status):
    values = {
        "staff": world.staff.id,
        "staff2": world.staff2.id,
        "outsider": world.outsider.id,
        "foreign": world.other_team_foreign.id,
    }
    data = {"team_id": world.team.id, **form}
    data = {k: str(v).format(**values) for k, v in data.items()}
    auth.login(world.manager.email)
    assert client.post("/manage/patterns/dismiss", data=data).status_code == status
    assert db.session.scalar(select(func.count(PatternDismissal.id))) == 0
