"""Counting the SQL statements a piece of work sends (the transaction's own BEGIN, savepoints
and rollbacks left out), and whether Redis is there for the tests that need it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from webapp.extensions import db


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def redis_up() -> bool:
    """Whether Redis answers on 127.0.0.1:6379 (the tests that need it skip otherwise)."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False
