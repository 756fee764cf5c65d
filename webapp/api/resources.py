"""Every API blueprint, in the order the documentation lists them, and their registration."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Blueprint

from webapp.api import (
    account,
    kudos,
    leaderboard,
    moments,
    notifications,
    orgs,
    practices,
    recognitions,
    session,
)
from webapp.api.auth import authenticate_request, forget_token_user
from webapp.api.common import register_error_responses
from webapp.api.docs import bp as docs_bp
from webapp.extensions import api, csrf
from webapp.routing import reject_impossible_ids

BLUEPRINTS: list[Blueprint] = [
    session.blp,
    moments.blp,
    kudos.blp,
    recognitions.blp,
    practices.blp,
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


def register(app: Flask) -> None:
    """Bind the API, describe its errors, and register its blueprints."""
    api.init_app(app)
    register_error_responses(api)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token."}
    )
    api.spec.components.security_scheme(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_bp)
