"""The kudos form; `KudosFormSchema` does the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Optional

from webapp.forms import MultiCheckboxField
from webapp.kudos.schemas import MESSAGE_MAX


class KudosForm(FlaskForm):
    client_id = HiddenField()
    moment_id = HiddenField()
    receiver_ids = MultiCheckboxField(_l("Who do you want to thank?"), choices=[], coerce=str)
    team_id = SelectField(_l("Or thank a whole team"), choices=[], validators=[Optional()])
    message = TextAreaField(
        _l("Your message"),
        render_kw={
            "rows": 3,
            "maxlength": MESSAGE_MAX,
            "required": True,
            "placeholder": _l("Thank you for… It made a difference because…"),
        },
    )
    value_id = SelectField(_l("Which value did they show?"), choices=[])
    private = BooleanField(
        _l("Private"),
        description=_l("Only you, the people you thank and their managers will see it."),
    )
