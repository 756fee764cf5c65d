"""marshmallow schema of a channel an admin connects."""

from __future__ import annotations

from marshmallow import fields

from webapp.models import CHANNEL_KINDS
from webapp.schemas import InputSchema, choice, text

URL_MAX = 2048


class ChannelSchema(InputSchema):
    """Which service, a name to recognise it by, its incoming-webhook address, and what
    it should hear."""

    kind = choice(CHANNEL_KINDS, required=True)
    name = text(80, min_len=1, required=True)
    url = text(URL_MAX, min_len=9, required=True)
    post_recognitions = fields.Boolean(load_default=False)
    post_practices = fields.Boolean(load_default=False)
    post_digest = fields.Boolean(load_default=False)
