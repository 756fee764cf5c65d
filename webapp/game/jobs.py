"""Background jobs of the game layer (see `webapp.jobs`): each owns its transaction."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.game import season_results
from webapp.models import Organisation


def settle_seasons() -> None:
    """Every organisation: make the seasons the calendar reached, close the finished ones,
    gather the running season's stories (periodic; one transaction per organisation)."""
    for org_id in list(db.session.scalars(select(Organisation.id).order_by(Organisation.id))):
        settle_seasons_of(org_id)


def settle_seasons_of(org_id: int) -> None:
    """One organisation's seasons (the seasons page asks for it when the calendar turned)."""
    org = db.session.get(Organisation, org_id)
    if org is not None:
        season_results.settle(db.session(), org)
        db.session.commit()
