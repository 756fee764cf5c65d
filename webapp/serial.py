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

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.database import insert_for
from webapp.models import SerialLock


def serialize(session: Session, *scopes: str) -> None:
    """Lock each scope's row (in sorted order) until the transaction ends."""
    for scope in sorted(set(scopes)):
        ensure = insert_for(session, SerialLock).values(scope=scope)
        session.execute(ensure.on_conflict_do_nothing(index_elements=["scope"]))
        session.execute(select(SerialLock.scope).where(SerialLock.scope == scope).with_for_update())
