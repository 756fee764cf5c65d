"""The moments feature."""

from flask import Blueprint

bp = Blueprint("moments", __name__)

from webapp.moments import views  # noqa: E402,F401
