"""The moment form: made to be completed in under 30 seconds, one-handed, on a phone.
`MomentFormSchema` does the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from webapp.forms import MultiCheckboxField
from webapp.moments.schemas import GESTURE_NOTE_MAX, TEXT_MAX


def _story(label: str, placeholder: str) -> TextAreaField:
    return TextAreaField(
        label,
        render_kw={
            "rows": 2,
            "maxlength": TEXT_MAX,
            "required": True,
            "placeholder": placeholder,
            "autocapitalize": "sentences",
        },
    )


class MomentForm(FlaskForm):
    client_id = HiddenField()
    cue = _story(_l("Noticed"), _l("What did you notice? For example: a guest shivering"))
    action = _story(_l("Did"), _l("What did you do beyond the expected?"))
    reaction = _story(_l("Reaction"), _l("How did the customer react?"))
    value_ids = MultiCheckboxField(_l("Values"), choices=[], coerce=str)
    team_id = SelectField(_l("Team"), choices=[])
    colleague_ids = MultiCheckboxField(
        _l("Colleagues involved"), choices=[], coerce=str, validators=[Optional()]
    )
    gesture_cost = StringField(
        _l("Gesture cost in euros"),
        validators=[Optional()],
        render_kw={"inputmode": "decimal", "placeholder": "2,50", "autocomplete": "off"},
    )
    gesture_note = StringField(
        _l("What was the gesture?"),
        validators=[Optional()],
        render_kw={
            "maxlength": GESTURE_NOTE_MAX,
            "placeholder": _l("For example: a coffee, a small gift"),
        },
    )
