"""Signing in and out, the signed-in person, and their personal API tokens."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from marshmallow import Schema, fields

from webapp.api.auth import me, public, session_only
from webapp.api.common import (
    Blueprint,
    PageArgsSchema,
    document_errors,
    page_in_memory,
    page_schema,
)
from webapp.auth import sessions, throttle, tokens
from webapp.auth.schemas import LoginSchema, TokenCreatedSchema, TokenCreateSchema, TokenSchema
from webapp.auth.services import authenticate
from webapp.extensions import db, limiter
from webapp.kudos.services import allowance_left
from webapp.security import no_store

blp = Blueprint(
    "api_session",
    __name__,
    url_prefix="/api/v1",
    description="Signing in and out, who I am, and my personal API tokens.",
)


def _login_limit() -> str:
    return str(current_app.config.get("RATELIMIT_LOGIN", "10 per minute"))


class MembershipRefSchema(Schema):
    id = fields.Integer(attribute="team.id", dump_only=True)
    name = fields.String(attribute="team.name", dump_only=True)
    role = fields.String(dump_only=True)


class MeSchema(Schema):
    """The signed-in person."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    role = fields.String(dump_only=True, metadata={"enum": ["staff", "manager", "admin"]})
    locale = fields.String(dump_only=True, allow_none=True)
    org_id = fields.Integer(dump_only=True)
    org_name = fields.String(attribute="organisation.name", dump_only=True)
    teams = fields.List(fields.Nested(MembershipRefSchema), attribute="memberships")
    hide_from_boards = fields.Boolean(dump_only=True)
    kudos_left = fields.Function(lambda user: allowance_left(db.session(), user))


class SignedInSchema(Schema):
    """The person who signed in, and the CSRF token their cookie requests must send."""

    user = fields.Nested(MeSchema, required=True)
    csrf_token = fields.String(
        required=True, metadata={"description": "Send as the X-CSRFToken header."}
    )


# Session ------------------------------------------------------------------------------------


@blp.route("/session", methods=["POST"])
@public
@limiter.limit(_login_limit)
@limiter.shared_limit(
    throttle.account_limit,
    scope="sign-in-account",
    key_func=throttle.account_key,
    deduct_when=throttle.failed,
)
@blp.arguments(LoginSchema)
@blp.response(200, SignedInSchema)
@document_errors(blp, 422, 429)
def sign_in(data: dict[str, Any]) -> dict[str, Any]:
    """Sign in with email and password: sets the session cookie."""
    user = authenticate(db.session(), data["email"], data["password"])
    if user is None:
        abort(401, description=_("The email or password is not right."))
    sessions.sign_in(db.session(), user)
    db.session.commit()
    return {"user": user, "csrf_token": generate_csrf()}


@blp.route("/session", methods=["GET"])
@blp.response(200, SignedInSchema)
@document_errors(blp)
def show_session() -> dict[str, Any]:
    """Who the session cookie signs in, and a current CSRF token for it: the offline queue
    asks before it sends, so an entry never goes out under someone else's name or with a
    token that expired while it waited."""
    return {"user": me(), "csrf_token": generate_csrf()}


@blp.route("/session", methods=["DELETE"])
@blp.response(204)
@document_errors(blp, 400)
def sign_out() -> None:
    """Sign out: ends the session (on the server too: the cookie stops working)."""
    sessions.sign_out(db.session())
    db.session.commit()


@blp.route("/me", methods=["GET"])
@blp.response(200, MeSchema)
@document_errors(blp)
def show_me() -> Any:
    """The signed-in person, their teams and the kudos they may still give this week."""
    return me()


# Personal API tokens ---------------------------------------------------------------------------


@blp.route("/tokens", methods=["GET"])
@session_only
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(TokenSchema, "TokenPage"))
@document_errors(blp, 403, 422)
def list_tokens(args: dict[str, Any]) -> dict[str, Any]:
    """My tokens that still work, newest first (session only)."""
    return page_in_memory(tokens.tokens_of(db.session(), me()), args["cursor"], args["limit"])


@blp.route("/tokens", methods=["POST"])
@session_only
@limiter.limit(_login_limit)
@blp.arguments(TokenCreateSchema)
@blp.response(201, TokenCreatedSchema)
@document_errors(blp, 400, 403, 409, 422, 429)
def create_token(data: dict[str, Any]) -> Any:
    """Create a token; the response carries the token itself, shown only this once."""
    token, raw = tokens.create_token(db.session(), me(), data["name"], data["scope"])
    db.session.commit()
    no_store()
    shown = {name: getattr(token, name) for name in TokenSchema().fields}
    return {**shown, "token": raw}


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@session_only
@blp.response(204)
@document_errors(blp, 400, 403, 404)
def revoke_token(token_id: int) -> None:
    """Revoke one of my tokens: it stops working at once."""
    tokens.revoke_token(db.session(), me(), token_id)
    db.session.commit()
