"""Background jobs of the manager's pages (see `webapp.jobs`)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.insights import trends
from webapp.manage.services import first_pages
from webapp.models import Organisation


def warm_glances() -> None:
    """Count every manager's weekly glance (the first page of their overview) before they
    look: after a new week begins or a past week changed, the counts of twelve weeks of a
    large team's kudos are made here, and the page reads them from the cache. Where they are
    cached already this costs three statements per organisation (`first_pages`) and a
    cache look-up per different first page. Reads only."""
    for org_id in list(db.session.scalars(select(Organisation.id).order_by(Organisation.id))):
        org = db.session.get(Organisation, org_id)
        if org is not None:
            for team_ids in first_pages(db.session(), org.id):
                trends.glance(db.session(), org, team_ids)
        db.session.rollback()  # one short reading transaction per organisation
