"""The leaderboard feature."""

from flask import Blueprint

bp = Blueprint("leaderboard", __name__)

from webapp.leaderboard import views  # noqa: E402,F401
