"""The manage feature."""

from flask import Blueprint

bp = Blueprint("manage", __name__)

from webapp.manage import views  # noqa: E402,F401
