"""Reproduce the gunicorn workers' SIGSEGV (docs/BENCHMARKS.md): serve the SQLite 10 % data
set under gunicorn (2 workers x 4 threads, faulthandler on) and cycle wrk (8 connections,
15-second runs) over a few signed-in pages for SECONDS; gunicorn's "was sent SIGSEGV" lines
and the Python stacks of the dying workers go to standard error.

    .venv/bin/python scripts/stress_workers.py 240 2> stress.err
    grep -c "was sent SIGSEGV" stress.err

`--threads 1 --workers 8` serves the same 8 connections from single-threaded processes
instead, to tell whether the crash needs threads side by side in one process.

Run it with another interpreter's venv (its `python`) to compare interpreters; the data set
is built by `make bench` (BENCH_DATA)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402

PAGES = [
    ("lead", "/manage"),
    ("staff", "/"),
    ("staff", "/me"),
    ("staff", "/leaderboard?period=week"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seconds", type=int, nargs="?", default=240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    url = bench.database_url("sqlite", 10)
    context = bench.people(url)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "stress-not-secret",
        "JOBS_SCHEDULER": "0",
        "RATELIMIT_LOGIN": "1000 per minute",
        "PYTHONFAULTHANDLER": "1",
    }
    with bench.gunicorn("webapp:create_app()", env, args.workers, args.threads) as app:
        cookies = {who: bench.sign_in(app, context[who]) for who in ("staff", "lead")}
        started, turn = time.time(), 0
        while time.time() - started < args.seconds:
            who, path = PAGES[turn % len(PAGES)]
            turn += 1
            endpoint = bench.Endpoint(path, path, who)
            script = bench.script_for(endpoint, context, cookies[who], path)
            result = bench.wrk(app, script, 15, 8)
            print(f"{path:<28} {result.rps:6.0f} req/s  5xx {result.errors5xx}", flush=True)


if __name__ == "__main__":
    main()
