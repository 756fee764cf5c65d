"""The JSON API under /api/v1 (flask-smorest), on the same services as the pages."""

from __future__ import annotations

from flask import Flask

from webapp.extensions import api


def register(app: Flask) -> None:
    """Bind the API, describe its errors, and register its blueprints."""
    from webapp.api import docs
    from webapp.api.common import register_error_responses
    from webapp.api.resources import BLUEPRINTS

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
    app.register_blueprint(docs.bp)
