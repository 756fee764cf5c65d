"""marshmallow schemas of signing in, accepting an invite, the password rule and API tokens."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from webapp.auth.tokens import SCOPES as TOKEN_SCOPES
from webapp.schemas import REQUIRED, InputSchema, text

PASSWORD_MIN = 10
PASSWORD_MAX = 200  # hashing very long input is a cheap way to burn a server's CPU
EMAIL_MAX = 254
NAME_MAX = 80

# The most common passwords of at least the minimum length (breach lists): refused outright.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "asdfghjkl;",
        "qwerty1234",
        "qwerty12345",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou12",
        "abcdefghij",
        "abc1234567",
        "1111111111",
        "0000000000",
        "9876543210",
        "letmein123",
        "welcome123",
        "welkom1234",
        "wachtwoord",
        "wachtwoord1",
        "wachtwoord123",
        "football123",
        "monkey1234",
        "dragon1234",
        "sunshine123",
        "princess123",
        "baseball123",
        "superman123",
        "trustno1234",
        "changeme123",
        "administrator",
        "adminadmin",
        "qazwsxedcrfv",
        "zaq12wsxcde",
        "kizuki1234",
        "kizuki-demo",
    }
)


def strong_password(value: str) -> None:
    """A marshmallow validator: long enough and not one of the most common passwords."""
    if len(value) < PASSWORD_MIN:
        raise ValidationError(_("Use at least %(num)d characters.", num=PASSWORD_MIN))
    if len(value) > PASSWORD_MAX:
        raise ValidationError(_("Use at most %(num)d characters.", num=PASSWORD_MAX))
    lowered = value.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) <= 2:
        raise ValidationError(
            _("This password is too easy to guess. Try a few words that belong together.")
        )


def email_field(**kwargs: Any) -> fields.String:
    """An e-mail address (trimmed; the service compares it in lower case)."""
    return fields.String(
        validate=[
            validate.Length(max=EMAIL_MAX, error=_l("Enter a shorter e-mail address.")),
            validate.Email(error=_l("Enter an e-mail address, such as name@example.com.")),
        ],
        error_messages={"required": REQUIRED, "null": REQUIRED},
        **kwargs,
    )


class LoginSchema(InputSchema):
    """The sign-in form (like every input, passwords are trimmed, here and when chosen)."""

    email = fields.String(
        required=True,
        validate=validate.Length(min=1, max=EMAIL_MAX, error=_l("Enter your e-mail address.")),
        error_messages={"required": REQUIRED, "null": REQUIRED},
    )
    password = fields.String(
        required=True,
        validate=validate.Length(min=1, max=PASSWORD_MAX, error=_l("Enter your password.")),
        error_messages={"required": REQUIRED, "null": REQUIRED},
    )
    remember = fields.Boolean(load_default=False)


class ChosenPasswordSchema(InputSchema):
    """A password being chosen, typed twice: long enough, not a common one, the same twice.
    Every form where someone picks a password (invite, reset, setup, sign-up) builds on it."""

    password = fields.String(
        required=True,
        load_only=True,
        validate=strong_password,
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": REQUIRED},
    )
    confirm = fields.String(
        required=True,
        load_only=True,
        error_messages={"required": REQUIRED, "null": REQUIRED, "invalid": REQUIRED},
    )

    @validates_schema
    def _same_password(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "password" in data and data.get("confirm") != data["password"]:
            raise ValidationError(_("The two passwords are not the same."), "confirm")


class InviteAcceptSchema(ChosenPasswordSchema):
    """Accepting an invite: the newcomer chooses a name, an e-mail and a password."""

    name = text(NAME_MAX, required=True)
    email = email_field(required=True)


class TokenCreateSchema(InputSchema):
    """A new personal API token: a name to recognise it by, and read or write scope."""

    name = text(80, required=True)
    scope = fields.String(
        load_default="read",
        validate=validate.OneOf(TOKEN_SCOPES, error=_l("Choose read or write.")),
    )


class TokenSchema(Schema):
    """A personal API token as listed (never the token itself)."""

    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    prefix = fields.String(dump_only=True)
    scope = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)


class TokenCreatedSchema(TokenSchema):
    """A token just created: `token` is shown this once and never again."""

    token = fields.String(dump_only=True)
