"""The CSV export as a manager meets it: UTF-8 with a byte-order mark, headers in their
language, nothing a spreadsheet would run as a formula, streamed in batches, only their
teams, and every mistake in the choices answered with the form and its message."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask_babel import refresh

from tests.factories import client_id, make_user
from tests.game_support import MESSAGE, log, thank
from webapp.extensions import db
from webapp.insights import export
from webapp.kudos.services import KudosInput, give_kudos
from webapp.moments.services import MomentInput, log_moment
from webapp.recognition.services import RecognitionInput, recognize
from webapp.timeutil import local_date, utcnow

DANGEROUS = ['=HYPERLINK("http://x")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "＝1+1"]


def today(world) -> str:
    return local_date(utcnow(), world.org.timezone).isoformat()


def url(world, kind="moments", **extra) -> str:
    params = {"kind": kind, "first_day": today(world), "last_day": today(world), **extra}
    return "/manage/export.csv?" + "&".join(f"{k}={v}" for k, v in params.items())


def rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def say(author, team, text, cents=None):
    made, _ = log_moment(
        db.session,
        author,
        MomentInput(
            client_id=client_id(),
            team_id=team.id,
            cue=text,
            action="Did it",
            reaction="Smiled",
            value_ids=[world_value(author)],
            gesture_cost_cents=cents,
        ),
    )
    db.session.commit()
    return made


def world_value(author):
    return author.organisation.values[0].id


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_looks_like_a_formula_stays_text(text):
    assert export.safe_cell(text) == "'" + text
    assert export.safe_cell("Guest = happy") == "Guest = happy"
    assert export.safe_cell(42) == 42


def test_moments_as_a_spreadsheet_sees_them(client, auth, world):
    for text in DANGEROUS:
        say(world.staff, world.team, text)
    say(world.staff2, world.team, 'Guest said "ça va", then; left', cents=450)
    say(world.staff3, world.other_team, "Another team's moment")
    auth.login(world.manager.email)
    response = client.get(url(world, team_id=world.team.id))
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition
        == f'attachment; filename="kizuki-moments-front-desk-{today(world)}-{today(world)}.csv"'
    )
    table = rows(response)
    header, body = table[0], table[1:]
    assert header[:7] == ["Moment", "Logged at", "Team", "Author", "Noticed", "Did", "Reaction"]
    cues = [row[4] for row in body]
    assert cues[: len(DANGEROUS)] == ["'" + text for text in DANGEROUS]
    assert cues[-1] == 'Guest said "ça va", then; left'
    assert body[-1][header.index("Gesture cost")] == "4.50"
    assert "Another team's moment" not in cues


def test_the_export_is_streamed_in_batches(app, world, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 2)
    made = [say(world.staff, world.team, f"Moment {n}").id for n in range(5)]
    scope = export.ExportScope(
        "moments",
        [world.team.id],
        local_date(utcnow(), "Europe/Amsterdam"),
        local_date(utcnow(), "Europe/Amsterdam"),
        "Europe/Amsterdam",
    )
    with app.test_request_context():
        chunks = list(export.csv_lines(db.session, world.manager, scope))
    assert len(chunks) == 1 + 3  # the header, then batches of 2, 2 and 1
    body = list(csv.reader(io.StringIO("".join(chunks).lstrip("\ufeff"))))[1:]
    assert [int(row[0]) for row in body] == made


def test_kudos_include_private_ones_for_managers_and_only_the_teams(client, auth, world):
    give_kudos(
        db.session,
        world.staff2,
        KudosInput(client_id(), "@everyone thanks", [world.staff.id], private=True),
    )
    thank(world.staff, world.staff3)  # to another team
    thank(world.outsider, world.outsider_manager)
    db.session.commit()
    auth.login(world.manager.email)
    table = rows(client.get(url(world, "kudos")))
    assert table[0] == [
        "Kudos",
        "Given at",
        "Given by",
        "Received by",
        "Value",
        "Message",
        "Private",
        "Moment",
    ]
    assert [(r[2], r[3], r[5], r[6]) for r in table[1:]] == [
        (world.staff2.name, world.staff.name, "'@everyone thanks", "yes")
    ]


def test_recognitions_with_award_and_cited_moments_in_dutch(app, client, auth, world):
    # The test keeps one app context across requests: forget the language of the last one.
    app.before_request(refresh)
    cited = log(world.staff, world.team)
    recognize(
        db.session,
        world.manager,
        RecognitionInput(world.staff.id, MESSAGE, [cited.id], "golden_key"),
    )
    db.session.commit()
    world.manager.locale = "nl"
    db.session.commit()
    auth.login(world.manager.email)
    table = rows(client.get(url(world, "recognitions")))
    assert table[0][0] == "Erkenning"
    assert table[1][4:] == ["Gouden sleutel", MESSAGE, str(cited.id)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "secrets"}, "Choose one of the options."),
        ({"first_day": "yesterday"}, "Enter a date."),
        ({"last_day": "2001-01-01"}, "The last day cannot be before the first day."),
        ({"first_day": "2001-01-01"}, "Export at most two years at a time."),
        ({"team_id": "other-org"}, "Choose one of your teams."),
        ({"team_id": "99999999999"}, "Choose one of the options."),
    ],
)
def test_bad_choices_show_the_form_with_the_message(client, auth, world, params, message):
    if params.get("team_id") == "other-org":
        params = {"team_id": world.other_team_foreign.id}
    auth.login(world.manager.email)
    response = client.get(url(world, **{"kind": "moments", **params}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "<form" in html


def test_staff_cannot_export(client, auth, world):
    auth.login(world.staff.email)
    assert client.get(url(world)).status_code == 403


def test_a_lead_exports_only_the_teams_they_lead(client, auth, world):
    lead = make_user(db.session, world.org, "manager", world.other_team, "lead")
    db.session.commit()
    say(world.staff, world.team, "Front desk moment")
    say(world.staff3, world.other_team, "Restaurant moment")
    auth.login(lead.email)
    cues = [row[4] for row in rows(client.get(url(world)))[1:]]
    assert cues == ["Restaurant moment"]
    refused = client.get(url(world, team_id=world.team.id))
    assert refused.status_code == 422


def test_the_period_is_in_local_days(client, auth, world):
    say(world.staff, world.team, "Today")
    auth.login(world.manager.email)
    yesterday = (local_date(utcnow(), world.org.timezone) - timedelta(days=1)).isoformat()
    response = client.get(url(world, first_day=yesterday, last_day=yesterday))
    assert rows(response)[1:] == []
