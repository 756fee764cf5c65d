"""The marshmallow schemas of moments, kudos and sign-in, without HTTP."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from marshmallow import ValidationError

from webapp.auth.schemas import InviteAcceptSchema, LoginSchema, strong_password
from webapp.extensions import db
from webapp.kudos.schemas import KudosCreateSchema, KudosFormSchema, KudosSchema
from webapp.moments.schemas import (
    MomentCreateSchema,
    MomentFormSchema,
    MomentSchema,
    MomentUpdateSchema,
    euros_to_cents,
)
from webapp.moments.services import MomentInput, log_moment

CLIENT_ID = "6f1c2f7e-5d7b-4b8a-9a57-2b1f1d5b6a11"


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def moment_data(**overrides):
    data = {
        "client_id": CLIENT_ID,
        "team_id": "3",
        "cue": "  A guest shivering  ",
        "action": "Brought a blanket",
        "reaction": "Warm thanks",
        "value_ids": ["1", 2],
    }
    data.update(overrides)
    return data


def errors(schema, data):
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


def test_moment_create_loads_clean_values():
    loaded = MomentCreateSchema().load(moment_data(gesture_cost_cents="250"))
    assert loaded["client_id"] == CLIENT_ID and isinstance(loaded["client_id"], str)
    assert loaded["team_id"] == 3 and loaded["value_ids"] == [1, 2]
    assert loaded["cue"] == "A guest shivering"
    assert loaded["colleague_ids"] == [] and loaded["gesture_cost_cents"] == 250
    assert loaded["occurred_at"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"client_id": "nope"}, "client_id"),
        ({"team_id": "x"}, "team_id"),
        ({"cue": ""}, "cue"),
        ({"reaction": "r" * 1001}, "reaction"),
        ({"value_ids": []}, "value_ids"),
        ({"value_ids": ["a"]}, "value_ids"),
        ({"colleague_ids": [0]}, "colleague_ids"),
        ({"gesture_cost_cents": 100_001}, "gesture_cost_cents"),
        ({"gesture_cost_cents": -1}, "gesture_cost_cents"),
        ({"gesture_note": "n" * 141}, "gesture_note"),
        ({"occurred_at": "2024-05-01T10:00:00"}, "occurred_at"),
    ],
)
def test_moment_create_rejects(overrides, field):
    assert field in errors(MomentCreateSchema(), moment_data(**overrides))


def test_moment_update_has_no_client_id():
    loaded = MomentUpdateSchema(partial=True).load({"cue": "Better"})
    assert loaded == {"cue": "Better"}


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("2,50", 250), ("2.50", 250), ("€ 3", 300), ("0", 0), ("1000", 100_000), (" 7,5 ", 750)],
)
def test_euros_to_cents(typed, cents):
    assert euros_to_cents(typed) == cents


@pytest.mark.parametrize("typed", ["abc", "-1", "1000.01", "2,505", "NaN", "Infinity", "1e9"])
def test_euros_to_cents_rejects(typed):
    with pytest.raises(ValidationError):
        euros_to_cents(typed)


def test_moment_form_reads_euros():
    loaded = MomentFormSchema().load(moment_data(gesture_cost="2,50"))
    assert loaded["gesture_cost_cents"] == 250 and "gesture_cost" not in loaded
    blank = MomentFormSchema().load(moment_data(gesture_cost=""))
    assert blank["gesture_cost_cents"] is None
    assert "gesture_cost" in errors(MomentFormSchema(), moment_data(gesture_cost="abc"))


def test_moment_dump_shape(world):
    moment, _ = log_moment(
        db.session,
        world.staff,
        MomentInput(
            client_id=str(uuid.uuid4()),
            team_id=world.team.id,
            cue="c",
            action="a",
            reaction="r",
            value_ids=[world.values[0].id],
        ),
    )
    dumped = MomentSchema().dump(moment)
    assert dumped["author"] == {"id": world.staff.id, "name": world.staff.name}
    assert dumped["team"] == {"id": world.team.id, "name": "Front desk"}
    assert dumped["values"] == [{"id": world.values[0].id, "name": "Anticipate"}]
    assert "kudos_count" not in dumped
    moment.kudos_count = 3  # type: ignore[attr-defined]
    assert MomentSchema().dump(moment)["kudos_count"] == 3


def test_kudos_create_and_form_schemas():
    loaded = KudosCreateSchema().load(
        {"client_id": CLIENT_ID, "message": " Thanks ", "receiver_ids": ["4"], "private": "y"}
    )
    assert loaded["message"] == "Thanks" and loaded["receiver_ids"] == [4]
    assert loaded["private"] is True and loaded["value_id"] is None
    assert "value_id" in errors(KudosFormSchema(), {"client_id": CLIENT_ID, "message": "Hi"})
    assert "message" in errors(KudosCreateSchema(), {"client_id": CLIENT_ID, "message": "x" * 281})
    assert set(KudosSchema().fields) >= {"giver", "receiver", "message", "private", "value"}


@pytest.mark.parametrize(
    "password", ["short", "password123", "PASSWORD123", "1234567890", "zzzzzzzzzzzz", "x" * 201]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        strong_password(password)


def test_a_good_password_passes():
    strong_password("lantern harbour breakfast")


def test_invite_schema_checks_the_confirmation():
    data = {"name": "Kim", "email": "kim@example.test", "password": "lantern harbour"}
    assert "confirm" in errors(InviteAcceptSchema(), {**data, "confirm": "other"})
    loaded = InviteAcceptSchema().load({**data, "confirm": "lantern harbour"})
    assert loaded["email"] == "kim@example.test"


def test_login_schema_defaults():
    loaded = LoginSchema().load({"email": "a@b.test", "password": "secret"})
    assert loaded["remember"] is False


def test_decimal_sanity():
    # The cents conversion is exact: no float rounding on amounts like 0.29.
    assert euros_to_cents("0,29") == 29 and Decimal("0.29") * 100 == 29
