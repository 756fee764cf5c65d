"""Moments: log (idempotent on `client_id`), list with filters, read, correct, delete."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError, validates_schema

from webapp.api.auth import me
from webapp.api.common import (
    Blueprint,
    PageArgsSchema,
    created_key,
    day_end_utc,
    day_start_utc,
    document_errors,
    page_of,
    page_schema,
)
from webapp.database import keeping_loaded
from webapp.extensions import db
from webapp.models import Moment
from webapp.moments import services as moments
from webapp.moments.access import own_moment, visible_moment
from webapp.moments.schemas import MomentCreateSchema, MomentSchema, MomentUpdateSchema
from webapp.schemas import day, ident
from webapp.timeutil import as_utc

blp = Blueprint(
    "api_moments",
    __name__,
    url_prefix="/api/v1",
    description="Moments: what a customer needed, what you did, how they reacted.",
)


class MomentListArgsSchema(PageArgsSchema):
    """Filters of the moment list; dates are days in the organisation's time zone."""

    team_id = ident(load_default=None)
    person_id = ident(load_default=None, metadata={"description": "Moments by this author."})
    value_id = ident(load_default=None)
    since = day(load_default=None, metadata={"description": "Logged on or after."})
    until = day(load_default=None, metadata={"description": "Logged on or before."})

    @validates_schema
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("Choose an end on or after the start."), "until")


@blp.route("/moments", methods=["GET"])
@blp.arguments(MomentListArgsSchema, location="query")
@blp.response(200, page_schema(MomentSchema, "MomentPage"))
@document_errors(blp, 422)
def list_moments(args: dict[str, Any]) -> dict[str, Any]:
    """The organisation's moments, newest first, filtered by team, person, value and dates."""
    user, limit = me(), args["limit"]
    tz = user.organisation.timezone
    before = args["cursor"]
    if args["until"] is not None:
        # `until` is a keyset bound too: everything logged before the next day begins.
        end = (day_end_utc(args["until"], tz), 0)
        before = end if before is None or end < before else before
    rows = moments.feed_page(
        db.session(),
        user.org_id,
        team_id=args["team_id"],
        author_id=args["person_id"],
        value_id=args["value_id"],
        before=before,
        limit=limit + 1,
    )
    if args["since"] is not None:
        # Newest first: once one row is older than `since`, so is every later one.
        start = day_start_utc(args["since"], tz)
        rows = [m for m in rows if as_utc(m.created_at) >= start]
    return page_of(rows, limit, created_key)


@blp.route("/moments", methods=["POST"])
@blp.arguments(MomentCreateSchema)
@blp.response(201, MomentSchema)
@blp.alt_response(
    200, schema=MomentSchema, description="Already logged with this client_id and this body."
)
@document_errors(blp, 400, 403, 404, 409, 422)
def log_moment(data: dict[str, Any]) -> Any:
    """Log a moment. Repeating a `client_id` with the same body returns the original with 200;
    with a different body it is refused with 409, naming `client_id`."""
    moment, created = moments.log_moment(db.session(), me(), _input(data))
    # The answer is the moment as just written: no statement per object to read it back.
    with keeping_loaded(db.session()):
        db.session.commit()
    return moment, 201 if created else 200


@blp.route("/moments/<int:moment_id>", methods=["GET"])
@blp.response(200, MomentSchema)
@document_errors(blp, 404)
def show_moment(moment_id: int) -> Moment:
    """One moment of my organisation (a reversed one only to its author and managers)."""
    return visible_moment(db.session(), me(), moment_id)


@blp.route("/moments/<int:moment_id>", methods=["PATCH"])
@blp.arguments(MomentUpdateSchema(partial=True))
@blp.response(200, MomentSchema)
@document_errors(blp, 400, 403, 404, 422)
def edit_moment(data: dict[str, Any], moment_id: int) -> Moment:
    """Correct my own moment: send only the fields that change."""
    moment = own_moment(db.session(), me(), moment_id)
    current = {
        "client_id": moment.client_id,
        "team_id": moment.team_id,
        "cue": moment.cue,
        "action": moment.action,
        "reaction": moment.reaction,
        "value_ids": [v.id for v in moment.values],
        "colleague_ids": [c.id for c in moment.colleagues],
        "gesture_cost_cents": moment.gesture_cost_cents,
        "gesture_note": moment.gesture_note,
    }
    changes = {k: v for k, v in data.items() if k != "occurred_at" or v is not None}
    edited = moments.edit_moment(db.session(), me(), moment, _input({**current, **changes}))
    db.session.commit()
    return edited


@blp.route("/moments/<int:moment_id>", methods=["DELETE"])
@blp.response(204)
@document_errors(blp, 400, 403, 404)
def delete_moment(moment_id: int) -> None:
    """Delete my own moment (its points are reversed in the ledger)."""
    moments.delete_moment(db.session(), me(), own_moment(db.session(), me(), moment_id))
    db.session.commit()


def _input(data: dict[str, Any]) -> moments.MomentInput:
    return moments.MomentInput(**{**data, "client_id": str(data["client_id"])})
