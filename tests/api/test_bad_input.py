"""Bad input is a clear 4xx naming what is wrong, never a server error (issue 9, §5).

One table: ids beyond the database's range in query strings and cursors, a day the
calendar cannot go past, a JSON body nested absurdly deep, and a lone surrogate in JSON
text, on pages and on the API (also before signing in). Each row gave a 500 before; on
PostgreSQL ids beyond 32 bits, on SQLite ids beyond 64 bits.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import ApiClient
from tests.conftest import Auth
from tests.factories import World

HUGE_IDS = (99999999999, 10**20)


def cursor(object_id: int) -> str:
    raw = f"2026-01-01T00:00:00+00:00|{object_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def deep_json(depth: int) -> str:
    return '{"description": ' + "[" * depth + "]" * depth + "}"


LONE_SURROGATE_MOMENT = '{"client_id": "3f1c8f0e-8d2b-4c53-9f1e-0b7e9a3e1c11", "cue": "\\ud800"}'
LONE_SURROGATE_SIGN_IN = '{"email": "\\ud800@example.com", "password": "x"}'


@dataclass(frozen=True)
class Case:
    """One bad request: where it goes, what it carries and the parameter it must name."""

    name: str
    method: str
    url: str
    parameter: str
    body: str | None = None
    signed_in: bool = True

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")


def cases() -> list[Case]:
    rows = []
    for huge in HUGE_IDS:
        rows += [
            Case(f"feed team {huge}", "GET", f"/?team={huge}", "team"),
            Case(f"feed value {huge}", "GET", f"/?value={huge}", "value"),
            Case(
                f"feed before {huge}",
                "GET",
                f"/?before=2026-01-01T00:00:00.000000Z,{huge}",
                "before",
            ),
            Case(f"kudos form moment {huge}", "GET", f"/kudos/new?moment={huge}", "moment"),
        ]
        for resource in ("moments", "kudos", "recognitions", "notifications"):
            rows.append(
                Case(
                    f"{resource} cursor {huge}",
                    "GET",
                    f"/api/v1/{resource}?cursor={cursor(huge)}",
                    "cursor",
                )
            )
    rows += [
        Case("moments until the end of time", "GET", "/api/v1/moments?until=9999-12-31", "until"),
        Case("moments since the end of time", "GET", "/api/v1/moments?since=9999-12-31", "since"),
        # Too deep for any parser to reach the field: the body as a whole is named.
        Case("json nested 100000 deep", "POST", "/api/v1/moments", "body", deep_json(100_000)),
        Case("json nested 500 deep", "POST", "/api/v1/moments", "description", deep_json(500)),
        Case("lone surrogate in a moment", "POST", "/api/v1/moments", "cue", LONE_SURROGATE_MOMENT),
        Case(
            "lone surrogate when signing in",
            "POST",
            "/api/v1/session",
            "email",
            LONE_SURROGATE_SIGN_IN,
            signed_in=False,
        ),
    ]
    return rows


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.name)
def test_bad_input_is_a_4xx_naming_the_parameter(
    client: FlaskClient, auth: Auth, api: ApiClient, world: World, case: Case
) -> None:
    headers = {}
    if case.signed_in and case.is_api:
        api.sign_in(world.staff)
        headers = api.headers()
    elif case.signed_in:
        auth.login(world.staff.email)
    if case.body is not None:
        headers["Content-Type"] = "application/json"
    response = client.open(case.url, method=case.method, data=case.body, headers=headers)

    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    if case.is_api:
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert case.parameter in problem.get("errors", {}), problem
    else:
        assert case.parameter in response.get_data(as_text=True)


def test_sane_values_still_work(client: FlaskClient, auth: Auth, world: World) -> None:
    """The guards refuse only what cannot be: ordinary filters and bodies pass."""
    auth.login(world.staff.email)
    assert client.get(f"/?team={world.team.id}").status_code == 200
    response = client.post(
        "/api/v1/session",
        data=json.dumps({"email": "nobody\U0001f600@example.com", "password": "x"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 422)  # a real astral character is just text


# "²" and "٣" are digits to `str.isdigit`, yet `int("²")` fails (a 500 before) and
# `int("٣")` reads 3: an id is written with 0-9 only.
@pytest.mark.parametrize(
    "url",
    [
        "/?team=²",
        "/?value=²",
        "/?before=2026-01-01T00:00:00.000000Z,²",
        "/kudos/new?moment=²",
        "/kudos/new?to=²",
        "/kudos/new?to=٣",
    ],
)
def test_digits_beyond_0_to_9_name_no_id(
    client: FlaskClient, auth: Auth, world: World, url: str
) -> None:
    auth.login(world.staff.email)
    assert client.get(url).status_code < 500


# Python refuses to read a number of over 4,300 digits: a posted id that long was a 500.
@pytest.mark.parametrize(
    ("role", "url", "field"),
    [
        ("staff", "/moments/new", "colleague_ids"),
        ("staff", "/kudos/new", "receiver_ids"),
        ("manager", "/manage/recognize", "recipient_id"),
    ],
)
def test_a_posted_id_of_thousands_of_digits_is_refused_not_a_500(
    client: FlaskClient, auth: Auth, world: World, role: str, url: str, field: str
) -> None:
    auth.login(world.by_role(role).email)
    response = client.post(url, data={"cue": "A cue", "message": "Thanks", field: "1" * 4301})
    assert 400 <= response.status_code < 500


def test_a_posted_colleague_written_in_other_digits_is_refused(
    client: FlaskClient, auth: Auth, world: World
) -> None:
    auth.login(world.staff.email)
    response = client.post("/moments/new", data={"cue": "A cue", "colleague_ids": ["²"]})
    assert response.status_code == 422
