"""Page forms of signing in and accepting an invite; the schemas in `schemas.py` validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField

from webapp.auth.schemas import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        render_kw={
            "autocomplete": "username",
            "inputmode": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
            "maxlength": EMAIL_MAX,
            "required": True,
        },
    )
    password = PasswordField(
        _l("Password"),
        render_kw={"autocomplete": "current-password", "maxlength": PASSWORD_MAX, "required": True},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


def new_password_field(label: str) -> PasswordField:
    """A field for choosing a password, with the rule spelled out under it."""
    return PasswordField(
        label,
        description=_l(
            "At least %(num)d characters. A few words that belong together are easy to "
            "remember and hard to guess.",
            num=PASSWORD_MIN,
        ),
        render_kw={
            "autocomplete": "new-password",
            "minlength": PASSWORD_MIN,
            "maxlength": PASSWORD_MAX,
            "required": True,
        },
    )


def confirm_password_field() -> PasswordField:
    """The chosen password typed a second time."""
    return PasswordField(
        _l("Type the password again"),
        render_kw={"autocomplete": "new-password", "maxlength": PASSWORD_MAX, "required": True},
    )


class InviteAcceptForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        description=_l("As your colleagues know you, for example Sanne de Vries."),
        render_kw={"autocomplete": "name", "maxlength": NAME_MAX, "required": True},
    )
    email = EmailField(
        _l("E-mail address"),
        description=_l("You sign in with it. No e-mail is sent to it."),
        render_kw={
            "autocomplete": "email",
            "inputmode": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
            "maxlength": EMAIL_MAX,
            "required": True,
        },
    )
    password = new_password_field(_l("Choose a password"))
    confirm = confirm_password_field()
