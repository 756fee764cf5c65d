"""The manager's pages through the test client: the shepherd view and recognizing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.clock import edges
from tests.factories import client_id, make_team, make_user
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.manage import services as manage
from webapp.models import AuditEntry, Recognition
from webapp.moments.services import MomentInput, log_moment
from webapp.recognition.services import RecognitionInput
from webapp.timeutil import frozen_time, local_date, local_midnight_utc, month_start, utcnow

MESSAGE = "You noticed the guest was cold and brought a blanket before she asked."


def log(author, team, cents=None, cue="Guest looked lost near the lifts"):
    moment, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=team.id,
            cue=cue,
            action="Walked them to their room",
            reaction="Relieved smile",
            value_ids=[author.organisation.values[0].id],
            gesture_cost_cents=cents,
        ),
    )
    return moment


def recognitions() -> int:
    return int(db.session.scalar(select(func.count(Recognition.id))) or 0)


def audit_count() -> int:
    return int(db.session.scalar(select(func.count(AuditEntry.id))) or 0)


def quiet_part(html: str) -> str:
    """The quiet corner of the page (the budget table further down names everyone)."""
    return html.split("Gesture budgets this month")[0]


# Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/manage", "/manage/recognize"])
def test_anonymous_people_are_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/manage", "/manage/recognize"])
@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("manager", 200), ("admin", 200)])
def test_manager_pages_by_role(client, auth, world, url, role, status):
    auth.login(world.by_role(role).email)
    assert client.get(url).status_code == status


def test_staff_cannot_post_a_recognition(client, auth, world):
    auth.login(world.staff.email)
    response = client.post(
        "/manage/recognize", data={"recipient_id": world.staff2.id, "message": MESSAGE}
    )
    assert response.status_code == 403 and recognitions() == 0


def test_a_manager_sees_only_their_own_organisation(client, auth, world):
    auth.login(world.outsider_manager.email)
    page = client.get("/manage").get_data(as_text=True)
    assert "Their desk" in page and "Olga Outsider" in page
    assert "Front desk" not in page and "Sanne de Vries" not in page


# The overview -----------------------------------------------------------------------------


def test_the_quiet_corner_on_the_page(client, auth, world):
    manage.give_recognition(
        db.session,
        world.manager,
        RecognitionInput(recipient_id=world.staff.id, message=MESSAGE),
    )
    recognition = db.session.scalars(select(Recognition)).one()
    recognition.created_at = utcnow() - timedelta(days=20)
    made, _ = give_kudos(
        db.session,
        world.staff3,
        KudosInput(client_id=client_id(), message="Thanks!", receiver_ids=[world.staff2.id]),
    )
    made[0].created_at = utcnow() - timedelta(days=3)
    db.session.commit()
    auth.login(world.manager.email)
    page = client.get("/manage").get_data(as_text=True)
    quiet = quiet_part(page)
    assert "Not noticed lately" in quiet
    assert "Sanne de Vries" in quiet and "3 weeks ago" in quiet
    assert "Tom Bakker" not in quiet
    assert f"/manage/recognize?to={world.staff.id}" in quiet
    assert f"/kudos/new?to={world.staff.id}" in quiet


def test_team_coverage_budgets_and_recent_gestures(client, auth, world):
    log(world.staff, world.team, cents=450, cue="Umbrella forgotten at the door")
    log(world.staff, world.team, cents=300)
    log(world.staff2, world.team)
    auth.login(world.manager.email)
    page = client.get("/manage").get_data(as_text=True)
    assert "3</span>" in page  # moments this week in Front desk
    assert "1 person reported gestures this month, together €7.50." in page
    assert "never a score" in page and 'href="/manage/budget"' in page
    budget = client.get("/manage/budget").get_data(as_text=True)
    assert "€7.50 of €25.00" in budget and "2 gestures" in budget
    assert "Umbrella forgotten at the door" in budget and "€4.50" in budget
    assert "never a score" in budget


@pytest.mark.parametrize(
    "clock", edges("mid-month", "month-start", "new-year", "dst-spring", "leap-day"), indirect=True
)
def test_budgets_this_month_and_last_month(clock, client, auth, world):
    # On the 1st this month's column is all zeros: last month's keeps the table a story.
    tz = world.org.timezone
    start = local_midnight_utc(month_start(local_date(clock, tz)), tz)  # this month, 00:00
    last_start = local_midnight_utc(month_start(local_date(start - timedelta(hours=1), tz)), tz)
    gestures = [
        (world.staff, start - timedelta(hours=14), 1200),  # last month's last day, 10:00
        (world.staff, last_start, 300),  # last month's first minute
        (world.staff2, last_start - timedelta(minutes=1), 900),  # two months ago: not shown
        (world.staff2, start - timedelta(minutes=1), 250),  # last month
        (world.staff2, start, 400),  # this month's first minute
        (world.staff2, clock, 450),  # now
    ]
    for author, at, cents in gestures:
        with frozen_time(at):
            log(author, world.team, cents=cents)
    rows = {row.user.id: row for row in manage.overview(db.session, world.manager).budget}
    figures = {
        who: (row.spent_cents, row.gestures, row.last_month_cents, row.last_month_gestures)
        for who, row in rows.items()
    }
    assert figures[world.staff.id] == (0, 0, 1500, 2)
    assert figures[world.staff2.id] == (850, 2, 250, 1)
    assert world.manager.id not in figures  # the table lists who reported gestures
    names = [row.user.name for row in rows.values()]
    assert names == sorted(names, key=str.lower)  # never ranked by spending
    auth.login(world.manager.email)
    page = client.get("/manage").get_data(as_text=True)
    summary = page.split("Gesture budgets this month")[1]
    assert "1 person reported gestures this month, together €8.50." in summary
    assert "Last month: 2 people, together €17.50." in summary
    # The conversation page: this month's gestures per person, last month beside them.
    budget = client.get("/manage/budget").get_data(as_text=True)
    assert "€8.50 of €25.00" in budget and "Last month: €2.50 on 1 gesture." in budget
    assert "Last month: €15.00 on 2 gestures." in budget


def test_the_budget_summary_counts_everyone_beyond_the_rows_shown(client, auth, world, monkeypatch):
    # The table shows its first rows by name; the page's totals are of everyone who reported.
    monkeypatch.setattr(manage, "BUDGET_SHOWN", 1)
    log(world.staff, world.team, cents=300)
    log(world.staff2, world.team, cents=450)
    found = manage.overview(db.session, world.manager)
    assert [row.user.id for row in found.budget] == [
        min((world.staff, world.staff2), key=lambda u: (u.name.lower(), u.id)).id
    ]
    assert found.budget_more == 1
    auth.login(world.manager.email)
    page = client.get("/manage").get_data(as_text=True)
    summary = page.split("Gesture budgets this month")[1]
    assert "2 people reported gestures this month, together €7.50." in summary


# Recognizing ------------------------------------------------------------------------------


def test_recognize_preselects_the_colleague_and_lists_their_moments(client, auth, world):
    mine = log(world.staff, world.team, cue="Guest was cold in the lobby")
    log(world.staff2, world.team, cue="Someone else's moment")
    auth.login(world.manager.email)
    page = client.get(f"/manage/recognize?to={world.staff.id}").get_data(as_text=True)
    assert f'id="recipient-{world.staff.id}" value="{world.staff.id}" checked' in page
    assert "Guest was cold in the lobby" in page and f'value="{mine.id}"' in page
    assert "Someone else&#39;s moment" not in page and "Golden key" in page


def test_showing_moments_without_javascript_keeps_the_message(client, auth, world):
    log(world.staff, world.team, cue="Guest was cold in the lobby")
    auth.login(world.manager.email)
    response = client.post(
        "/manage/recognize",
        data={"recipient_id": world.staff.id, "message": "Draft", "show_moments": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Guest was cold in the lobby" in page
    assert "Draft</textarea>" in page and recognitions() == 0


def test_a_recognition_lands_on_the_profile_and_in_the_audit_log(client, auth, world):
    cited = log(world.staff, world.team)
    auth.login(world.manager.email)
    response = client.post(
        "/manage/recognize",
        data={
            "recipient_id": world.staff.id,
            "message": MESSAGE,
            "moment_ids": [cited.id],
            "award": "golden_key",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{world.staff.id}")
    recognition = db.session.scalars(select(Recognition)).one()
    assert (recognition.recipient_id, recognition.award) == (world.staff.id, "golden_key")
    assert [m.id for m in recognition.moments] == [cited.id]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.actor_id, entry.action) == (world.manager.id, "recognition.given")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"message": "Well done!"}, "Enter between 20 and 2000 characters."),
        ({"message": "  "}, "Enter between 20 and 2000 characters."),
        ({"message": "x" * 2001}, "Enter between 20 and 2000 characters."),
        ({"recipient_id": ""}, "Choose one of the options."),
        ({"award": "crown"}, "Choose one of the awards."),
        ({"recipient_id": "outsider"}, "That colleague was not found."),
        ({"moment_ids": "other"}, "Cite moments this colleague took part in."),
        ({"moment_ids": "foreign"}, "Cite moments this colleague took part in."),
        ({"recipient_id": "self"}, "You cannot recognize yourself."),
    ],
)
def test_bad_recognitions_show_a_message_and_store_nothing(client, auth, world, change, message):
    other = log(world.staff2, world.team)
    foreign = log(world.outsider, world.other_team_foreign)
    data = {"recipient_id": world.staff.id, "message": MESSAGE, **change}
    ids = {"outsider": world.outsider.id, "self": world.manager.id}
    data["recipient_id"] = ids.get(data["recipient_id"], data["recipient_id"])
    cited = {"other": other.id, "foreign": foreign.id}
    if "moment_ids" in data:
        data["moment_ids"] = cited[data["moment_ids"]]
    auth.login(world.manager.email)
    response = client.post("/manage/recognize", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert recognitions() == 0 and audit_count() == 0


def test_an_admin_sees_the_teams_a_page_at_a_time_and_long_lists_are_cut(client, auth, world):
    for n in range(manage.TEAM_PAGE + 3):
        team = make_team(db.session, world.org, f"Wing {n:02d}")
        for i in range(manage.QUIET_SHOWN + 2 if n == 0 else 1):
            make_user(db.session, world.org, team=team, name=f"W{n:02d} Person {i:02d}")
    db.session.commit()
    auth.login(world.admin.email)
    first = client.get("/manage").get_data(as_text=True)
    assert first.count('<section class="card"') == manage.TEAM_PAGE
    assert "and 2 more people not noticed lately" in first
    assert "W00 Person 00" in first and f"W00 Person {manage.QUIET_SHOWN + 1:02d}" not in first
    following = re.search(r'href="/manage\?after=([^"]+)"', first)
    assert following
    second = client.get(f"/manage?after={following.group(1)}").get_data(as_text=True)
    assert "Wing 12" in second and "Wing 00" not in second
    assert 'href="/manage?after=' not in second  # the last page
