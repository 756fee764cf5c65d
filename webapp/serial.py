"""Limits that hold under concurrency: decide one request at a time per scope.

A rule of the form "count what is there, then add one if under the cap" is exact only when
two requests for the same scope cannot both count before either writes. `serialize` locks
one row per scope (created on first use) for the rest of the transaction:

- PostgreSQL (READ COMMITTED): the row lock makes a second transaction wait until the first
  commits or rolls back; its next statements see what the first committed, so its count is
  right;
- SQLite: every writing transaction already holds the database's write lock (BEGIN
  IMMEDIATE, `webapp/database.py`); the row changes nothing there.

Used by the cap per receiver of kudos, the daily points cap of moments, the monthly gesture
budget and the weekly recognition cap. Take several locks in one fixed order (the callers
sort their scopes) so two transactions never wait on each other.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from webapp.database import insert_for
from webapp.models import SerialLock
from webapp.timeutil import utcnow

# A scope names a day, a week or a month; a row made this long ago belongs to a period that
# is over. Its rule may still be checked again (editing an old moment's gesture): the row is
# then simply made again.
LOCK_KEPT = timedelta(days=62)


def serialize(session: Session, *scopes: str) -> None:
    """Lock each scope's row (in sorted order) until the transaction ends."""
    for scope in sorted(set(scopes)):
        ensure = insert_for(session, SerialLock).values(scope=scope)
        session.execute(ensure.on_conflict_do_nothing(index_elements=["scope"]))
        session.execute(select(SerialLock.scope).where(SerialLock.scope == scope).with_for_update())


def forget_old_locks(session: Session) -> int:
    """Delete the lock rows of periods long over (a periodic job); how many went."""
    gone = session.execute(delete(SerialLock).where(SerialLock.created_at < utcnow() - LOCK_KEPT))
    return int(gone.rowcount) if isinstance(gone, CursorResult) else 0
