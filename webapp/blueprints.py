"""The page blueprints and the JSON API, registered by `create_app`."""

from __future__ import annotations

from flask import Blueprint, Flask

from webapp.account import bp as account_bp
from webapp.admin import bp as admin_bp
from webapp.auth import bp as auth_bp
from webapp.game import bp as game_bp
from webapp.kudos import bp as kudos_bp
from webapp.leaderboard import bp as leaderboard_bp
from webapp.manage import bp as manage_bp
from webapp.moments import bp as moments_bp
from webapp.profile import bp as profile_bp
from webapp.pwa import bp as pwa_bp

BLUEPRINTS: list[Blueprint] = [
    auth_bp,
    moments_bp,
    kudos_bp,
    leaderboard_bp,
    profile_bp,
    game_bp,
    manage_bp,
    admin_bp,
    account_bp,
    pwa_bp,
]


def register_api(app: Flask) -> None:
    """Register the JSON API (flask-smorest) under /api/v1."""
    from webapp.api import register

    register(app)
