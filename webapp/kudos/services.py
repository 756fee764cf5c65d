"""Giving kudos: to one colleague, several, or a whole team, as one action."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload

from webapp import rules
from webapp.audit import services as audit
from webapp.database import insert_for
from webapp.domain import Conflict, Invalid, NotAllowed, NotFound
from webapp.game.follow import follow_ledger
from webapp.idempotency import check_replay, fingerprint, id_set
from webapp.kudos.access import visible_to
from webapp.models import Kudos, KudosAllowanceUse, Moment, Organisation, Team, User, Value
from webapp.notifications.services import notify_kudos
from webapp.orgs.services import team_members, users_in_org
from webapp.points import ledger
from webapp.security import has_role
from webapp.serial import serialize
from webapp.timeutil import local_date, utcnow, week_start


@dataclass
class KudosInput:
    """One kudos action (already validated by the schema)."""

    client_id: str
    message: str
    receiver_ids: list[int] = field(default_factory=list)
    team_id: int | None = None
    moment_id: int | None = None
    value_id: int | None = None
    private: bool = False


def current_week(org: Organisation) -> date:
    """The Monday of this week in the organisation's time zone."""
    return week_start(local_date(utcnow(), org.timezone))


def allowance_used(session: Session, user: User) -> int:
    """Kudos `user` has given this week."""
    used = session.scalar(
        select(KudosAllowanceUse.used).where(
            KudosAllowanceUse.user_id == user.id,
            KudosAllowanceUse.week_start == current_week(user.organisation),
        )
    )
    return int(used or 0)


def allowance_left(session: Session, user: User) -> int:
    """Kudos `user` may still give this week."""
    return rules.allowance_left(
        user.organisation.kudos_weekly_allowance, allowance_used(session, user)
    )


def renews_on(org: Organisation) -> date:
    """The day a new week's kudos arrive: next Monday in the organisation's time zone."""
    return current_week(org) + timedelta(days=7)


def given_this_week(session: Session, giver: User) -> dict[int, int]:
    """How often `giver` thanked each colleague this week: what the same-receiver cap counts."""
    rows = session.execute(
        select(Kudos.receiver_id, func.count(Kudos.id))
        .where(Kudos.giver_id == giver.id, Kudos.week_start == current_week(giver.organisation))
        .group_by(Kudos.receiver_id)
    )
    return {int(receiver_id): int(count) for receiver_id, count in rows}


def give_kudos(session: Session, giver: User, data: KudosInput) -> tuple[list[Kudos], bool]:
    """Give kudos; a repeated client id returns the original kudos and creates nothing, and
    is refused (Conflict on client_id) when it comes with different kudos."""
    sent = input_fingerprint(data)
    existing = _by_client_id(session, giver.id, data.client_id)
    if existing:
        check_replay(existing[0].payload_sha256, sent)
        return existing, False
    org = giver.organisation
    moment = _moment(session, giver, data.moment_id)
    receivers = _receivers(session, giver, data, moment)
    value = _value(session, giver, data.value_id)
    settings = rules.PointsRules.of(org)
    week = week_start(local_date(utcnow(), org.timezone))
    named = set(data.receiver_ids)
    # A thank-you to a whole team is not a repeated favour to one person.
    capped = {r.id for r in receivers if data.team_id is None or r.id in named}
    # The cap per receiver counts kudos already given: one request per pair at a time.
    serialize(session, *(f"kudos-pair:{giver.id}:{r}:{week}" for r in sorted(capped)))
    for receiver in receivers:
        _check_receiver(session, giver, receiver, moment, week, settings, receiver.id in capped)
    try:
        # A savepoint: if the same client id raced in from another request, only this
        # action's rows go, and the caller's transaction stays usable.
        with session.begin_nested():
            # One action (to one person, several, or a team) uses one kudos of the allowance.
            _use_allowance(session, giver, week, 1, settings)
            made = [
                _create(session, giver, receiver, data, moment, value, week, settings, i == 0)
                for i, receiver in enumerate(receivers)
            ]
    except IntegrityError:
        again = _by_client_id(session, giver.id, data.client_id)
        if again:
            check_replay(again[0].payload_sha256, sent)
            return again, False
        raise Conflict(_("You already gave kudos for this moment."), field="moment_id") from None
    follow_ledger(session)
    return made, True


