"""A team's moments, kudos or recognitions for a period, as CSV for a spreadsheet.

Streamed in keyset batches of BATCH rows, so a year of a large team never sits in memory.
UTF-8 with a byte-order mark (Excel then reads it as UTF-8), one header row in the reader's
language, and every cell that a spreadsheet would read as a formula (=, +, -, @, tab, carriage
return, and their full-width forms) is prefixed with an apostrophe, so a moment's text can
never run as a formula on a manager's computer. The rows go through marshmallow schemas
(`insights/schemas.py`) and the features' access rules: private kudos as managers see them,
a gesture's cost only where `sees_gesture` allows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from marshmallow import Schema
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from webapp.insights.schemas import (
    KudosRowSchema,
    MomentRowSchema,
    RecognitionRowSchema,
    header,
)
from webapp.kudos.access import visible_to
from webapp.models import Kudos, Moment, Recognition, User
from webapp.moments.access import sees_gesture
from webapp.orgs.services import members_of
from webapp.recognition.schemas import award_label
from webapp.timeutil import as_utc, local_midnight_utc

BATCH = 500
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
KINDS = ("moments", "kudos", "recognitions")


@dataclass(frozen=True)
class ExportScope:
    """What to export: a kind, the teams (already checked), the local days [first, last]."""

    kind: str
    team_ids: list[int]
    first: date
    last: date
    tz: str

    @property
    def start(self) -> datetime:
        return local_midnight_utc(self.first, self.tz)

    @property
    def end(self) -> datetime:
        return local_midnight_utc(self.last + timedelta(days=1), self.tz)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(session: Session, viewer: User, scope: ExportScope) -> Iterator[str]:
    """The CSV file, line by line: the byte-order mark and header, then the rows."""
    schema, batches = _source(session, viewer, scope)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = list(schema.fields)
    writer.writerow(header(schema))
    yield BOM + _take(buffer)
    for batch in batches:
        for row in schema.dump(batch, many=True):
            writer.writerow([safe_cell(row[name]) for name in names])
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _source(
    session: Session, viewer: User, scope: ExportScope
) -> tuple[Schema, Iterator[list[dict[str, Any]]]]:
    zone = ZoneInfo(scope.tz)

    def local(moment: datetime) -> str:
        return as_utc(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    if scope.kind == "moments":
        return MomentRowSchema(), _moment_rows(session, viewer, scope, local)
    if scope.kind == "kudos":
        return KudosRowSchema(), _kudos_rows(session, viewer, scope, local)
    return RecognitionRowSchema(), _recognition_rows(session, viewer, scope, local)


def _batches(session: Session, query: Select[Any], created: Any, ident: Any) -> Iterator[list]:
    """Run `query` in keyset batches on (created, id), oldest first."""
    after: tuple[datetime, int] | None = None
    while True:
        page = query
        if after is not None:
            page = page.where(or_(created > after[0], and_(created == after[0], ident > after[1])))
        rows = list(session.scalars(page.order_by(created, ident).limit(BATCH)))
        if not rows:
            return
        yield rows
        after = (getattr(rows[-1], "created_at"), getattr(rows[-1], "id"))  # noqa: B009
        if len(rows) < BATCH:
            return


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _moment_rows(
    session: Session, viewer: User, scope: ExportScope, local: Callable[[datetime], str]
) -> Iterator[list[dict[str, Any]]]:
    query = (
        select(Moment)
        .where(Moment.org_id == viewer.org_id, Moment.team_id.in_(scope.team_ids))
        .where(Moment.deleted_at.is_(None))
        .where(Moment.created_at >= scope.start, Moment.created_at < scope.end)
        .options(
            selectinload(Moment.author),
            selectinload(Moment.team),
            selectinload(Moment.values),
            selectinload(Moment.colleagues),
        )
    )
    for batch in _batches(session, query, Moment.created_at, Moment.id):
        kudos = _kudos_counts(session, [m.id for m in batch])
        yield [_moment_row(viewer, m, kudos.get(m.id, 0), local) for m in batch]


def _moment_row(
    viewer: User, moment: Moment, kudos: int, local: Callable[[datetime], str]
) -> dict[str, Any]:
    cost = moment.gesture_cost_cents if sees_gesture(viewer, moment) else None
    return {
        "id": moment.id,
        "logged_at": local(moment.created_at),
        "team": moment.team.name,
        "author": moment.author.name,
        "cue": moment.cue,
        "action": moment.action,
        "reaction": moment.reaction,
        "values": "; ".join(sorted(v.name for v in moment.values)),
        "colleagues": "; ".join(sorted(u.name for u in moment.colleagues)),
        "gesture_cost": f"{cost / 100:.2f}" if cost else "",
        "gesture_note": (moment.gesture_note or "") if cost else "",
        "delighted": _yes(moment.delighted),
        "kudos": kudos,
        "reversed": _yes(moment.is_reversed),
    }


def _kudos_counts(session: Session, moment_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Kudos.moment_id, func.count(Kudos.id))
        .where(Kudos.moment_id.in_(moment_ids), Kudos.reversed_at.is_(None))
        .group_by(Kudos.moment_id)
    )
    return {moment_id: int(n) for moment_id, n in rows if moment_id is not None}


def _kudos_rows(
    session: Session, viewer: User, scope: ExportScope, local: Callable[[datetime], str]
) -> Iterator[list[dict[str, Any]]]:
    query = (
        select(Kudos)
        .where(visible_to(viewer), Kudos.receiver_id.in_(members_of(scope.team_ids)))
        .where(Kudos.created_at >= scope.start, Kudos.created_at < scope.end)
        .options(selectinload(Kudos.giver), selectinload(Kudos.receiver), selectinload(Kudos.value))
    )
    for batch in _batches(session, query, Kudos.created_at, Kudos.id):
        yield [
            {
                "id": k.id,
                "given_at": local(k.created_at),
                "giver": k.giver.name,
                "receiver": k.receiver.name,
                "value": k.value.name if k.value else "",
                "message": k.message,
                "private": _yes(k.private),
                "moment_id": k.moment_id or "",
            }
            for k in batch
        ]


def _recognition_rows(
    session: Session, viewer: User, scope: ExportScope, local: Callable[[datetime], str]
) -> Iterator[list[dict[str, Any]]]:
    query = (
        select(Recognition)
        .where(Recognition.org_id == viewer.org_id)
        .where(Recognition.recipient_id.in_(members_of(scope.team_ids)))
        .where(Recognition.created_at >= scope.start, Recognition.created_at < scope.end)
        .options(
            selectinload(Recognition.manager),
            selectinload(Recognition.recipient),
            selectinload(Recognition.moments),
        )
    )
    for batch in _batches(session, query, Recognition.created_at, Recognition.id):
        yield [
            {
                "id": r.id,
                "given_at": local(r.created_at),
                "manager": r.manager.name,
                "recipient": r.recipient.name,
                "award": award_label(r.award),
                "message": r.message,
                "moment_ids": "; ".join(str(m.id) for m in sorted(r.moments, key=lambda m: m.id)),
            }
            for r in batch
        ]
