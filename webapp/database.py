"""Engine tuning per database, and the portable upsert the ledger and allowance need."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from webapp.extensions import db


def configure_engine(app: Flask) -> None:
    """On SQLite: WAL, foreign keys, and write transactions that queue instead of failing."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN so it can be BEGIN IMMEDIATE (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes cannot wait for another writer:
    # SQLite fails it at once with "database is locked". Taking the write lock up front makes
    # concurrent requests queue (busy_timeout) and keeps check-then-write rules exact.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def insert_for(session: Session, table: Any) -> Any:
    """A dialect `insert()` that supports ON CONFLICT on both SQLite and PostgreSQL."""
    bind: Engine | Any = session.get_bind()
    if bind.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
