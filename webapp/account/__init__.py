"""My account and its safety: password, reset links, API tokens, my data, leaving Kizuki."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from webapp.account import recovery, views  # noqa: E402,F401
