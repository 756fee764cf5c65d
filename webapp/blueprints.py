"""The page blueprints and the JSON API, registered by `create_app`."""

from __future__ import annotations

from flask import Blueprint, Flask

# Route modules that add pages to another module's blueprint are imported for that effect.
from webapp.account import recovery  # noqa: F401  (adds password recovery to `account`)
from webapp.account.views import bp as account_bp
from webapp.admin import pages as admin_pages  # noqa: F401  (adds people import to `admin`)
from webapp.admin.views import bp as admin_bp
from webapp.api.resources import register as register_json_api
from webapp.auth.views import bp as auth_bp
from webapp.channels.views import bp as channels_bp
from webapp.digest.views import bp as digest_bp
from webapp.game import pages  # noqa: F401  (adds challenges and seasons to `game`)
from webapp.game.views import bp as game_bp
from webapp.health.views import bp as health_bp
from webapp.insights.views import bp as insights_bp
from webapp.kiosk.views import bp as kiosk_bp
from webapp.kudos.views import bp as kudos_bp
from webapp.leaderboard.views import bp as leaderboard_bp
from webapp.manage.views import bp as manage_bp
from webapp.moments.views import bp as moments_bp
from webapp.practices.views import bp as practices_bp
from webapp.profile.views import bp as profile_bp
from webapp.pwa.views import bp as pwa_bp
from webapp.setup.views import bp as setup_bp

BLUEPRINTS: list[Blueprint] = [
    auth_bp,
    moments_bp,
    kudos_bp,
    leaderboard_bp,
    profile_bp,
    game_bp,
    manage_bp,
    insights_bp,
    practices_bp,
    digest_bp,
    channels_bp,
    admin_bp,
    account_bp,
    kiosk_bp,
    pwa_bp,
    health_bp,
    setup_bp,
]


def register_api(app: Flask) -> None:
    """Register the JSON API (flask-smorest) under /api/v1."""
    register_json_api(app)
