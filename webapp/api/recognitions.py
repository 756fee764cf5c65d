"""Recognitions: managers acknowledge a contributor, specifically and personally."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.api.auth import me, require_role
from webapp.api.common import (
    Blueprint,
    PageArgsSchema,
    created_key,
    document_errors,
    keyset_after,
    page_of,
    page_schema,
)
from webapp.channels.delivery import send_staged
from webapp.extensions import db
from webapp.manage.services import give_recognition
from webapp.models import Recognition
from webapp.recognition.schemas import RecognitionCreateSchema, RecognitionSchema
from webapp.recognition.services import RecognitionInput
from webapp.schemas import ident

blp = Blueprint(
    "api_recognitions",
    __name__,
    url_prefix="/api/v1",
    description="Managers' recognitions of contributors.",
)


class RecognitionListArgsSchema(PageArgsSchema):
    person_id = ident(load_default=None, metadata={"description": "Only those for this person."})


@blp.route("/recognitions", methods=["GET"])
@blp.arguments(RecognitionListArgsSchema, location="query")
@blp.response(200, page_schema(RecognitionSchema, "RecognitionPage"))
@document_errors(blp, 422)
def list_recognitions(args: dict[str, Any]) -> dict[str, Any]:
    """Recognitions in my organisation, newest first."""
    query = select(Recognition).where(Recognition.org_id == me().org_id)
    if args["person_id"] is not None:
        query = query.where(Recognition.recipient_id == args["person_id"])
    query = keyset_after(query, Recognition.created_at, Recognition.id, args["cursor"])
    query = query.options(
        selectinload(Recognition.moments),
        selectinload(Recognition.manager),
        selectinload(Recognition.recipient),
    )
    rows = list(db.session.scalars(query.limit(args["limit"] + 1)))
    return page_of(rows, args["limit"], created_key)


@blp.route("/recognitions", methods=["POST"])
@blp.arguments(RecognitionCreateSchema)
@blp.response(201, RecognitionSchema)
@document_errors(blp, 400, 403, 404, 422)
def create_recognition(data: dict[str, Any]) -> Recognition:
    """Managers: recognize a colleague, citing their moments (they are notified)."""
    require_role("manager")
    recognition = give_recognition(db.session(), me(), RecognitionInput(**data))
    db.session.commit()
    send_staged(db.session())
    return recognition
