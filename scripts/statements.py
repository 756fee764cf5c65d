"""Counting the SQL statements a piece of work sends (the profiling scripts)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event

# Transaction control, not work a request asks of the database.
NOT_COUNTED = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The statements `app`'s engine sends inside the block (transaction control left out)."""
    from webapp.extensions import db  # the scripts import the app once they are configured

    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(NOT_COUNTED):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)
