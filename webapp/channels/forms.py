"""The page form for connecting a channel; `ChannelSchema` validates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, URLField

from webapp.channels.schemas import URL_MAX


class ChannelForm(FlaskForm):
    kind = SelectField(_l("Service"), choices=[])
    name = StringField(
        _l("Name"),
        description=_l('How you will recognise it, e.g. "#front-desk in Slack".'),
        render_kw={"maxlength": 80, "autocomplete": "off"},
    )
    url = URLField(
        _l("Incoming webhook address"),
        description=_l(
            "Create an incoming webhook in Slack or a workflow webhook in Microsoft Teams and "
            "paste its https address here. It is kept secret: only admins see it."
        ),
        render_kw={"maxlength": URL_MAX, "autocomplete": "off", "inputmode": "url"},
    )
    post_recognitions = BooleanField(_l("Post recognitions of the team's people"), default=True)
    post_practices = BooleanField(_l("Post practices the team adopts"), default=True)
    post_digest = BooleanField(_l("Post the weekly digest"), default=True)
