"""Who may turn devices into kiosks and manage them: admins for every team of their
organisation, managers for the teams they lead; nobody across organisations."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.insights.access import led_teams
from webapp.models import KioskDevice, Team, User
from webapp.security import has_role


def kiosk_teams(session: Session, viewer: User) -> list[Team]:
    """The teams `viewer` may set up kiosks for."""
    if viewer.is_admin:
        return list(
            session.scalars(select(Team).where(Team.org_id == viewer.org_id).order_by(Team.name))
        )
    if has_role(viewer, "manager"):
        return led_teams(session, viewer)
    return []


def managed_devices(session: Session, viewer: User) -> list[KioskDevice]:
    """The kiosks `viewer` may see and revoke, newest first."""
    team_ids = [t.id for t in kiosk_teams(session, viewer)]
    if not team_ids:
        return []
    return list(
        session.scalars(
            select(KioskDevice)
            .where(KioskDevice.org_id == viewer.org_id, KioskDevice.team_id.in_(team_ids))
            .order_by(KioskDevice.created_at.desc(), KioskDevice.id.desc())
        )
    )


def may_manage(session: Session, viewer: User, device: KioskDevice) -> bool:
    """True when `viewer` may revoke `device`."""
    if device.org_id != viewer.org_id:
        return False
    return device.team_id in {t.id for t in kiosk_teams(session, viewer)}
