"""The fixed cost every request pays, in one process: each page as a ratio to a bare Flask
JSON endpoint measured in the same run, with the statements and the Python function calls each
request makes (exact, so they compare runs on a busy machine where the times cannot).

    .venv/bin/python scripts/profile_overhead.py [--database /tmp/kizuki_overhead.db]
        [--requests 200] [--rounds 5] [--clock cpu|wall]
        [--profile URL [--top 25]] [--gzip-levels 1,6,9] [--compare-gettext]

The data is the demo hotel (`flask seed-demo`), built into the SQLite file the first time.
The app runs with the settings `make bench` serves it with (CSRF, limits, compression on;
no background clock), driven through Flask's test client: no sockets, no server, so what is
left is Flask, the hooks, the view and its templates. The endpoints are measured in turns
(`--rounds`), each turn `--requests` requests of every endpoint, so a busy neighbour slows all
of them alike; the figure is the median of all requests of an endpoint, in this process's CPU
time by default (`--clock wall` for elapsed time), so other work on a shared machine does not
count: waiting for a core is not a cost of the request.

`--profile URL` prints the top cProfile entries of that URL (signed in), by cumulative and by
own time, instead of the table; `--gzip-levels 1,6,9` prints the bytes and the time of
compressing each body at those levels; `--compare-gettext` times the feed, the board and a
light page with Flask-Babel's template callables against Kizuki's, alternating in one process.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask, jsonify  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_babel import get_translations  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from scripts.statements import counted  # noqa: E402
from webapp import create_app, templating  # noqa: E402
from webapp.auth.tokens import create_token, revoke_token, tokens_of  # noqa: E402
from webapp.demo.seed import PASSWORD, seed_demo  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.i18n import install_page_gettext  # noqa: E402
from webapp.models import User  # noqa: E402

# The demo hotel, built once and reused by later runs (delete it to rebuild).
DEFAULT_DATABASE = Path(tempfile.gettempdir()) / "kizuki_overhead.db"
PERSON = "staff2@demo.test"  # a staff member of the largest team, reading in English
HOOKS_ONLY = "/_overhead/ping"
TOKEN_NAME = "profile_overhead"  # noqa: S105  (the name of the tokens it makes)
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    who: str  # "bare" (the baseline app), "anonymous", "signed-in", "token"


ENDPOINTS = [
    Endpoint("baseline: bare Flask JSON", "/ping", "bare"),
    Endpoint("Kizuki's hooks + the same JSON, signed in", HOOKS_ONLY, "signed-in"),
    Endpoint("`/healthz`", "/healthz", "anonymous"),
    Endpoint("`/login` signed out", "/login", "anonymous"),
    Endpoint("`/offline` signed in (a light page)", "/offline", "signed-in"),
    Endpoint("`/` feed", "/", "signed-in"),
    Endpoint("`/leaderboard`", "/leaderboard", "signed-in"),
    Endpoint("`GET /api/v1/moments` (bearer token)", "/api/v1/moments", "token"),
]


def bare_app() -> Flask:
    """The baseline: the least a Flask request can do (as scripts/bench_ceiling.py)."""
    app = Flask("baseline")

    @app.get("/ping")
    def ping() -> object:
        return jsonify(ok=True, service="ceiling")

    return app


def kizuki_app(database: Path) -> Flask:
    """Kizuki as `make bench` serves it, plus a JSON route that only pays the hooks."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "overhead-not-secret",
            "JOBS_SCHEDULER": False,
            "RATELIMIT_LOGIN": "1000 per minute",
        }
    )

    @app.get(HOOKS_ONLY)
    def overhead_ping() -> object:
        return jsonify(ok=True, service="ceiling")

    return app


def ensure_demo(app: Flask, missing: bool) -> None:
    if not missing:
        return
    print("Building the demo hotel (once, about a minute) ...", flush=True)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_demo(progress=False)
        db.session.commit()


def signed_in_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    found = CSRF_FIELD.search(page)
    token = found.group(1) if found else ""
    answer = client.post(
        "/login", data={"email": PERSON, "password": PASSWORD, "csrf_token": token}
    )
    if answer.status_code != 302:
        raise SystemExit(f"Signing in as {PERSON} failed: {answer.status_code}")
    return client


def bearer_header(app: Flask) -> dict[str, str]:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == PERSON)).one()
        for earlier in tokens_of(db.session(), user):  # a person may hold 20 at most
            if earlier.name.startswith(TOKEN_NAME):
                revoke_token(db.session(), user, earlier.id)
        _token, raw = create_token(db.session(), user, f"{TOKEN_NAME} {time.time_ns()}", "read")
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


@dataclass
class Callers:
    bare: FlaskClient
    anonymous: FlaskClient
    signed_in: FlaskClient
    token: dict[str, str]

    def request(self, endpoint: Endpoint) -> Callable[[], Any]:
        """A call of `endpoint` as a browser makes it (gzip accepted)."""
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "en-GB,en;q=0.8"}
        if endpoint.who == "token":
            headers.update(self.token)
        client = {"bare": self.bare, "anonymous": self.anonymous, "token": self.anonymous}.get(
            endpoint.who, self.signed_in
        )
        path = endpoint.path

        def call() -> Any:
            answer = client.get(path, headers=headers)
            if answer.status_code != 200:
                raise SystemExit(f"{path} answered {answer.status_code}")
            return answer

        return call


