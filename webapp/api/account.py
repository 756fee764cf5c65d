"""My personal data, as the page's download offers it."""

from __future__ import annotations

from typing import Any

from webapp.account.export import collect
from webapp.account.schemas import PersonalDataSchema
from webapp.api.auth import me, session_only
from webapp.api.common import Blueprint, document_errors
from webapp.extensions import db

blp = Blueprint(
    "api_account",
    __name__,
    url_prefix="/api/v1",
    description="Everything Kizuki holds about me.",
)


@blp.route("/me/export", methods=["GET"])
@session_only
@blp.response(200, PersonalDataSchema)
@document_errors(blp, 403)
def export() -> Any:
    """Everything Kizuki holds about me: profile, teams, moments, kudos, recognitions,
    points, badges, notifications, push subscriptions, API tokens and audit entries
    (session only: an integration's token cannot take it)."""
    return collect(db.session(), me())
