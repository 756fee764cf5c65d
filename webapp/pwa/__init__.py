"""The installable app: web app manifest, service worker and offline page."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from webapp.pwa import strings, views  # noqa: E402,F401
