"""marshmallow schemas of kudos: `KudosCreateSchema` loads, `KudosSchema` dumps."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load

from webapp.schemas import InputSchema, RefSchema, client_id_field, id_list, ident, text

MESSAGE_MAX = 280


class KudosCreateSchema(InputSchema):
    """Kudos to one colleague, several, or a whole team; optionally about a moment."""

    client_id = client_id_field()
    message = text(MESSAGE_MAX, required=True)
    receiver_ids = id_list("The colleagues to thank.")
    team_id = ident(allow_none=True, load_default=None)
    moment_id = ident(allow_none=True, load_default=None)
    value_id = ident(allow_none=True, load_default=None)
    private = fields.Boolean(
        load_default=False,
        metadata={"description": "Seen only by giver, receiver and managers."},
    )

    @post_load
    def _as_text_id(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["client_id"] = str(data["client_id"])
        return data


class KudosFormSchema(KudosCreateSchema):
    """The page's kudos form, where naming a value is part of saying thank you."""

    value_id = ident(required=True)


class KudosSchema(Schema):
    """One kudos, from one person to another (output only)."""

    id = fields.Integer(dump_only=True)
    client_id = fields.String(dump_only=True)
    giver = fields.Nested(RefSchema, dump_only=True)
    receiver = fields.Nested(RefSchema, dump_only=True)
    moment_id = fields.Integer(dump_only=True, allow_none=True)
    value = fields.Nested(RefSchema, dump_only=True, allow_none=True)
    message = fields.String(dump_only=True)
    private = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
