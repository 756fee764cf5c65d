"""Jobs for the job-runner tests: real module-level functions that write a row or fail."""

from __future__ import annotations

import time

from webapp.extensions import db
from webapp.models import AuditEntry, Organisation

CALLS: list[tuple[object, ...]] = []


def note(org_id: int, detail: str) -> None:
    """A job that writes an audit line (and commits, as every job owns its transaction)."""
    db.session.add(AuditEntry(org_id=org_id, action="test.job", detail=detail))
    db.session.commit()


def slow_note(org_id: int, detail: str, seconds: float) -> None:
    """A job that says it started (its own commit), works a while, then writes its note:
    killed mid-way, it leaves no note; run again, it writes exactly one."""
    db.session.add(AuditEntry(org_id=org_id, action="test.started", detail=detail))
    db.session.commit()
    time.sleep(seconds)
    note(org_id, detail)


def fail(detail: str) -> None:
    """A job that always fails."""
    CALLS.append((detail,))
    raise RuntimeError(f"no luck: {detail}")


def organisations() -> int:
    return len(db.session.scalars(db.select(Organisation)).all())
