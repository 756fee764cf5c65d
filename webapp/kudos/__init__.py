"""The kudos feature."""

from flask import Blueprint

bp = Blueprint("kudos", __name__)

from webapp.kudos import views  # noqa: E402,F401
