"""Page forms of starting an organisation; the schemas in `schemas.py` validate."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from webapp.auth.forms import confirm_password_field, new_password_field
from webapp.auth.schemas import EMAIL_MAX, NAME_MAX
from webapp.forms import options
from webapp.labels import LOCALE_LABELS, currency_labels
from webapp.setup.starters import SECTOR_LABELS


class OrganisationStartForm(FlaskForm):
    name = StringField(
        _l("Organisation name"),
        description=_l("As your people know it, e.g. Hotel de Linde."),
        render_kw={"maxlength": 120, "autocomplete": "organization", "required": True},
    )
    default_locale = SelectField(_l("Language"), choices=options(LOCALE_LABELS), default="en")
    timezone = StringField(
        _l("Time zone"),
        default="Europe/Amsterdam",
        description=_l("Type to search, e.g. Amsterdam or London. Weeks are counted in it."),
        render_kw={
            "list": "timezones",
            "autocomplete": "off",
            "maxlength": 64,
            "required": True,
            "data-browser-timezone": "",
        },
    )
    currency = SelectField(_l("Currency"), choices=[], default="EUR")
    admin_name = StringField(
        _l("Your name"),
        description=_l("You become the first admin."),
        render_kw={"autocomplete": "name", "maxlength": NAME_MAX, "required": True},
    )
    admin_email = EmailField(
        _l("Your e-mail address"),
        description=_l("You sign in with it."),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency.choices = options(currency_labels())


class GuidedStartForm(FlaskForm):
    sector = RadioField(
        _l("Start with values for"),
        choices=options(SECTOR_LABELS, _l("No starter values: I write my own")),
        default="",
        validators=[Optional()],
    )
    teams = TextAreaField(
        _l("Teams"),
        validators=[Optional()],
        description=_l("One team per line, e.g. Front desk. You can add more later."),
        render_kw={"rows": 4, "maxlength": 3000},
    )
