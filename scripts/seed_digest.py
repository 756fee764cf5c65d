"""A digest of every table after `flask seed-load` at a frozen instant: the same seed must give
the same rows, whatever changes in how they are written.

    DATABASE_URL=sqlite:////tmp/x.db .venv/bin/python scripts/seed_digest.py \
        [--at 2026-12-01T10:30:00+00:00] [seed-load options, e.g. --moments 5000]

The database must be empty and migrated (`flask db upgrade`). The command runs in-process
through the CLI with the clock frozen at `--at`, then each table's rows (sorted by their
text) are hashed; the users' password hashes are left out (salted: never the same twice).
Prints one line per table (rows, SHA-256 prefix) and a line for all of them.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import inspect, text  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.timeutil import frozen_time  # noqa: E402

SALTED = {("users", "password_hash")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--at", default="2026-12-01T10:30:00+00:00")
    known, load_args = parser.parse_known_args()
    app = create_app()
    with app.app_context(), frozen_time(datetime.fromisoformat(known.at)):
        result = app.test_cli_runner().invoke(args=["seed-load", *load_args])
        if result.exit_code:
            raise SystemExit(f"seed-load failed: {result.output}\n{result.exception!r}")
        print(result.output.splitlines()[-2])
    every = hashlib.sha256()
    with app.app_context(), db.engine.connect() as connection:  # a new one: the load's is closed
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            columns = [
                c["name"] for c in inspector.get_columns(table) if (table, c["name"]) not in SALTED
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = connection.execute(text(f'SELECT {listed} FROM "{table}"'))  # noqa: S608
            digest, count = hashlib.sha256(), 0
            for line in sorted(repr(tuple(row)) for row in rows):
                digest.update(line.encode())
                count += 1
            every.update(f"{table}:{digest.hexdigest()}".encode())
            print(f"{table:28} {count:>9} {digest.hexdigest()[:16]}")
    print(f"{'every table':28} {'':>9} {every.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
