"""Bulk rows for `flask seed-load`: executemany on SQLite, COPY on PostgreSQL, with ids
assigned here so rows can point at each other before any is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def _cols(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# Tables in the order they are written (rows only point at rows written before them).
COLUMNS: dict[str, tuple[str, ...]] = {
    "users": _cols(
        "id org_id email name password_hash role locale "
        "active session_version created_at work_start work_end hide_from_boards reminders_enabled"
    ),
    "memberships": _cols("id user_id team_id role created_at"),
    "moments": _cols(
        "id org_id team_id author_id client_id occurred_at created_at "
        "cue action reaction gesture_cost_cents gesture_note outside_hours delighted "
        "payload_sha256 over_budget"
    ),
    "moment_values": _cols("moment_id value_id"),
    "moment_colleagues": _cols("moment_id user_id"),
    "kudos": _cols(
        "id org_id client_id giver_id receiver_id "
        "moment_id value_id message private week_start created_at payload_sha256"
    ),
    "kudos_allowance_uses": _cols("id user_id week_start used"),
    "recognitions": _cols("id org_id manager_id recipient_id message award created_at"),
    "recognition_moments": _cols("recognition_id moment_id"),
    "ledger_entries": _cols(
        "id org_id user_id points reason day created_at moment_id kudos_id recognition_id note"
    ),
    "points_daily": _cols("id org_id user_id day points"),
    "user_points": _cols("id org_id user_id period starts_on points"),
    "team_points": _cols("id org_id team_id period starts_on points"),
    "badge_awards": _cols("id org_id user_id badge awarded_at"),
    "notifications": _cols(
        "id user_id kind title body url created_at read_at push_due_at push_attempts"
    ),
}
WITH_ID = [t for t, cols in COLUMNS.items() if cols[0] == "id"]


# Writing rows -------------------------------------------------------------------------------


class Writer:
    """Bulk rows into the session's connection: executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.next_id = {t: self._max_id(t) + 1 for t in WITH_ID}
        self.written: dict[str, int] = defaultdict(int)
        self.texts: dict[type, dict[Any, str]] = defaultdict(dict)  # SQLite's text forms
        self.deferred: list[str] = []  # CREATE INDEX statements to run after the load

    def _max_id(self, table: str) -> int:
        return int(self.session.execute(text(f"SELECT MAX(id) FROM {table}")).scalar() or 0)  # noqa: S608

    def new_id(self, table: str) -> int:
        made = self.next_id[table]
        self.next_id[table] = made + 1
        return made

    def add(self, table: str, *values: Any) -> None:
        self.rows[table].append(values)

    def flush(self) -> None:
        raw = self.session.connection().connection.driver_connection
        for table in COLUMNS:
            rows = self.rows.get(table)
            if rows:
                (self._copy if self.postgres else self._insert)(raw, table, rows)
                self.written[table] += len(rows)
        self.rows.clear()
        for texts in self.texts.values():
            texts.clear()

    def _insert(self, raw: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
        columns = COLUMNS[table]
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        convert = [(i, kind) for i, kind in enumerate(_kinds(rows)) if kind in _SQLITE]
        if convert:
            # Column by column: one event's instant is in several rows (the moment, its
            # ledger entry, the notification), so each text is made once per flush.
            values: list[Sequence[Any]] = list(zip(*rows, strict=True))
            for i, kind in convert:
                values[i] = _texts(values[i], self.texts[kind], _SQLITE[kind])
            rows = list(zip(*values, strict=True))
        raw.executemany(sql, rows)

    def _copy(self, raw: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
        with raw.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN"
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)

    def defer_indexes(self) -> None:
        """Drop the secondary indexes of the tables written here until `finish` builds them
        again: an index built once from sorted keys costs a fraction of one kept up to date
        row by row. Constraint indexes (primary keys, unique) stay and keep checking. On
        PostgreSQL the dropped indexes lock their tables until the load commits: a load is
        for a database nobody uses meanwhile (the benchmarks')."""
        for name, definition in self.session.execute(text(_INDEXES[self.postgres])).all():
            self.session.execute(text(f'DROP INDEX "{name}"'))
            self.deferred.append(definition)

    def finish(self) -> None:
        """Write what is left, build the deferred indexes again (the same definitions), and
        on PostgreSQL move each id sequence past the ids written here."""
        self.flush()
        connection = self.session.connection()
        for definition in self.deferred:
            connection.exec_driver_sql(definition)
        self.deferred.clear()
        if self.postgres:
            for table in WITH_ID:
                self.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                    )
                )


_LOADED = ", ".join(f"'{table}'" for table in COLUMNS)
# The indexes `defer_indexes` drops: every index of a loaded table that no constraint owns.
_INDEXES = {
    False: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
    f"AND tbl_name IN ({_LOADED}) ORDER BY name",
    True: "SELECT i.indexname, i.indexdef FROM pg_indexes i "  # noqa: S608
    f"WHERE i.schemaname = current_schema() AND i.tablename IN ({_LOADED}) "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
    "format('%I.%I', i.schemaname, i.indexname)::regclass) ORDER BY i.indexname",
}


# The text forms SQLAlchemy's SQLite types store (UTC, no zone), so the app reads them back.
# Booleans need none: sqlite3 binds them as the integers 0 and 1.
_SQLITE: dict[type, Callable[[Any], str]] = {
    datetime: lambda v: v.astimezone(UTC).isoformat(" ", "microseconds")[:26],
    date: date.isoformat,
    time: lambda v: v.isoformat("microseconds"),
}


def _texts(column: Sequence[Any], made: dict[Any, str], to_text: Callable[[Any], str]) -> list:
    return [
        None if v is None else (made[v] if v in made else made.setdefault(v, to_text(v)))
        for v in column
    ]


def _kinds(rows: list[tuple[Any, ...]]) -> list[type]:
    """Each column's Python type, from the first row that has a value there."""
    kinds: list[type] = [type(None)] * len(rows[0])
    for row in rows:
        for i, value in enumerate(row):
            if value is not None and kinds[i] is type(None):
                kinds[i] = type(value)
        if type(None) not in kinds:
            break
    return kinds
