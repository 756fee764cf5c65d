"""Kudos: give (idempotent on `client_id`) and list what was received or given."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from webapp.api.auth import me
from webapp.api.common import (
    Blueprint,
    PageArgsSchema,
    created_key,
    document_errors,
    keyset_after,
    page_of,
    page_schema,
)
from webapp.database import keeping_loaded
from webapp.extensions import db
from webapp.kudos import services as kudos_services
from webapp.kudos.access import visible_kudos
from webapp.kudos.schemas import KudosCreateSchema, KudosSchema
from webapp.models import Kudos
from webapp.schemas import ident

blp = Blueprint(
    "api_kudos",
    __name__,
    url_prefix="/api/v1",
    description="Kudos between colleagues, within a weekly allowance.",
)

DIRECTIONS = ("received", "given")


class KudosListArgsSchema(PageArgsSchema):
    direction = fields.String(
        load_default=None,
        validate=validate.OneOf(DIRECTIONS, error=_l("Choose received or given.")),
        metadata={"description": "Received or given by `person_id` (default: me)."},
    )
    person_id = ident(load_default=None)


class KudosActionSchema(Schema):
    """One kudos action: one kudos per receiver, all with the same client id."""

    client_id = fields.String(required=True)
    kudos = fields.List(fields.Nested(KudosSchema), required=True)
    kudos_left = fields.Integer(required=True, metadata={"description": "Left this week."})


@blp.route("/kudos", methods=["GET"])
@blp.arguments(KudosListArgsSchema, location="query")
@blp.response(200, page_schema(KudosSchema, "KudosPage"))
@document_errors(blp, 422)
def list_kudos(args: dict[str, Any]) -> dict[str, Any]:
    """Kudos in my organisation, newest first; private ones only to those involved."""
    query = visible_kudos(me())
    person_id = args["person_id"] or me().id
    if args["direction"] == "received":
        query = query.where(Kudos.receiver_id == person_id)
    elif args["direction"] == "given":
        query = query.where(Kudos.giver_id == person_id)
    elif args["person_id"] is not None:
        query = query.where(or_(Kudos.receiver_id == person_id, Kudos.giver_id == person_id))
    query = keyset_after(query, Kudos.created_at, Kudos.id, args["cursor"]).options(
        # Many-to-one, one row per kudos: joined into the page's statement.
        joinedload(Kudos.giver, innerjoin=True),
        joinedload(Kudos.receiver, innerjoin=True),
        joinedload(Kudos.value),
    )
    rows = list(db.session.scalars(query.limit(args["limit"] + 1)))
    return page_of(rows, args["limit"], created_key)


@blp.route("/kudos", methods=["POST"])
@blp.arguments(KudosCreateSchema)
@blp.response(201, KudosActionSchema)
@blp.alt_response(
    200, schema=KudosActionSchema, description="Already given with this client_id and this body."
)
@document_errors(blp, 400, 403, 404, 409, 422)
def give_kudos(data: dict[str, Any]) -> Any:
    """Give kudos (one of this week's allowance). Repeating a `client_id` with the same body
    returns the original with 200; with a different body it is refused with 409, naming
    `client_id`."""
    giver = me()
    made, created = kudos_services.give_kudos(
        db.session(),
        giver,
        kudos_services.KudosInput(**{**data, "client_id": str(data["client_id"])}),
    )
    # The answer is the kudos as just written: no statement per object to read it back.
    with keeping_loaded(db.session()):
        db.session.commit()
    body = {
        "client_id": str(data["client_id"]),
        "kudos": made,
        "kudos_left": kudos_services.allowance_left(db.session(), giver),
    }
    return body, 201 if created else 200
