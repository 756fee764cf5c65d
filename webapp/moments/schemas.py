"""marshmallow schemas of moments: `MomentCreateSchema` loads, `MomentSchema` dumps.

The page form and the JSON API load through the same schema, so a rule lives in one place;
the page adds only `MomentFormSchema`, which reads the gesture cost as euros ("2,50").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, post_load

from webapp.moments.access import sees_gesture
from webapp.rules import MAX_GESTURE_CENTS
from webapp.schemas import InputSchema, RefSchema, client_id_field, id_list, ident, number, text

TEXT_MAX = 1000
GESTURE_NOTE_MAX = 140


class MomentCreateSchema(InputSchema):
    """Logging a moment: the customer's cue, what you did beyond the expected, the reaction."""

    client_id = client_id_field()
    team_id = ident(required=True)
    cue = text(TEXT_MAX, required=True)
    action = text(TEXT_MAX, required=True)
    reaction = text(TEXT_MAX, required=True)
    value_ids = id_list(
        "The organisation's values this moment shows (at least one).",
        required_message=_l("Choose at least one value."),
    )
    colleague_ids = id_list("Colleagues who were part of it.")
    gesture_cost_cents = number(0, MAX_GESTURE_CENTS, allow_none=True, load_default=None)
    gesture_note = text(GESTURE_NOTE_MAX, min_len=0, allow_none=True, load_default=None)
    occurred_at = fields.AwareDateTime(
        allow_none=True,
        load_default=None,
        default_timezone=None,
        error_messages={"invalid": _l("Enter a date and time."), "naive": _l("Add a time zone.")},
    )

    @post_load
    def _as_text_id(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        # Services store the client id as text; hand them exactly that.
        if "client_id" in data:
            data["client_id"] = str(data["client_id"])
        return data


class MomentUpdateSchema(MomentCreateSchema):
    """Correcting your own moment (the client id stays as it was)."""

    class Meta(InputSchema.Meta):
        exclude = ("client_id",)


# How an amount is read, as a phone keyboard types it: spaces and a euro sign anywhere are
# ignored, a decimal comma counts as a point, then plain digits with at most two decimals. The
# offline queue reads amounts by the same rule (readAmount in static/pwa/js/queue-core.js);
# tests/js/test_amounts_agree.py holds the two together.
AMOUNT_NOISE = re.compile(r"[\s\ufeff€]")
AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)


def euros_to_cents(value: Any) -> int:
    """Read an amount in euros as typed on a phone ("2,50", "2.50", "€ 3") into cents."""
    typed = AMOUNT_NOISE.sub("", str(value)).replace(",", ".")
    if not AMOUNT.fullmatch(typed):
        raise ValidationError(_("Enter an amount in euros, such as 2,50."))
    euros = Decimal(typed)
    if euros != euros.quantize(Decimal("0.01")):
        raise ValidationError(_("Enter an amount in euros, such as 2,50."))
    if not 0 <= euros <= MAX_GESTURE_CENTS / 100:
        raise ValidationError(
            _(
                "Enter an amount from %(low)d to %(high)d euros.",
                low=0,
                high=MAX_GESTURE_CENTS // 100,
            )
        )
    return int(euros * 100)


class MomentFormSchema(MomentCreateSchema):
    """The page's moment form: the gesture cost is typed in euros as `gesture_cost`."""

    class Meta(InputSchema.Meta):
        exclude = ("gesture_cost_cents",)

    gesture_cost = fields.Method(
        deserialize="_load_cost", allow_none=True, load_default=None, load_only=True
    )

    def _load_cost(self, value: Any) -> int | None:
        return None if value in (None, "") else euros_to_cents(value)

    @post_load
    def _as_cents(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["gesture_cost_cents"] = data.pop("gesture_cost", None)
        return data


def _gesture(moment: Any, name: str) -> Any:
    return getattr(moment, name) if sees_gesture(current_user, moment) else None


class MomentSchema(Schema):
    """A moment as people see it (output only). `kudos_count` is dumped when the caller
    has counted it (an attribute set on the moment), so a list costs one query."""

    id = fields.Integer(dump_only=True)
    client_id = fields.String(dump_only=True)
    team_id = fields.Integer(dump_only=True)
    team = fields.Nested(RefSchema, dump_only=True)
    team_name = fields.String(attribute="team.name", dump_only=True)
    author = fields.Nested(RefSchema, dump_only=True)
    cue = fields.String(dump_only=True)
    action = fields.String(dump_only=True)
    reaction = fields.String(dump_only=True)
    values = fields.List(fields.Nested(RefSchema), dump_only=True)
    colleagues = fields.List(fields.Nested(RefSchema), dump_only=True)
    gesture_cost_cents = fields.Function(
        lambda m: _gesture(m, "gesture_cost_cents"),
        dump_only=True,
        allow_none=True,
        metadata={"type": "integer", "description": "Shown to the author and managers."},
    )
    gesture_note = fields.Function(
        lambda m: _gesture(m, "gesture_note"),
        dump_only=True,
        allow_none=True,
        metadata={"type": "string", "description": "Shown to the author and managers."},
    )
    outside_hours = fields.Boolean(dump_only=True)
    delighted = fields.Boolean(dump_only=True)
    kudos_count = fields.Integer(dump_only=True)
    occurred_at = fields.DateTime(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True, allow_none=True)