def measure(
    callers: Callers, app: Flask, requests: int, rounds: int, clock: Callable[[], float]
) -> dict[str, dict[str, float]]:
    calls = {e.label: callers.request(e) for e in ENDPOINTS}
    for call in calls.values():  # warm up: templates compiled, caches filled
        for _ in range(5):
            call()
    timings: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(rounds):
        for label, call in calls.items():
            for _ in range(requests):
                started = clock()
                call()
                timings[label].append(clock() - started)
    results = {}
    for endpoint in ENDPOINTS:
        call = calls[endpoint.label]
        with counted(app) as statements:
            answer = call()
        profiler = cProfile.Profile()
        profiler.enable()
        call()
        profiler.disable()
        body = answer.get_data()
        plain = gzip.decompress(body) if answer.headers.get("Content-Encoding") == "gzip" else body
        results[endpoint.label] = {
            "median_ms": statistics.median(timings[endpoint.label]) * 1000,
            "statements": len(statements),
            # Python function calls of one request: exact, whatever the machine is doing.
            "calls": pstats.Stats(profiler).total_calls,  # type: ignore[attr-defined]
            "bytes": len(body),
            "plain_bytes": len(plain),
        }
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    baseline = results[ENDPOINTS[0].label]["median_ms"]
    lines = [
        "| request | median | ratio to baseline | Python calls | statements "
        "| bytes sent (uncompressed) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, found in results.items():
        lines.append(
            f"| {label} | {found['median_ms']:.2f} ms | {found['median_ms'] / baseline:.1f} "
            f"| {found['calls']:,.0f} | {found['statements']:.0f} "
            f"| {found['bytes']:,.0f} ({found['plain_bytes']:,.0f}) |"
        )
    return "\n".join(lines)


def gzip_levels(callers: Callers, levels: list[int], repeat: int) -> str:
    """Bytes and time of compressing each page's body (and the app's CSS and JS) per level."""
    bodies = {e.label: callers.request(e)().get_data() for e in ENDPOINTS if e.who != "bare"}
    for asset in ("/static/pwa/css/app.css", "/static/pwa/js/app.js"):
        bodies[f"`{asset}`"] = callers.anonymous.get(asset).get_data()
    bodies = {k: gzip.decompress(b) if b[:2] == b"\x1f\x8b" else b for k, b in bodies.items()}
    head = " | ".join(f"level {level}" for level in levels)
    lines = [f"| body (bytes) | {head} |", "|---|" + "---:|" * len(levels)]
    for label, body in bodies.items():
        if len(body) < 1024:
            continue
        cells = []
        for level in levels:
            took = []
            for _ in range(repeat):
                started = time.perf_counter()
                packed = gzip.compress(body, compresslevel=level, mtime=0)
                took.append(time.perf_counter() - started)
            cells.append(f"{len(packed):,} B, {statistics.median(took) * 1e6:.0f} µs")
        lines.append(f"| {label} ({len(body):,}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def compare_gettext(callers: Callers, app: Flask, requests: int, rounds: int) -> str:
    """The templates' messages through Flask-Babel's callables (the baseline: its domain,
    locale and cache looked up per message) against Kizuki's (bound once per render), in
    the same process, in alternating turns; CPU time per request."""
    bound = templating.render_gettext

    def flask_babels() -> None:
        templating.render_gettext = dict  # type: ignore[assignment]  (no per-render binding)
        app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda s: get_translations().ugettext(s),
            ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
            newstyle=True,
            pgettext=lambda c, s: get_translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
        )

    def kizukis() -> None:
        templating.render_gettext = bound
        install_page_gettext(app.jinja_env)

    lines = [
        "| page | Flask-Babel's callables | bound per render | ratio |",
        "|---|---:|---:|---:|",
    ]
    for path in ("/", "/leaderboard", "/offline"):
        call = callers.request(Endpoint(path, path, "signed-in"))
        took: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(rounds):
            for name, use in (("old", flask_babels), ("new", kizukis)):
                use()
                call()
                for _ in range(requests):
                    started = time.process_time()
                    call()
                    took[name].append(time.process_time() - started)
        old, new = (statistics.median(took[k]) * 1000 for k in ("old", "new"))
        lines.append(f"| `{path}` | {old:.2f} ms | {new:.2f} ms | {new / old:.2f} |")
    kizukis()
    return "\n".join(lines)


def profile(callers: Callers, url: str, requests: int, top: int) -> None:
    """The top entries of cProfile over `requests` signed-in requests of `url`."""
    who = "token" if url.startswith("/api/") else "signed-in"
    call = callers.request(Endpoint(url, url, who))
    for _ in range(5):
        call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call()
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        print(f"--- {url}, {requests} requests, by {order} ---")
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--requests", type=int, default=200, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", metavar="URL")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu (default): this process's CPU time, which other processes on a shared "
        "machine do not inflate; wall: elapsed time",
    )
    parser.add_argument(
        "--compare-gettext",
        action="store_true",
        help="templates' messages: Flask-Babel's callables against Kizuki's, same process",
    )
    parser.add_argument(
        "--gzip-levels", metavar="LEVELS", help="e.g. 1,4,6,9: bytes and time per level"
    )
    args = parser.parse_args()
    missing = not args.database.exists()
    app = kizuki_app(args.database)
    ensure_demo(app, missing)
    callers = Callers(
        bare=bare_app().test_client(),
        anonymous=app.test_client(),
        signed_in=signed_in_client(app),
        token=bearer_header(app),
    )
    if args.compare_gettext:
        print(compare_gettext(callers, app, args.requests, args.rounds))
        return
    if args.gzip_levels:
        levels = [int(level) for level in args.gzip_levels.split(",")]
        print(gzip_levels(callers, levels, args.requests))
        return
    if args.profile:
        profile(callers, args.profile, args.requests, args.top)
        return
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    print(table(measure(callers, app, args.requests, args.rounds, clock)))


if __name__ == "__main__":
    main()
