"""Every API blueprint, in the order the documentation lists them."""

from __future__ import annotations

from flask_smorest import Blueprint

from webapp.api import (
    account,
    kudos,
    leaderboard,
    moments,
    notifications,
    orgs,
    recognitions,
    session,
)
from webapp.api.auth import authenticate_request, forget_token_user, reject_impossible_ids
from webapp.extensions import csrf

BLUEPRINTS: list[Blueprint] = [
    session.blp,
    moments.blp,
    kudos.blp,
    recognitions.blp,
    leaderboard.blp,
    orgs.blp,
    notifications.blp,
    account.blp,
]

for _blueprint in BLUEPRINTS:
    # Set up once at import (a blueprint cannot change after its first registration).
    # CSRF is checked by `authenticate_request`, which lets bearer-token requests through.
    csrf.exempt(_blueprint)
    _blueprint.before_request(authenticate_request)
    _blueprint.before_request(reject_impossible_ids)
    _blueprint.teardown_request(forget_token_user)
