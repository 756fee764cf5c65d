"""marshmallow schemas of recognitions, and the awards a manager may attach to one."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from webapp.schemas import InputSchema, ident, text

# Awards are a short, curated list configured in code: stored by key, shown translated.
AWARDS: dict[str, Any] = {
    "golden_key": _l("Golden key"),
    "guest_whisperer": _l("Guest whisperer"),
    "calm_captain": _l("Calm captain"),
    "eagle_eye": _l("Eagle eye"),
    "warm_welcome": _l("Warm welcome"),
}

MESSAGE_MIN = 20
MESSAGE_MAX = 2000
CITED_MAX = 20


def award_label(key: str | None) -> str:
    """The translated name of an award (unknown keys are shown as stored)."""
    if not key:
        return ""
    return str(AWARDS.get(key, key))


class RecognitionCreateSchema(InputSchema):
    """A manager's recognition: who, a specific message, cited moments, an optional award."""

    recipient_id = ident(required=True)
    message = text(MESSAGE_MAX, min_len=MESSAGE_MIN, required=True)
    moment_ids = fields.List(
        ident(),
        load_default=list,
        validate=validate.Length(
            max=CITED_MAX, error=_l("Cite at most %(high)d moments.", high=CITED_MAX)
        ),
    )
    award = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(list(AWARDS), error=_l("Choose one of the awards.")),
    )


class RecognitionSchema(Schema):
    """A recognition as shown to people (output only)."""

    id = fields.Integer(dump_only=True)
    recipient_id = fields.Integer(dump_only=True)
    recipient_name = fields.String(attribute="recipient.name", dump_only=True)
    manager_id = fields.Integer(dump_only=True)
    manager_name = fields.String(attribute="manager.name", dump_only=True)
    message = fields.String(dump_only=True)
    award = fields.String(dump_only=True, allow_none=True)
    award_label = fields.Function(lambda r: award_label(r.award) or None, dump_only=True)
    moment_ids = fields.Function(lambda r: [m.id for m in r.moments], dump_only=True)
    created_at = fields.DateTime(dump_only=True)