def reverse_kudos(session: Session, manager: User, kudos: Kudos | None, reason: str) -> Kudos:
    """A manager withdraws abusive kudos: the ledger appends the reversal, they are hidden,
    and the audit log records who did it and why."""
    if not has_role(manager, "manager"):
        raise NotAllowed(_("Only managers can reverse points."))
    if kudos is None or kudos.org_id != manager.org_id:
        raise NotFound(_("Those kudos were not found."))
    if kudos.reversed_at is not None:
        raise Conflict(_("These kudos were already reversed."))
    kudos.reversed_at = utcnow()
    kudos.reversed_by_id = manager.id
    ledger.reverse(
        session, tz=manager.organisation.timezone, kudos_id=kudos.id, note=reason[:200] or None
    )
    audit.record(session, manager, audit.KUDOS_REVERSED, "kudos", kudos.id, reason)
    follow_ledger(session)
    return kudos


def input_fingerprint(data: KudosInput) -> str:
    """The fingerprint of one kudos action's input (order of receivers does not matter)."""
    return fingerprint(
        {
            "message": data.message,
            "receiver_ids": id_set(data.receiver_ids),
            "team_id": data.team_id,
            "moment_id": data.moment_id,
            "value_id": data.value_id,
            "private": data.private,
        }
    )


def _by_client_id(session: Session, giver_id: int, client_id: str) -> list[Kudos]:
    return list(
        session.scalars(
            select(Kudos)
            .where(Kudos.giver_id == giver_id, Kudos.client_id == client_id)
            .order_by(Kudos.id)
        )
    )


def _moment(session: Session, giver: User, moment_id: int | None) -> Moment | None:
    if moment_id is None:
        return None
    moment = session.get(Moment, moment_id)
    if moment is None or moment.org_id != giver.org_id or moment.deleted_at or moment.reversed_at:
        raise NotFound(_("That moment was not found."), field="moment_id")
    return moment


def _receivers(
    session: Session, giver: User, data: KudosInput, moment: Moment | None
) -> list[User]:
    ids = list(dict.fromkeys(data.receiver_ids))
    if data.team_id is not None:
        team = session.get(Team, data.team_id)
        if team is None or team.org_id != giver.org_id:
            raise NotFound(_("That team was not found."), field="team_id")
        ids += [
            m.id for m in team_members(session, team.id) if m.id != giver.id and m.id not in ids
        ]
    if not ids and moment is not None:
        ids = [moment.author_id]
    if not ids:
        raise Invalid(_("Choose who the kudos are for."), field="receivers")
    found = users_in_org(session, giver.org_id, ids)
    receivers = []
    for user_id in ids:
        receiver = found.get(user_id)
        rules.check_kudos_receiver(giver, receiver)
        assert receiver is not None
        receivers.append(receiver)
    return receivers


def _value(session: Session, giver: User, value_id: int | None) -> Value | None:
    if value_id is None:
        return None
    value = session.get(Value, value_id)
    if value is None or value.org_id != giver.org_id or not value.active:
        raise Invalid(_("Choose a value from the list."), field="value_id")
    return value


def _check_receiver(
    session: Session,
    giver: User,
    receiver: User,
    moment: Moment | None,
    week: date,
    settings: rules.PointsRules,
    same_receiver_cap: bool,
) -> None:
    if moment is not None:
        already = session.scalar(
            select(Kudos.id).where(
                Kudos.giver_id == giver.id,
                Kudos.receiver_id == receiver.id,
                Kudos.moment_id == moment.id,
            )
        )
        if already:
            raise Conflict(
                _("You already gave %(name)s kudos for this moment.", name=receiver.name),
                field="moment_id",
            )
    if not same_receiver_cap:
        return
    given = session.scalar(
        select(func.count(Kudos.id)).where(
            Kudos.giver_id == giver.id, Kudos.receiver_id == receiver.id, Kudos.week_start == week
        )
    )
    rules.check_same_receiver(settings, int(given or 0), receiver.name)


