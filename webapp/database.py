"""Engine tuning per database, the portable upsert the ledger and allowance need, and
lists shown a page at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Flask, has_request_context, request
from sqlalchemy import Select, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from webapp.extensions import db

T = TypeVar("T")

CONNECT_TIMEOUT = 5  # seconds; DATABASE_CONNECT_TIMEOUT overrides
SQLITE_BUSY_TIMEOUT_MS = 10_000  # SQLITE_BUSY_TIMEOUT_MS overrides
# Requests with these methods only read (RFC 9110 "safe"): on SQLite their transactions
# never take the write lock, so a read never waits for (or blocks) a writer.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Connection execution option: True begins a writing transaction, False a reading one.
WRITES = "kizuki_writes"


def prepare_engine_options(app: Flask) -> None:
    """Before the engine is made: a PostgreSQL server that does not answer fails the request
    within seconds (a 503, see errors.py) instead of holding it until TCP gives up."""
    if not str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    timeout = int(app.config.get("DATABASE_CONNECT_TIMEOUT", CONNECT_TIMEOUT))
    connect_args = {"connect_timeout": timeout, **options.get("connect_args", {})}
    if app.config.get("DATABASE_PGBOUNCER"):
        # PgBouncer (transaction pooling) hands each transaction any server connection: a
        # statement prepared on one is unknown on the next, so psycopg must not prepare.
        connect_args["prepare_threshold"] = None
    options["connect_args"] = connect_args
    # Sized for gunicorn: each process holds at most pool + overflow connections (README).
    options.setdefault("pool_size", int(app.config.get("DATABASE_POOL_SIZE", 5)))
    options.setdefault("max_overflow", int(app.config.get("DATABASE_MAX_OVERFLOW", 5)))
    options.setdefault("pool_recycle", 1800)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def configure_engine(app: Flask) -> None:
    """On SQLite: WAL, foreign keys, and write transactions that queue instead of failing."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        busy_ms = int(app.config.get("SQLITE_BUSY_TIMEOUT_MS", SQLITE_BUSY_TIMEOUT_MS))

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            _sqlite_connect(dbapi_connection, busy_ms)

        event.listen(engine, "connect", on_connect)
        event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection: Any, busy_ms: int) -> None:
    # Let SQLAlchemy, not the driver, emit BEGIN so it can be BEGIN IMMEDIATE (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms:d}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() folds A-Z only, so "émile" did not find "Émile". Python's folds
    # every letter, as PostgreSQL's does: each case-insensitive search and name check (the
    # people picker, the admin's lists, the audit log, the moments' search on SQLite, a team
    # name taken twice) then finds the same rows on both databases. No index is built on it.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    """SQL's lower() for SQLite, for every letter (NULL and blobs as they are)."""
    if value is None or isinstance(value, bytes):
        return value
    return str(value).lower()


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes cannot wait for another writer:
    # SQLite fails it at once with "database is locked". So a transaction that may write
    # takes the write lock up front (BEGIN IMMEDIATE): concurrent writers queue
    # (busy_timeout) and check-then-write rules stay exact. A reading one (a GET) begins
    # deferred and, in WAL mode, reads its snapshot while writers go on.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes(connection) else "BEGIN")


def writes(connection: Any) -> bool:
    """Does the transaction about to begin on `connection` write? As its execution options
    say (`start_writing`); else a request with a safe method only reads; anything outside a
    request (commands, jobs) may write."""
    chosen = connection.get_execution_options().get(WRITES)
    if chosen is not None:
        return bool(chosen)
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True


def start_writing(session: Session) -> None:
    """Begin this session's next transaction as a writing one: on SQLite with the write lock
    (BEGIN IMMEDIATE). For the rare GET that writes (a token's "last used", once a minute);
    the entry point ends its reading transaction first."""
    if session.in_transaction():
        raise RuntimeError("end the reading transaction before start_writing")
    session.connection(execution_options={WRITES: True})


@contextmanager
def keeping_loaded(session: Session) -> Iterator[None]:
    """A commit inside this block leaves the session's objects as the transaction left them
    instead of expiring them, so the response that follows serialises what was just written
    without loading each object again (a statement per object). Only where nothing read
    after the commit can have been changed behind the ORM's back in that transaction."""
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = expire


def insert_for(session: Session, table: Any) -> Any:
    """A dialect `insert()` that supports ON CONFLICT on both SQLite and PostgreSQL."""
    bind: Engine | Any = session.get_bind()
    if bind.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@dataclass
class Paged(Generic[T]):
    """One page of a list, with what the page's links need."""

    rows: list[T]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(
    session: Session,
    query: Select[Any],
    order: Sequence[Any],
    page: int,
    per_page: int,
    options: Sequence[Any] = (),
) -> Paged[Any]:
    """One page of `query`'s rows in `order`, in two statements (the count, the page) however
    long the list; a page past the last shows the last."""
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    chosen = query.options(*options).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    return Paged(list(session.scalars(chosen)), page, pages, total)
