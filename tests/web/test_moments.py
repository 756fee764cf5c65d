"""The feed, the moment form, a moment's page, editing and deleting, through the pages."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import client_id, make_team, make_user
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import Moment
from webapp.moments.feed import format_cursor
from webapp.moments.services import MomentInput, log_moment
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import frozen_time, utcnow


def moments() -> int:
    return int(db.session.scalar(select(func.count(Moment.id))) or 0)


def log(author, team=None, cue="Guest looked lost near the lifts", **fields):
    moment, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=(team or author.memberships[0].team).id,
            cue=cue,
            action=fields.pop("action", "Walked them to their room"),
            reaction=fields.pop("reaction", "Relieved smile"),
            value_ids=fields.pop("value_ids", [author.organisation.values[0].id]),
            **fields,
        ),
    )
    db.session.commit()  # as the page would: one action, one transaction
    return moment


def form(world, **overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "cue": "A guest kept rubbing her hands in the lobby",
        "action": "Brought her a hot tea before she asked",
        "reaction": "She smiled and warmed up",
        "value_ids": [str(world.values[0].id)],
        "team_id": str(world.team.id),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def as_staff(client, world, auth):
    auth.login(world.staff.email)
    return client


# Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/moments/new", "/moments/1", "/moments/1/edit"])
def test_pages_need_sign_in(client, world, path):
    log(world.staff)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_delete_needs_sign_in(client, world):
    moment = log(world.staff)
    response = client.post(f"/moments/{moment.id}/delete")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.get(Moment, moment.id).deleted_at is None


# Feed -------------------------------------------------------------------------------------


def test_empty_feed_invites_the_first_moment(as_staff, world):
    html = as_staff.get("/").get_data(as_text=True)
    assert "Be the first to notice" in html and 'href="/moments/new"' in html


def test_feed_shows_own_organisation_only(as_staff, world):
    log(world.staff2, cue="Ours: a child lost a sock")
    log(world.outsider, cue="Theirs: secret story")
    html = as_staff.get("/").get_data(as_text=True)
    assert "Ours: a child lost a sock" in html
    assert "Theirs: secret story" not in html
    assert "Noticed" in html and "Did" in html and "Reaction" in html
    assert "Tom Bakker" in html and "Front desk" in html and "TB" in html


def test_feed_card_details(as_staff, world):
    moment = log(
        world.staff2,
        colleague_ids=[world.staff3.id],
        gesture_cost_cents=350,
        gesture_note="A warm tea",
    )
    give_kudos(
        db.session,
        world.manager,
        KudosInput(
            client_id=client_id(),
            message="Lovely",
            receiver_ids=[world.staff2.id],
            moment_id=moment.id,
            value_id=world.values[0].id,
        ),
    )
    mine = log(world.staff, cue="My own moment")
    html = as_staff.get("/").get_data(as_text=True)
    assert "Together with Aisha Khan" in html
    # What a colleague spent, and on what, is between them and their manager (one rule with
    # the API and the export: moments/access.py); the card says a gesture was made.
    assert "A small gesture" in html
    assert "A warm tea" not in html
    assert "€3.50" not in html
    assert "1 kudos" in html
    assert f'href="/kudos/new?moment={moment.id}"' in html
    assert f'href="/kudos/new?moment={mine.id}"' not in html  # not on your own moment
    assert "Anticipate" in html


def card_of(html, moment):
    return html.split(f'id="moment-{moment.id}-author"', 1)[1].split("</article>", 1)[0]


def test_feed_card_is_compact_the_cue_first_the_rest_on_more(as_staff, world):
    moment = log(world.staff2, cue="A guest squinted at the menu", action="Brought reading glasses")
    card = card_of(as_staff.get("/").get_data(as_text=True), moment)
    cue, rest = card.split('<details class="moment__more">', 1)
    assert "A guest squinted at the menu" in cue and "Brought reading glasses" not in cue
    more, _foot = rest.split("</details>", 1)
    assert "<summary>More" in more and "about the moment of Tom Bakker" in more
    assert "Brought reading glasses" in more and "Relieved smile" in more and "Anticipate" in more
    # The moment's own page shows everything at once.
    page = as_staff.get(f"/moments/{moment.id}").get_data(as_text=True)
    assert "moment__more" not in page and "Brought reading glasses" in page


def kudos_on(moment, giver, receiver, private=False):
    give_kudos(
        db.session,
        giver,
        KudosInput(
            client_id=client_id(),
            message="Thank you",
            receiver_ids=[receiver.id],
            moment_id=moment.id,
            value_id=giver.organisation.values[0].id,
            private=private,
        ),
    )
    db.session.commit()


def givers_of(client, moment):
    card = card_of(client.get("/").get_data(as_text=True), moment)
    if '<details class="moment__givers">' not in card:
        return None
    listed = card.split('<ul class="moment__giver-list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>([^<]*)</li>", listed)


def test_the_kudos_count_opens_who_gave_them_private_ones_only_to_those_involved(
    client, world, auth
):
    moment = log(world.staff2, colleague_ids=[world.staff3.id])
    kudos_on(moment, world.manager, world.staff2)
    kudos_on(moment, world.admin, world.staff3)
    kudos_on(moment, world.staff, world.staff2, private=True)
    auth.login(world.staff3.email)  # neither gave nor received the private one
    assert givers_of(client, moment) == ["Mila Jansen", "Ruud Admin to Aisha Khan"]
    assert "2 kudos" in card_of(client.get("/").get_data(as_text=True), moment)
    for person in (world.staff, world.staff2, world.manager):
        auth.login(person.email)
        assert givers_of(client, moment) == [
            "Mila Jansen",
            "Ruud Admin to Aisha Khan",
            "Sanne de Vries",
        ], person.name


def test_no_kudos_no_list(as_staff, world):
    moment = log(world.staff2)
    assert givers_of(as_staff, moment) is None
    assert "0 kudos" in card_of(as_staff.get("/").get_data(as_text=True), moment)


def test_manager_sees_the_gesture_cost(client, world, auth):
    log(world.staff2, gesture_cost_cents=350, gesture_note="A warm tea")
    auth.login(world.manager.email)
    html = client.get("/").get_data(as_text=True)
    assert "€3.50" in html
    assert "A warm tea" in html


def test_feed_paginates_with_a_keyset_link(as_staff, world):
    start = utcnow() - timedelta(hours=30)
    for i in range(25):
        with frozen_time(start + timedelta(minutes=i)):
            log(world.staff2, cue=f"Story number {i:02d}")
    html = as_staff.get("/").get_data(as_text=True)
    assert "Story number 24" in html and "Story number 05" in html
    assert "Story number 04" not in html
    link = re.search(r'rel="next" href="([^"]+)"', html)
    assert link, "an Older moments link"
    older = as_staff.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Story number 04" in older and "Story number 00" in older
    assert "Story number 05" not in older
    assert 'rel="next"' not in older


def test_bad_cursor_is_a_400_not_a_500(as_staff, world):
    assert as_staff.get("/?before=yesterday").status_code == 400
    assert as_staff.get("/?team=abc").status_code == 400


def test_filters_by_team_and_value(as_staff, world):
    make_user(db.session, world.org, team=world.other_team)
    db.session.commit()
    log(world.staff2, cue="Desk story", value_ids=[world.values[0].id])
    log(world.staff3, cue="Restaurant story", value_ids=[world.values[1].id])
    by_team = as_staff.get(f"/?team={world.team.id}").get_data(as_text=True)
    assert "Desk story" in by_team and "Restaurant story" not in by_team
    by_value = as_staff.get(f"/?value={world.values[1].id}").get_data(as_text=True)
    assert "Restaurant story" in by_value and "Desk story" not in by_value
    everything = as_staff.get("/").get_data(as_text=True)
    assert f'href="/?team={world.team.id}"' in everything
    assert f'href="/?value={world.values[1].id}"' in everything


def test_other_organisations_team_filter_shows_nothing(as_staff, world):
    log(world.outsider, cue="Theirs: secret story")
    html = as_staff.get(f"/?team={world.other_team_foreign.id}").get_data(as_text=True)
    assert "Theirs: secret story" not in html and "Nothing here yet" in html


def test_recognitions_appear_in_the_feed(as_staff, world):
    moment = log(world.staff2)
    recognize(
        db.session,
        world.manager,
        RecognitionInput(
            recipient_id=world.staff2.id,
            message="You saw the tired family and found them a quiet room first.",
            moment_ids=[moment.id],
        ),
    )
    html = as_staff.get("/").get_data(as_text=True)
    assert "Mila Jansen recognized Tom Bakker" in html
    assert "found them a quiet room first" in html


def test_format_cursor_round_trip(world):
    from webapp.moments.feed import parse_cursor

    moment = log(world.staff)
    created, moment_id = parse_cursor(format_cursor(moment))
    assert moment_id == moment.id and created.tzinfo is not None


# Logging a moment ------------------------------------------------------------------------


def test_form_renders_for_a_phone(as_staff, world):
    html = as_staff.get("/moments/new").get_data(as_text=True)
    for name in ("cue", "action", "reaction"):
        assert f'name="{name}"' in html
    assert "What did you notice?" in html
    assert re.search(r'name="client_id" type="hidden" value="[0-9a-f-]{36}"', html)
    # One team: chosen for them, no select to fiddle with.
    assert f'<input type="hidden" name="team_id" value="{world.team.id}">' in html
    assert "Left of your gesture budget this month: €25.00." in html
    assert "Aisha Khan" in html  # colleagues to choose from


def test_person_with_two_teams_chooses(client, world, auth):
    person = make_user(db.session, world.org, team=world.team)
    from webapp.models import Membership

    db.session.add(Membership(user_id=person.id, team_id=world.other_team.id))
    db.session.commit()
    auth.login(person.email)
    html = client.get("/moments/new").get_data(as_text=True)
    assert '<select id="team_id" name="team_id"' in html


def test_logging_a_moment(as_staff, world):
    response = as_staff.post(
        "/moments/new",
        data=form(
            world, gesture_cost="2,50", gesture_note="A tea", colleague_ids=[world.staff2.id]
        ),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.request.path == "/"
    assert "Moment logged — thank you for noticing. You earned 10 points." in html
    moment = db.session.scalar(select(Moment))
    assert moment.author_id == world.staff.id and moment.team_id == world.team.id
    assert moment.gesture_cost_cents == 250 and moment.gesture_note == "A tea"
    assert [c.id for c in moment.colleagues] == [world.staff2.id]
    assert "A guest kept rubbing her hands in the lobby" in html


def test_gesture_with_a_dot(as_staff, world):
    as_staff.post("/moments/new", data=form(world, gesture_cost="2.50"))
    assert db.session.scalar(select(Moment.gesture_cost_cents)) == 250


def test_daily_cap_is_thanked_without_pressure(as_staff, world):
    for _ in range(world.org.moment_points_daily_cap):
        log(world.staff)
    html = as_staff.post("/moments/new", data=form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert "thank you for noticing" in html and "reached today&#39;s points" in html
    assert "You earned" not in html


def test_duplicate_client_id_creates_one(as_staff, world):
    data = form(world)
    assert as_staff.post("/moments/new", data=data).status_code == 302
    assert as_staff.post("/moments/new", data=data).status_code == 302
    assert moments() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cue": ""}, "Enter between 1 and 1000 characters."),
        ({"cue": "   "}, "Enter between 1 and 1000 characters."),
        ({"action": "x" * 1001}, "Enter between 1 and 1000 characters."),
        ({"value_ids": None}, "Choose at least one value."),
        ({"value_ids": ["abc"]}, "Choose one of the options."),
        ({"gesture_cost": "abc"}, "Enter an amount in euros, such as 2,50."),
        ({"gesture_cost": "-1"}, "Enter an amount from 0 to 1000 euros."),
        ({"gesture_cost": "1000,01"}, "Enter an amount from 0 to 1000 euros."),
        ({"gesture_cost": "2,505"}, "Enter an amount in euros, such as 2,50."),
        ({"gesture_cost": "1e3"}, "Enter an amount in euros, such as 2,50."),
        ({"gesture_note": "x" * 141}, "Enter at most 140 characters."),
        ({"client_id": "not-a-uuid"}, "Send a UUID"),
        ({"team_id": "abc"}, "Choose one of the options."),
    ],
)
def test_bad_input_is_shown_on_the_form(as_staff, world, overrides, message):
    response = as_staff.post("/moments/new", data=form(world, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert moments() == 0


def test_other_organisations_value_is_refused(as_staff, world):
    response = as_staff.post("/moments/new", data=form(world, value_ids=[world.other_value.id]))
    assert response.status_code == 422
    assert "Choose values from the list." in response.get_data(as_text=True)
    assert moments() == 0


def test_other_organisations_team_is_refused(as_staff, world):
    response = as_staff.post(
        "/moments/new", data=form(world, team_id=str(world.other_team_foreign.id))
    )
    assert response.status_code == 422
    assert "Choose one of your teams." in response.get_data(as_text=True)
    assert moments() == 0


def test_a_team_you_are_not_in_is_refused(as_staff, world):
    response = as_staff.post("/moments/new", data=form(world, team_id=str(world.other_team.id)))
    assert response.status_code == 422 and moments() == 0


@pytest.mark.parametrize("who", ["outsider", "unknown", "beyond_any_id", "deactivated"])
def test_unknown_colleague_is_refused(as_staff, world, who):
    # A posted form is checked against the colleagues it names only (not the whole list).
    colleague = {"outsider": world.outsider.id, "unknown": 99999, "beyond_any_id": 10**20}.get(
        who, world.staff3.id
    )
    if who == "deactivated":
        world.staff3.active = False
        db.session.commit()
    response = as_staff.post("/moments/new", data=form(world, colleague_ids=[colleague]))
    assert response.status_code == 422
    if who != "beyond_any_id":  # that one is refused by the schema's id range first
        assert "Choose colleagues from the list." in response.get_data(as_text=True)
    assert moments() == 0


def test_errors_keep_what_was_typed(as_staff, world):
    data = form(world, cue="")
    html = as_staff.post("/moments/new", data=data).get_data(as_text=True)
    assert "Brought her a hot tea before she asked" in html
    assert f'value="{data["client_id"]}"' in html  # the retry is the same moment


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    def test_moment_without_token_is_rejected(self, client, world):
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', login_page)
        assert token
        client.post(
            "/login",
            data={
                "email": world.staff.email,
                "password": "correct-horse-staple",
                "csrf_token": token.group(1),
            },
        )
        response = client.post("/moments/new", data=form(world))
        assert response.status_code == 400
        assert moments() == 0


# A moment's page, editing, deleting --------------------------------------------------------


def test_detail_page(as_staff, world):
    moment = log(world.staff2, cue="Spotted a guest's birthday on the booking")
    html = as_staff.get(f"/moments/{moment.id}").get_data(as_text=True)
    assert "Spotted a guest&#39;s birthday on the booking" in html
    assert "No kudos yet." in html


def test_detail_of_other_organisation_is_404(as_staff, world):
    moment = log(world.outsider)
    assert as_staff.get(f"/moments/{moment.id}").status_code == 404
    assert as_staff.get("/moments/99999").status_code == 404


def test_deleted_moment_is_404(as_staff, world):
    moment = log(world.staff2)
    moment.deleted_at = utcnow()
    db.session.commit()
    assert as_staff.get(f"/moments/{moment.id}").status_code == 404


def test_author_edits_their_moment(as_staff, world):
    moment = log(world.staff, gesture_cost_cents=250)
    page = as_staff.get(f"/moments/{moment.id}/edit").get_data(as_text=True)
    assert 'value="2,50"' in page and "Guest looked lost near the lifts" in page
    response = as_staff.post(
        f"/moments/{moment.id}/edit",
        data=form(world, cue="Corrected cue", gesture_cost=""),
        follow_redirects=True,
    )
    assert response.request.path == f"/moments/{moment.id}"
    assert "Your moment was updated." in response.get_data(as_text=True)
    db.session.refresh(moment)
    assert moment.cue == "Corrected cue" and moment.gesture_cost_cents is None
    assert moments() == 1


def test_edit_with_bad_input_changes_nothing(as_staff, world):
    moment = log(world.staff)
    response = as_staff.post(f"/moments/{moment.id}/edit", data=form(world, cue=""))
    assert response.status_code == 422
    db.session.refresh(moment)
    assert moment.cue == "Guest looked lost near the lifts"


@pytest.mark.parametrize("method", ["get_edit", "post_edit", "delete"])
def test_only_the_author_may_change_a_moment(client, world, auth, method):
    moment = log(world.staff2)
    auth.login(world.manager.email)  # even a manager: they reverse, they do not edit
    if method == "get_edit":
        response = client.get(f"/moments/{moment.id}/edit")
    elif method == "post_edit":
        response = client.post(f"/moments/{moment.id}/edit", data=form(world, cue="Hijack"))
    else:
        response = client.post(f"/moments/{moment.id}/delete")
    assert response.status_code == 403
    db.session.refresh(moment)
    assert moment.cue != "Hijack" and moment.deleted_at is None


@pytest.mark.parametrize("method", ["get_edit", "post_edit", "delete"])
def test_other_organisations_moment_cannot_be_changed(as_staff, world, method):
    moment = log(world.outsider)
    if method == "get_edit":
        response = as_staff.get(f"/moments/{moment.id}/edit")
    elif method == "post_edit":
        response = as_staff.post(f"/moments/{moment.id}/edit", data=form(world))
    else:
        response = as_staff.post(f"/moments/{moment.id}/delete")
    assert response.status_code == 404
    db.session.refresh(moment)
    assert moment.deleted_at is None


def test_author_deletes_their_moment(as_staff, world):
    moment = log(world.staff)
    assert as_staff.get(f"/moments/{moment.id}/delete").status_code == 405
    response = as_staff.post(f"/moments/{moment.id}/delete", follow_redirects=True)
    assert "Your moment was deleted." in response.get_data(as_text=True)
    db.session.refresh(moment)
    assert moment.deleted_at is not None
    assert as_staff.get(f"/moments/{moment.id}").status_code == 404


def test_manager_without_team_can_log_in_any_team(client, world, auth):
    boss = make_user(db.session, world.org, "manager")
    make_team(db.session, world.org, "Housekeeping")
    db.session.commit()
    auth.login(boss.email)
    html = client.get("/moments/new").get_data(as_text=True)
    assert "Housekeeping" in html and "Restaurant" in html


def test_outside_working_hours_is_thanked_without_points(as_staff, world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo(world.org.timezone))
    world.staff.work_start = (now + timedelta(hours=2)).time().replace(microsecond=0)
    world.staff.work_end = (now + timedelta(hours=3)).time().replace(microsecond=0)
    db.session.commit()
    html = as_staff.post("/moments/new", data=form(world), follow_redirects=True).get_data(
        as_text=True
    )
    assert "Moment logged — thank you for noticing." in html
    assert "outside your working hours" in html and "You earned" not in html
    assert moments() == 1
