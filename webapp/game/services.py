"""Game actions on moments and kudos: a manager's reversal, and marking a guest delighted.

A reversal never edits history: the ledger appends the opposite entries, the moment or
kudos is hidden from the feed but kept, and the audit log records who did it and why.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from webapp.audit import services as audit
from webapp.auth.models import User
from webapp.domain import Conflict, NotAllowed, NotFound
from webapp.game import ledger
from webapp.game.badges import touch
from webapp.kudos.models import Kudos
from webapp.moments.models import Moment
from webapp.security import has_role
from webapp.timeutil import utcnow

MOMENT_REVERSED = audit.MOMENT_REVERSED
KUDOS_REVERSED = audit.KUDOS_REVERSED
MOMENT_DELIGHTED = audit.MOMENT_DELIGHTED


def _require_manager(actor: User) -> None:
    if not has_role(actor, "manager"):
        raise NotAllowed(_("Only managers can reverse points."))


def _live_moment(actor: User, moment: Moment | None) -> Moment:
    if moment is None or moment.org_id != actor.org_id or moment.deleted_at is not None:
        raise NotFound(_("That moment was not found."))
    return moment


def reverse_moment(session: Session, manager: User, moment: Moment | None, reason: str) -> Moment:
    """A manager withdraws an abusive moment: its points are reversed, it leaves the feed."""
    _require_manager(manager)
    moment = _live_moment(manager, moment)
    if moment.reversed_at is not None:
        raise Conflict(_("This moment was already reversed."))
    moment.reversed_at = utcnow()
    moment.reversed_by_id = manager.id
    moment.reversal_reason = reason[:200]
    ledger.reverse(
        session, tz=manager.organisation.timezone, moment_id=moment.id, note=reason[:200]
    )
    audit.record(session, manager, MOMENT_REVERSED, "moment", moment.id, reason)
    session.commit()
    return moment


def reverse_kudos(session: Session, manager: User, kudos: Kudos | None, reason: str) -> Kudos:
    """A manager withdraws an abusive kudos: its points are reversed, it is hidden."""
    _require_manager(manager)
    if kudos is None or kudos.org_id != manager.org_id:
        raise NotFound(_("Those kudos were not found."))
    if kudos.reversed_at is not None:
        raise Conflict(_("These kudos were already reversed."))
    audit.record(session, manager, KUDOS_REVERSED, "kudos", kudos.id, reason)
    # The kudos feature owns the reversal itself (and commits, with the audit entry). Imported
    # here because kudos.services imports the ledger, which loads this package's pages.
    from webapp.kudos.services import reverse_kudos as reverse

    reverse(session, manager, kudos, reason[:200])
    return kudos


def mark_delighted(session: Session, actor: User, moment: Moment | None) -> Moment:
    """A colleague or manager marks that the guest was delighted (not the author)."""
    moment = _live_moment(actor, moment)
    if moment.reversed_at is not None:
        raise NotFound(_("That moment was not found."))
    if moment.author_id == actor.id:
        raise NotAllowed(_("Someone else marks your moment as delighted: that is the point."))
    if not moment.delighted:
        moment.delighted = True
        if has_role(actor, "manager"):
            audit.record(session, actor, MOMENT_DELIGHTED, "moment", moment.id)
        # The author's "delighted guest" badge is evaluated with the commit.
        touch(session, moment.author_id)
    session.commit()
    return moment
