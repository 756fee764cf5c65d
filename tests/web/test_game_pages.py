"""The game pages through the test client: badges, seasons, challenges, reversal and
delighted, for staff, managers and admins, and never across organisations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.game_support import badge_keys, ledger_sum, log, thank
from webapp.extensions import db
from webapp.game import seasons
from webapp.models import Challenge, Kudos, Moment, Season
from webapp.timeutil import frozen_time, utcnow


@pytest.fixture
def sign_in(auth):
    def _sign_in(user):
        auth.login(user.email)

    return _sign_in


def assert_csp_safe(html: str) -> None:
    assert 'style="' not in html
    assert "<script>" not in html


# --- Access ---------------------------------------------------------------------------

MANAGER_PAGES = ["/challenges/new", "/manage/patterns"]
SIGNED_IN_PAGES = ["/badges", "/seasons", "/challenges"]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES + MANAGER_PAGES)
def test_anonymous_is_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code in (302, 401)


@pytest.mark.parametrize("path", MANAGER_PAGES)
@pytest.mark.parametrize("role,status", [("staff", 403), ("manager", 200), ("admin", 200)])
def test_manager_pages_by_role(client, world, sign_in, path, role, status):
    sign_in(world.by_role(role))
    assert client.get(path).status_code == status


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_signed_in_pages_for_every_role(client, world, sign_in, path, role):
    sign_in(world.by_role(role))
    response = client.get(path)
    assert response.status_code == 200
    assert_csp_safe(response.get_data(as_text=True))


# --- Badges ---------------------------------------------------------------------------


def test_badges_page_shows_criteria_and_what_i_earned(client, world, sign_in):
    log(world.staff, world.team)
    sign_in(world.staff)
    html = client.get("/badges").get_data(as_text=True)
    assert "First moment" in html and "Log your first moment." in html
    assert "Give kudos to five different colleagues." in html
    assert "Earned" in html and "badge--locked" in html
    assert "You have earned 1 badge." in html
    assert "/static/pwa/icons/badges/first_moment.svg" in html


# --- Seasons --------------------------------------------------------------------------


def test_seasons_page_shows_current_and_past_with_winner_and_stories(client, world, sign_in):
    with frozen_time(utcnow() - timedelta(days=40)):
        moment = log(world.staff, world.team)
        thank(world.staff2, world.staff, moment_id=moment.id)
    sign_in(world.staff3)
    html = client.get("/seasons").get_data(as_text=True)
    assert "This season" in html and "Past seasons" in html
    assert "Winning team: Front desk" in html
    past = db.session.scalar(
        select(Season).where(Season.org_id == world.org.id).order_by(Season.starts_on)
    )
    detail = client.get(f"/seasons/{past.id}")
    assert detail.status_code == 200
    text = detail.get_data(as_text=True)
    assert "Best stories" in text and moment.cue in text and "1 kudos" in text


def test_another_orgs_season_is_not_found(client, world, sign_in):
    theirs = seasons.ensure_seasons(db.session, world.other_org)[-1]
    db.session.commit()
    sign_in(world.staff)
    assert client.get(f"/seasons/{theirs.id}").status_code == 404
    assert client.get("/seasons/999999").status_code == 404


# --- Challenges -----------------------------------------------------------------------


def _challenge_form(world, **kw):
    today = seasons.today_for(world.org)
    data = {
        "team_id": str(world.team.id),
        "title_en": "Notice returning guests",
        "description_en": "Greet them by name.",
        "value_id": "",
        "starts_on": today.isoformat(),
        "last_day": (today + timedelta(days=13)).isoformat(),
        "goal": "2",
    }
    data.update(kw)
    return data


def test_manager_creates_a_challenge_and_the_team_sees_progress(client, world, sign_in):
    sign_in(world.manager)
    form = client.get("/challenges/new").get_data(as_text=True)
    assert "Front desk" in form and "Team goal" in form
    response = client.post("/challenges/new", data=_challenge_form(world), follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The challenge is on" in html and "Notice returning guests" in html
    assert "0 of 2 together" in html
    log(world.staff, world.team)
    log(world.staff2, world.team)
    html = client.get("/challenges").get_data(as_text=True)
    assert "2 of 2 together" in html and "Reached together" in html
    assert '<progress class="level-progress" max="2" value="2"' in html


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"title_en": ""}, "Fill this in: English is your organisation&#39;s language."),
        ({"title_en": "ab"}, "Enter at least 3 characters."),
        ({"title_nl": "x" * 121}, "Enter at most 120 characters."),
        ({"goal": "0"}, "Enter a number from 1 to 1000."),
        ({"starts_on": "not a date"}, "Enter a date."),
        ({"last_day": "2000-01-01"}, "The last day cannot be before the first day."),
    ],
)
def test_bad_challenge_input_rerenders_with_messages(client, world, sign_in, changes, message):
    sign_in(world.manager)
    response = client.post("/challenges/new", data=_challenge_form(world, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Challenge.id)) is None


def test_challenge_for_another_orgs_team_is_refused(client, world, sign_in):
    sign_in(world.manager)
    data = _challenge_form(world, team_id=str(world.other_team_foreign.id))
    response = client.post("/challenges/new", data=data)
    assert response.status_code == 422
    assert "That team was not found." in response.get_data(as_text=True)
    data = _challenge_form(world, value_id=str(world.other_value.id))
    assert client.post("/challenges/new", data=data).status_code == 422
    assert db.session.scalar(select(Challenge.id)) is None


def test_staff_cannot_post_a_challenge(client, world, sign_in):
    sign_in(world.staff)
    assert client.post("/challenges/new", data=_challenge_form(world)).status_code == 403
    assert db.session.scalar(select(Challenge.id)) is None


# --- Reversal -------------------------------------------------------------------------


def test_manager_reverses_a_moment_with_a_reason(client, world, sign_in):
    moment = log(world.staff, world.team)
    sign_in(world.manager)
    form = client.get(f"/moments/{moment.id}/reverse")
    assert form.status_code == 200 and moment.cue in form.get_data(as_text=True)
    empty = client.post(f"/moments/{moment.id}/reverse", data={"reason": ""})
    assert empty.status_code == 422
    assert db.session.get(Moment, moment.id).reversed_at is None
    done = client.post(f"/moments/{moment.id}/reverse", data={"reason": "Made up for points"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Moment, moment.id).reversed_at is not None
    assert ledger_sum(world.staff.id) == 0
    again = client.get(f"/moments/{moment.id}/reverse").get_data(as_text=True)
    assert "already reversed" in again


def test_manager_reverses_kudos(client, world, sign_in):
    kudos = thank(world.staff, world.staff2)
    sign_in(world.admin)
    response = client.post(f"/kudos/{kudos.id}/reverse", data={"reason": "Points trading"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Kudos, kudos.id).reversed_at is not None
    assert ledger_sum(world.staff2.id) == 0


def test_staff_cannot_reverse(client, world, sign_in):
    moment = log(world.staff2, world.team)
    kudos = thank(world.staff2, world.staff3)
    sign_in(world.staff)
    assert (
        client.post(f"/moments/{moment.id}/reverse", data={"reason": "xxxxxx"}).status_code == 403
    )
    assert client.post(f"/kudos/{kudos.id}/reverse", data={"reason": "xxxxxx"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Moment, moment.id).reversed_at is None


def test_another_orgs_moment_or_kudos_is_not_found(client, world, sign_in):
    moment = log(world.staff, world.team)
    kudos = thank(world.staff, world.staff2)
    sign_in(world.outsider_manager)
    assert client.get(f"/moments/{moment.id}/reverse").status_code == 404
    assert (
        client.post(f"/moments/{moment.id}/reverse", data={"reason": "xxxxxx"}).status_code == 404
    )
    assert client.post(f"/kudos/{kudos.id}/reverse", data={"reason": "xxxxxx"}).status_code == 404
    assert client.post(f"/moments/{moment.id}/delighted").status_code == 404
    assert client.get("/moments/999999/reverse").status_code == 404


# --- Delighted ------------------------------------------------------------------------


def test_peer_marks_delighted_and_the_author_gets_the_badge(client, world, sign_in):
    moment = log(world.staff, world.team)
    sign_in(world.staff2)
    response = client.post(f"/moments/{moment.id}/delighted", data={"next": "/badges"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/badges")
    db.session.expire_all()
    assert db.session.get(Moment, moment.id).delighted
    assert "delighted" in badge_keys(world.staff.id)


def test_author_cannot_mark_own_moment_delighted(client, world, sign_in):
    moment = log(world.staff, world.team)
    sign_in(world.staff)
    assert client.post(f"/moments/{moment.id}/delighted").status_code == 403
    db.session.expire_all()
    assert not db.session.get(Moment, moment.id).delighted


def test_delighted_ignores_an_offsite_next(client, world, sign_in):
    moment = log(world.staff, world.team)
    sign_in(world.manager)
    response = client.post(f"/moments/{moment.id}/delighted", data={"next": "https://evil.test/"})
    assert response.status_code == 302
    assert "evil.test" not in response.headers["Location"]


# --- Partials for other pages ---------------------------------------------------------


def _render(client, sign_in, user, source, **context):
    from flask import render_template_string

    with client.application.test_request_context():
        from flask_login import login_user

        login_user(user)
        return render_template_string(source, **context)


def test_badge_partial_shows_earned_badges_with_icon_and_date(client, world, sign_in):
    from webapp.game.badges import badges_for

    log(world.staff, world.team)
    earned = badges_for(db.session, world.staff.id, earned_only=True)
    html = _render(client, sign_in, world.staff, '{% include "game/_badges.html" %}', badges=earned)
    assert "First moment" in html and "Earned" in html and "first_moment.svg" in html
    assert "First thank-you" not in html  # only earned ones on a profile


def test_challenge_partial_shows_a_progress_bar(client, world, sign_in):
    from webapp.game.challenges import ChallengeInput, create_challenge, running_for_user

    today = seasons.today_for(world.org)
    create_challenge(
        db.session,
        world.manager,
        ChallengeInput(world.team.id, "Warm welcomes", today, today + timedelta(days=6), goal=5),
    )
    log(world.staff, world.team)
    running = running_for_user(db.session, world.staff)
    html = _render(
        client,
        sign_in,
        world.staff,
        '{% include "game/_challenge_progress.html" %}',
        challenges=running,
    )
    assert "Warm welcomes" in html and 'max="5" value="1"' in html and "1 of 5 together" in html


def test_this_week_partial_is_positive(client, world, sign_in):
    empty = seasons.this_week(db.session, world.staff)
    html = _render(client, sign_in, world.staff, '{% include "game/_this_week.html" %}', week=empty)
    assert "A fresh week" in html
    log(world.staff, world.team)
    week = seasons.this_week(db.session, world.staff)
    html = _render(client, sign_in, world.staff, '{% include "game/_this_week.html" %}', week=week)
    assert "moment you noticed" in html


def test_moment_actions_partial_by_viewer(client, world, sign_in):
    moment = log(world.staff, world.team)
    source = (
        '{% from "game/_moment_actions.html" import moment_game_actions with context %}'
        "{{ moment_game_actions(moment) }}"
    )
    own = _render(client, sign_in, world.staff, source, moment=moment)
    assert "delighted" not in own and "Reverse" not in own
    peer = _render(client, sign_in, world.staff2, source, moment=moment)
    assert f"/moments/{moment.id}/delighted" in peer and "Reverse" not in peer
    boss = _render(client, sign_in, world.manager, source, moment=moment)
    assert f"/moments/{moment.id}/reverse" in boss


# --- The game as people meet it on the real pages ------------------------------------------


def test_my_profile_shows_this_week_my_badges_and_the_running_challenge(client, world, sign_in):
    from webapp.game.challenges import ChallengeInput, create_challenge

    today = seasons.today_for(world.org)
    create_challenge(
        db.session,
        world.manager,
        ChallengeInput(world.team.id, "Warm welcomes", today, today + timedelta(days=6), goal=5),
    )
    sign_in(world.staff)
    html = client.get("/me").get_data(as_text=True)
    assert "A fresh week" in html and "Warm welcomes" in html and "0 of 5 together" in html
    log(world.staff, world.team)
    html = client.get("/me").get_data(as_text=True)
    assert "moment you noticed" in html and "1 of 5 together" in html
    assert "First moment" in html and "first_moment.svg" in html
    assert_csp_safe(html)


def test_a_colleague_sees_my_badges_but_not_my_week(client, world, sign_in):
    log(world.staff, world.team)
    sign_in(world.staff2)
    html = client.get(f"/people/{world.staff.id}").get_data(as_text=True)
    assert "First moment" in html
    assert "moment you noticed" not in html


def test_leaderboard_and_manage_link_to_the_game_pages(client, world, sign_in):
    sign_in(world.staff)
    board = client.get("/leaderboard").get_data(as_text=True)
    assert 'href="/seasons"' in board and 'href="/challenges"' in board
    sign_in(world.manager)
    manage = client.get("/manage").get_data(as_text=True)
    assert 'href="/challenges/new"' in manage and 'href="/manage/patterns"' in manage


def test_moment_page_offers_delighted_to_peers_and_reverse_to_managers(client, world, sign_in):
    moment = log(world.staff, world.team)
    kudos = thank(world.staff2, world.staff, moment_id=moment.id)
    url = f"/moments/{moment.id}"
    sign_in(world.staff)
    own = client.get(url).get_data(as_text=True)
    assert "delighted" not in own and "/reverse" not in own
    sign_in(world.staff2)
    peer = client.get(url).get_data(as_text=True)
    assert f"/moments/{moment.id}/delighted" in peer and "/reverse" not in peer
    sign_in(world.manager)
    boss = client.get(url).get_data(as_text=True)
    assert f"/moments/{moment.id}/reverse" in boss and f"/kudos/{kudos.id}/reverse" in boss
