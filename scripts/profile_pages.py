"""What the heaviest pages and writes cost in Python, per request, in one process: each as a
ratio to a minimal request through the same app (`/healthz`), measured interleaved in the
same run, with the number of SQL statements each request makes.

    DATABASE_URL=sqlite:////work/benchdata-speed/kizuki-10.db \\
        .venv/bin/python scripts/profile_pages.py [-n 30] [--only manage] [--in-place]
        [--profile "/manage (lead)"] [--top 40]

The database is a data set `flask seed-load` built (by default the 10 % set: `seed-load
--teams 200 --people 10000 --moments 50000 --kudos 100000 --days 36`). A SQLite database is
copied to a temporary file first, so the writes measured never pile up in it (`--in-place`
uses it as it is). Through Flask's test client (no HTTP server, no other process), the
script signs in through the real form as the lead of the largest team, the admin and a
member of that team, and takes write-scope API tokens of many people (the givers' weekly
allowance reset), as `scripts/bench.py` does. Then, for each endpoint, it times N requests,
each right after a `/healthz` request, and prints the medians and their ratio. Timings are
wall time on a shared machine: compare ratios measured in the same run, not milliseconds
across runs. `--profile LABEL` runs that endpoint N times under cProfile instead and prints
the top entries by own time and by cumulative time. GET answers' sizes are shown in bytes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from scripts.statements import counted  # noqa: E402

DEFAULT_URL = "sqlite:////work/benchdata-speed/kizuki-10.db"
WRITERS = 300  # people whose tokens the writes rotate through (caps and allowance per person)
EXPECTED = {"GET": {200}, "POST": {201}, "FORM": {302}}


@dataclass(frozen=True)
class Endpoint:
    label: str
    who: str  # lead, admin, staff; "writer" and "giver" use API tokens
    path: str
    method: str = "GET"


ENDPOINTS = [
    Endpoint("/manage (lead)", "lead", "/manage"),
    Endpoint("/manage (admin)", "admin", "/manage"),
    Endpoint("/me", "staff", "/me"),
    Endpoint("/", "staff", "/"),
    Endpoint("/leaderboard?period=week", "staff", "/leaderboard?period=week"),
    Endpoint("/seasons", "staff", "/seasons"),
    Endpoint("POST /api/v1/moments", "writer", "/api/v1/moments", "POST"),
    Endpoint("POST /api/v1/kudos", "giver", "/api/v1/kudos", "POST"),
    # The page's form (what a person's first moments of the day earn, shown with joy).
    Endpoint("POST /moments/new (page)", "staff", "/moments/new", "FORM"),
    # The forms with the people picker and its search (issue 13: every colleague was listed).
    Endpoint("/moments/new", "staff", "/moments/new"),
    Endpoint("/kudos/new", "staff", "/kudos/new"),
    Endpoint("/manage/recognize (lead)", "lead", "/manage/recognize"),
    Endpoint("/api/v1/people?q=an", "staff", "/api/v1/people?q=an"),
]
# The size in bytes of each GET endpoint's last answer (what a phone downloads).
SIZES: dict[str, int] = {}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=30, help="requests per endpoint (default 30)")
    parser.add_argument("--only", help="a regular expression the endpoints' labels match")
    parser.add_argument("--profile", metavar="LABEL", help="profile one endpoint (its label)")
    parser.add_argument("--top", type=int, default=35, help="profile entries shown")
    parser.add_argument("--in-place", action="store_true", help="do not copy a SQLite file")
    return parser.parse_args()


@contextmanager
def database_copy(url: str, in_place: bool) -> Iterator[str]:
    """A throw-away copy of a SQLite database (writes measured never accumulate)."""
    if in_place or not url.startswith("sqlite:///"):
        yield url
        return
    source = Path(url.removeprefix("sqlite:///"))
    with tempfile.TemporaryDirectory(prefix="profile-pages-") as folder:
        target = Path(folder) / source.name
        for suffix in ("", "-wal"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
        yield f"sqlite:///{target}"


def make_app(url: str) -> Flask:
    os.environ["DATABASE_URL"] = url
    from webapp import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "profile-not-secret",
            "JOBS_SCHEDULER": False,
            "RATELIMIT_LOGIN": "1000 per minute",
            "RATELIMIT_LOGIN_ACCOUNT": "1000 per minute",
            "SERVER_NAME": "localhost",
        }
    )


def who(app: Flask) -> dict[str, Any]:
    """The people the requests act as (the same choice as scripts/bench.py)."""
    from sqlalchemy import select

    from scripts.bench_people import prepare
    from webapp.extensions import db
    from webapp.models import Membership, User

    with app.app_context():
        found = prepare({"givers": WRITERS, "writers": WRITERS})
        found["team"] = db.session.scalar(
            select(Membership.team_id).join(User).where(User.email == found["staff"])
        )
        return found


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return token.group(1) if token else ""


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login",
        data={
            "email": email,
            "password": "kizuki-demo",
            "csrf_token": token,
        },
    )
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def requester(app: Flask, people: dict[str, Any], endpoint: Endpoint) -> Callable[[], int]:
    """A function making one request of `endpoint`, answering its status."""
    if endpoint.method == "GET":
        client = signed_in(app, people[endpoint.who])

        def read() -> int:
            response = client.get(endpoint.path)
            SIZES[endpoint.label] = len(response.get_data())
            return response.status_code

        return read
    if endpoint.method == "FORM":
        return form_writer(app, people, endpoint)
    client = app.test_client()
    kind = "writers" if endpoint.who == "writer" else "givers"
    tokens = cycle(people["tokens"][kind])
    everyone = people["people"]
    value = people["value"]

    def write() -> int:
        token = next(tokens)
        if kind == "writers":
            body: dict[str, Any] = {
                "client_id": str(uuid.uuid4()),
                "team_id": token["team"],
                "cue": "Guest looked for the lifts",
                "action": "Walked them to their room",
                "reaction": "A relieved smile",
                "value_ids": [value],
            }
        else:
            receiver = everyone[(everyone.index(token["user"]) + 1) % len(everyone)]
            body = {
                "client_id": str(uuid.uuid4()),
                "message": "Thank you for noticing",
                "receiver_ids": [receiver],
                "value_id": value,
            }
        headers = {"Authorization": f"Bearer {token['token']}"}
        return client.post(endpoint.path, json=body, headers=headers).status_code

    return write


def form_writer(app: Flask, people: dict[str, Any], endpoint: Endpoint) -> Callable[[], int]:
    """Logging a moment through the page's form, as the staff member (a redirect when done)."""
    client = signed_in(app, people[endpoint.who])
    token = csrf_token(client, endpoint.path)

    def write() -> int:
        form = {
            "csrf_token": token,
            "client_id": str(uuid.uuid4()),
            "team_id": str(people["team"]),
            "cue": "Guest looked for the lifts",
            "action": "Walked them to their room",
            "reaction": "A relieved smile",
            "value_ids": str(people["value"]),
        }
        return client.post(endpoint.path, data=form).status_code

    return write


