"""The game feature."""

from flask import Blueprint

bp = Blueprint("game", __name__)

from webapp.game import badges, pages, views  # noqa: E402,F401

# Badges and challenges follow every ledger change, in the same transaction.
badges.listen()
