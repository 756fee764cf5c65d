"""Importing 5,000 people from a CSV file, on SQLite and PostgreSQL, each step as a ratio to
a baseline measured in the same run: a bare executemany INSERT of the same 5,000 invite rows.

    .venv/bin/python scripts/bench_import.py [--databases sqlite,postgresql] [--rows 5000]
        [--repeat 3] [--write]

Steps: reading and checking the file (the preview: CSV parsing, the marshmallow schema per
row, teams and e-mail addresses in use), and the import itself (the same rows as invites,
in chunks of 500, one transaction, as the page does for a small file and the job per chunk).
PostgreSQL is the one at KIZUKI_BENCH_PG (default postgresql://postgres@127.0.0.1:5432/test):
a scratch database is created next to it and dropped afterwards. `--write` puts the table
and the command into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, delete, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.admin import people_import  # noqa: E402
from webapp.auth.services import hash_password  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import Invite, Organisation, PeopleImport, Team, User  # noqa: E402
from webapp.timeutil import utcnow  # noqa: E402

PG_URL = os.environ.get("KIZUKI_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
SCRATCH = "kizuki_bench_import"
MARK_START, MARK_END = "<!-- bench-import:start -->", "<!-- bench-import:end -->"


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, migrated database of `kind`; removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + SCRATCH
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        admin.dispose()


def the_file(rows: int) -> bytes:
    lines = ["name;email;team;role;team_role;language;work_start;work_end"]
    teams = ("Front desk", "Restaurant & bar", "Housekeeping")
    for n in range(rows):
        team = teams[n % 3]
        lines.append(f"Person {n};person{n}@bench.test;{team};staff;member;nl;07:00;15:30")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def timed(step: Callable[[], object], reset: Callable[[], None], repeat: int) -> float:
    """The median wall time of `step` in milliseconds, `reset` after each run."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
        reset()
    return statistics.median(times)


def measure(kind: str, rows: int, repeat: int) -> dict[str, float]:
    with database(kind) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "localhost"})
        with app.app_context(), app.test_request_context():
            upgrade()
            return _measure(rows, repeat)


def _measure(rows: int, repeat: int) -> dict[str, float]:
    session = db.session()
    org = Organisation(name="Bench", slug="bench")
    session.add(org)
    session.flush()
    for name in ("Front desk", "Restaurant & bar", "Housekeeping"):
        session.add(Team(org_id=org.id, name=name))
    admin = User(
        org_id=org.id,
        email="admin@bench.test",
        name="Admin",
        password_hash=hash_password("x"),
        role="admin",
    )
    session.add(admin)
    session.commit()
    raw = the_file(rows)
    upload = people_import.preview(session, admin, "bench.csv", raw)
    session.commit()
    assert not people_import.problems_of(upload), people_import.problems_of(upload)[:3]
    checked = people_import.rows_of(upload)

    def clear() -> None:
        session.execute(delete(Invite))
        session.commit()

    def baseline() -> None:
        # The same rows a chunk writes, in one bare executemany INSERT, no service around it.
        values = _plain_values(checked, upload)
        session.connection().execute(insert(Invite.__table__), values)
        session.commit()

    def preview() -> None:
        people_import.check_rows(session, org.id, people_import.read_file(raw))
        session.rollback()

    def run_import() -> None:
        fresh = PeopleImport(org_id=org.id, created_by_id=admin.id, rows=upload.rows, total=rows)
        session.add(fresh)
        session.flush()
        assert not people_import.recheck(session, fresh)
        for first in range(0, rows, people_import.CHUNK):
            people_import.import_chunk(session, fresh, checked[first : first + people_import.CHUNK])
        people_import.finish(session, fresh, admin.id)
        session.commit()

    return {
        "baseline": timed(baseline, clear, repeat),
        "preview": timed(preview, lambda: None, repeat),
        "import": timed(run_import, clear, repeat),
    }


def _plain_values(
    checked: list[dict[str, object]], upload: PeopleImport
) -> list[dict[str, object]]:

    expires = utcnow() + timedelta(days=30)
    return [
        {
            "org_id": upload.org_id,
            "token_hash": f"{n:064x}",
            "role": row["role"],
            "team_id": row["team_id"],
            "team_role": row["team_role"],
            "email": row["email"],
            "name": row["name"],
            "locale": row["locale"],
            "work_start": clock(7, 0),
            "work_end": clock(15, 30),
            "created_by_id": upload.created_by_id,
            "expires_at": expires,
        }
        for n, row in enumerate(checked)
    ]


def table(results: dict[str, dict[str, float]], rows: int) -> str:
    lines = [
        f"| database | baseline: bare INSERT of {rows:,} rows | preview (read + check) | import |",
        "|---|---:|---:|---:|",
    ]
    for kind, figures in results.items():
        base = figures["baseline"]
        cells = [f"{base:.0f} ms (1.0x)"] + [
            f"{figures[step]:.0f} ms ({figures[step] / base:.1f}x)"
            for step in ("preview", "import")
        ]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write(report: str, command: str) -> None:
    path = ROOT / "docs" / "BENCHMARKS.md"
    body = path.read_text()
    section = (
        f"{MARK_START}\n## Importing people from a CSV file\n\n"
        f"Measured by `{command}` (median of the repeats; the ratios compare with the bare "
        "executemany INSERT of the same rows measured in the same run, so they travel between "
        "machines better than the milliseconds).\n\n"
        f"{report}\n\n"
        "Files over 500 rows run as a background job that commits each 500-row chunk with its "
        "progress; the figures are the work, not the job queue's latency.\n"
        f"{MARK_END}"
    )
    if MARK_START in body:
        before, rest = body.split(MARK_START, 1)
        body = before + section + rest.split(MARK_END, 1)[1]
    else:
        body = body.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    results = {kind: measure(kind, args.rows, args.repeat) for kind in args.databases.split(",")}
    report = table(results, args.rows)
    print(report)
    if args.write:
        write(report, "python scripts/bench_import.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
