"""The profile feature."""

from flask import Blueprint

bp = Blueprint("profile", __name__)

from webapp.profile import views  # noqa: E402,F401
