"""Invite links people can actually receive: a fresh link for an open invite, a team's
printable invite sheet (fresh links for everyone invited to it), and the QR code of a link.

Only a hash of an invite's token is stored, so a link can be shown once only; showing it
again means making a new one, which ends the old one.
"""

from __future__ import annotations

import segno
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from webapp.admin.services import admin_only, open_invites
from webapp.audit import services as audit
from webapp.auth.services import new_token
from webapp.domain import Conflict, NotFound
from webapp.models import Invite, Team, User
from webapp.timeutil import as_utc, utcnow


def renew_link(session: Session, actor: User, invite: Invite) -> str:
    """A new link for an open invite (the previous one stops working); the raw token."""
    admin_only(actor)
    if invite.org_id != actor.org_id:
        raise NotFound(_("That invite was not found."))
    if invite.used_at is not None or invite.revoked_at is not None:
        raise Conflict(_("This invite has already been used or revoked."))
    if as_utc(invite.expires_at) <= utcnow():
        raise Conflict(_("This invite has expired. Create a new one."))
    raw, invite.token_hash = new_token()
    audit.record(session, actor, audit.INVITE_LINK_RENEWED, "invite", invite.id, invite.name or "")
    return raw


def team_sheet(session: Session, actor: User, team: Team) -> list[tuple[Invite, str]]:
    """Fresh links for every open invite into `team`, by name, for its printed sheet."""
    admin_only(actor)
    if team.org_id != actor.org_id:
        raise NotFound(_("That team was not found."))
    invites = [i for i in open_invites(session, actor.org_id) if i.team_id == team.id]
    invites.sort(key=lambda i: ((i.name or i.note or "").lower(), i.id))
    sheet = []
    for invite in invites:
        raw, invite.token_hash = new_token()
        sheet.append((invite, raw))
    detail = f"{team.name}: {len(sheet)}"
    audit.record(session, actor, audit.INVITE_SHEET_PRINTED, "team", team.id, detail)
    return sheet


def open_invites_in(session: Session, team: Team) -> int:
    """How many open invites lead into `team` (what its sheet would hold)."""
    return len([i for i in open_invites(session, team.org_id) if i.team_id == team.id])


def qr_svg(url: str, label: str) -> Markup:
    """The QR code of `url` as inline SVG (dark modules on white, any size through CSS)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, omitsize=True, title=label, light="#fff", svgclass="qr")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704  (segno's own SVG, escaped title)
