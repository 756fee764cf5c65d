"""Page forms of the account pages; the schemas in `schemas.py` do the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField

from webapp.auth.forms import new_password_field
from webapp.auth.schemas import EMAIL_MAX, PASSWORD_MAX
from webapp.forms import options

TOKEN_NAME_MAX = 80
SCOPE_LABELS = {"read": _l("Read only"), "write": _l("Read and write")}


def _again() -> PasswordField:
    return PasswordField(
        _l("Type the new password again"),
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX, "required": True},
    )


def _current(label: str) -> PasswordField:
    return PasswordField(
        label,
        render_kw={"autocomplete": "current-password", "maxlength": PASSWORD_MAX, "required": True},
    )


class NewPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = _again()


class PasswordChangeForm(FlaskForm):
    current_password = _current(_l("Current password"))
    password = new_password_field(_l("New password"))
    confirm = _again()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        description=_l("The address you sign in with."),
        render_kw={
            "autocomplete": "username",
            "inputmode": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
            "maxlength": EMAIL_MAX,
            "required": True,
        },
    )


class DeleteAccountForm(FlaskForm):
    password = _current(_l("Your password"))


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("So you can tell your tokens apart, e.g. Till at the front desk."),
        render_kw={"maxlength": TOKEN_NAME_MAX, "autocomplete": "off", "required": True},
    )
    scope = RadioField(
        _l("Access"),
        choices=options(SCOPE_LABELS),
        default="read",
        description=_l("Read only is enough for showing figures; writing can log moments."),
    )


class ConfirmForm(FlaskForm):
    """Just the CSRF token, for one-button forms."""