def _use_allowance(
    session: Session, giver: User, week: date, wanted: int, settings: rules.PointsRules
) -> None:
    # One conditional UPDATE: two requests racing for the last kudos cannot both pass.
    ensure = insert_for(session, KudosAllowanceUse).values(
        user_id=giver.id, week_start=week, used=0
    )
    session.execute(ensure.on_conflict_do_nothing(index_elements=["user_id", "week_start"]))
    result = session.execute(
        update(KudosAllowanceUse)
        .where(
            KudosAllowanceUse.user_id == giver.id,
            KudosAllowanceUse.week_start == week,
            KudosAllowanceUse.used + wanted <= settings.kudos_weekly_allowance,
        )
        .values(used=KudosAllowanceUse.used + wanted)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        rules.check_allowance(settings, allowance_used(session, giver), wanted)
        raise Conflict(_("Your kudos for this week are used up."), field="receivers")


def _pair_exchanges(session: Session, a: int, b: int, week: date) -> int:
    return int(
        session.scalar(
            select(func.count(Kudos.id)).where(
                Kudos.week_start == week,
                Kudos.reversed_at.is_(None),
                or_(
                    (Kudos.giver_id == a) & (Kudos.receiver_id == b),
                    (Kudos.giver_id == b) & (Kudos.receiver_id == a),
                ),
            )
        )
        or 0
    )


def _create(
    session: Session,
    giver: User,
    receiver: User,
    data: KudosInput,
    moment: Moment | None,
    value: Value | None,
    week: date,
    settings: rules.PointsRules,
    first: bool,
) -> Kudos:
    org = giver.organisation
    exchanges = _pair_exchanges(session, giver.id, receiver.id, week)
    kudos = Kudos(
        org_id=org.id,
        client_id=data.client_id,
        payload_sha256=input_fingerprint(data),
        giver_id=giver.id,
        receiver_id=receiver.id,
        moment_id=moment.id if moment else None,
        value_id=value.id if value else None,
        message=data.message,
        private=data.private,
        week_start=week,
    )
    session.add(kudos)
    session.flush()
    common = {"org_id": org.id, "tz": org.timezone, "kudos_id": kudos.id}
    ledger.record(
        session,
        user_id=receiver.id,
        points=rules.kudos_received_points(settings, exchanges),
        reason=ledger.KUDOS_RECEIVED,
        note="repeated_pair" if exchanges else None,
        **common,  # type: ignore[arg-type]
    )
    if first:  # giving is rewarded once per action, however many people it thanks
        ledger.record(
            session,
            user_id=giver.id,
            points=settings.kudos_given,
            reason=ledger.KUDOS_GIVEN,
            **common,  # type: ignore[arg-type]
        )
    notify_kudos(session, receiver, giver, data.message, "/me")
    return kudos


@dataclass(frozen=True)
class KudosGiver:
    """Who gave one kudos on a moment (as a feed card lists them), and to whom."""

    giver: str
    receiver: str
    receiver_id: int


# Built once: an alias copies every column of `users`, which cost the feed ~1,900 Python
# calls per request when made in each call.
GIVER, RECEIVER = aliased(User, name="giver"), aliased(User, name="receiver")


def kudos_givers(
    session: Session, viewer: User, moment_ids: Iterable[int]
) -> dict[int, list[KudosGiver]]:
    """Who gave the kudos `viewer` can see on each of `moment_ids`, oldest first (one query:
    the same access rule as the counts, so a private kudos is never listed to others)."""
    ids = set(moment_ids)
    if not ids:
        return {}
    giver, receiver = GIVER, RECEIVER
    rows = session.execute(
        select(Kudos.moment_id, giver.name, receiver.name, Kudos.receiver_id)
        .join(giver, giver.id == Kudos.giver_id)
        .join(receiver, receiver.id == Kudos.receiver_id)
        .where(Kudos.moment_id.in_(ids), visible_to(viewer))
        .order_by(Kudos.moment_id, Kudos.created_at, Kudos.id)
    )
    found: dict[int, list[KudosGiver]] = {}
    for moment_id, giver_name, receiver_name, receiver_id in rows:
        if moment_id is not None:  # always, by the filter; the column may be NULL
            given = KudosGiver(giver_name, receiver_name, receiver_id)
            found.setdefault(moment_id, []).append(given)
    return found


def kudos_for_moment(session: Session, viewer: User, moment_id: int) -> list[Kudos]:
    """The kudos of one moment that `viewer` may see, oldest first."""
    return list(
        session.scalars(
            select(Kudos)
            .where(Kudos.moment_id == moment_id, visible_to(viewer))
            .options(selectinload(Kudos.giver), selectinload(Kudos.receiver))
            .order_by(Kudos.created_at, Kudos.id)
        )
    )