def timed(call: Callable[[], int], expected: set[int]) -> float:
    started = time.perf_counter()
    status = call()
    took = time.perf_counter() - started
    if status not in expected:
        raise SystemExit(f"unexpected status {status}")
    return took


def measure(app: Flask, people: dict[str, Any], n: int, only: str | None) -> None:
    baseline_client = app.test_client()

    def baseline() -> int:
        return baseline_client.get("/healthz").status_code

    for _ in range(20):  # warm the baseline up (imports, first-request work)
        baseline()
    print(f"{n} requests each, every one right after a /healthz request (the baseline)\n")
    print(
        f"| {'endpoint':<26} | statements |   median | baseline median | ratio |   bytes |\n"
        f"|{'-' * 28}|-----------:|---------:|----------------:|------:|--------:|"
    )
    everything: list[float] = []
    for endpoint in ENDPOINTS:
        if only and not re.search(only, endpoint.label):
            continue
        call = requester(app, people, endpoint)
        expected = EXPECTED[endpoint.method]
        for _ in range(3):  # warm-up: templates compiled, caches filled
            timed(call, expected)
        with counted(app) as seen:
            timed(call, expected)
        count = len(seen)
        own, base = [], []
        for _ in range(n):
            base.append(timed(baseline, {200}))
            own.append(timed(call, expected))
        everything += base
        mine, theirs = statistics.median(own), statistics.median(base)
        print(
            f"| {endpoint.label:<26} | {count:>10} | {mine * 1000:>5.1f} ms"
            f" | {theirs * 1000:>12.2f} ms | {mine / theirs:>5.0f} |"
            f" {SIZES.get(endpoint.label, 0) or '':>7} |",
            flush=True,
        )
    if everything:
        overall = statistics.median(everything) * 1000
        print(f"\nbaseline (/healthz) over the whole run: {overall:.2f} ms")


def profile(app: Flask, people: dict[str, Any], n: int, label: str, top: int) -> None:
    found = [e for e in ENDPOINTS if e.label == label]
    if not found:
        raise SystemExit(f"no endpoint {label!r}; one of: {[e.label for e in ENDPOINTS]}")
    endpoint = found[0]
    call = requester(app, people, endpoint)
    expected = EXPECTED[endpoint.method]
    for _ in range(3):
        timed(call, expected)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    print(f"{endpoint.label}: {n} requests under cProfile\n\nBy own time:")
    stats.sort_stats("tottime").print_stats(top)
    print("By cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    args = arguments()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    with database_copy(url, args.in_place) as copy:
        app = make_app(copy)
        people = who(app)
        if args.profile:
            profile(app, people, args.n, args.profile, args.top)
        else:
            measure(app, people, args.n, args.only)


if __name__ == "__main__":
    main()
