"""Page forms of practices; the schemas in `webapp/practices/schemas.py` do the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from webapp.practices.schemas import TITLE_MAX


class AdoptForm(FlaskForm):
    title = StringField(
        _l("A short title for the practice"),
        description=_l('How the team will say it, e.g. "An umbrella at the door when it rains".'),
        render_kw={"maxlength": TITLE_MAX, "autocomplete": "off"},
    )


class LinkForm(FlaskForm):
    practice_id = SelectField(_l("This moment repeats a practice"), choices=[])
