"""Page forms of the game layer; the schemas in `webapp/game/schemas.py` do the validating."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Optional

from webapp.forms import add_language_fields, language_text_field
from webapp.game.schemas import DESCRIPTION_MAX, GOAL_MAX, REASON_MAX, TITLE_MAX


class ReversalForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you reversing this?"),
        description=_l(
            "Kept in the audit log. The points are reversed; the entry is hidden but not deleted."
        ),
        render_kw={"rows": 3, "maxlength": REASON_MAX, "minlength": 5},
    )


class ChallengeForm(FlaskForm):
    team_id = SelectField(_l("Team"), choices=[])
    value_id = SelectField(
        _l("Value"),
        choices=[],
        validators=[Optional()],
        description=_l("Count only moments and kudos with this value, or leave empty for all."),
    )
    starts_on = DateField(_l("First day"))
    last_day = DateField(_l("Last day"))
    goal = IntegerField(
        _l("Team goal"),
        default=20,
        description=_l("Moments plus kudos the team reaches together."),
        render_kw={"min": 1, "max": GOAL_MAX, "inputmode": "numeric"},
    )


add_language_fields(
    ChallengeForm,
    "title",
    language_text_field(
        "Focus (%(language)s)",
        TITLE_MAX,
        description=_l('What the team practises together, e.g. "Notice returning guests".'),
    ),
)
add_language_fields(
    ChallengeForm,
    "description",
    language_text_field("Description (%(language)s)", DESCRIPTION_MAX, rows=3),
)
