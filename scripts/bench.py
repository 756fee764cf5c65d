"""Throughput and latency of every heavy page and API endpoint at the size of a hotel chain,
each as a ratio to a bare Flask JSON endpoint measured in the same run, interleaved.

    .venv/bin/python scripts/bench.py [--databases sqlite,postgresql] [--scales 10,100]
        [--duration 10] [--connections 8] [--write]

For each database and scale it builds the data set when missing (`flask seed-load` into
BENCH_DATA, default /work/benchdata: a SQLite file, a PostgreSQL database), serves the app
and the ceiling (`scripts/bench_ceiling.py`) under gunicorn (2 workers x 4 threads) on
127.0.0.1, signs in as a staff member, the lead of the largest team and the admin, and runs
wrk (8 connections) against each endpoint right after a run against the ceiling. 100 % is
10,000 people in 200 teams with a year of history (500,000 moments, 1,000,000 kudos);
10 % is the same organisation with a tenth of the history. `--write` puts the table and the
command into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
DATA = Path(os.environ.get("BENCH_DATA", "/work/benchdata"))
PG = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
BENCHMARKS = ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- scale-bench:start -->", "<!-- scale-bench:end -->"
FULL = {"people": 10_000, "teams": 200, "moments": 500_000, "kudos": 1_000_000, "days": 365}
GIVERS, WRITERS, AGAIN = 2000, 500, 50
NAMES = {"postgresql": "PostgreSQL 15", "sqlite": "SQLite (WAL)"}


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    who: str = "staff"  # staff, lead, admin; "tokens:<kind>" for the writes
    method: str = "GET"


ENDPOINTS = [
    Endpoint("`/` feed", "/"),
    Endpoint("`/leaderboard?period=week`", "/leaderboard?period=week"),
    Endpoint("`/leaderboard?period=month`", "/leaderboard?period=month"),
    Endpoint("`/leaderboard?period=all`", "/leaderboard?period=all"),
    Endpoint("`/seasons`", "/seasons"),
    Endpoint("`/people/<id>` (a colleague)", "/people/{colleague}"),
    Endpoint("`/me`", "/me"),
    Endpoint("`/moments/new` (the people picker)", "/moments/new"),
    Endpoint("`/kudos/new` (the people picker)", "/kudos/new"),
    Endpoint("`/manage` (lead of the largest team)", "/manage", "lead"),
    Endpoint("`/manage` (admin, all teams)", "/manage", "admin"),
    Endpoint("`GET /api/v1/leaderboard`", "/api/v1/leaderboard?period=all"),
    Endpoint("`GET /api/v1/moments`", "/api/v1/moments"),
    Endpoint("`GET /api/v1/kudos`", "/api/v1/kudos"),
    Endpoint("`POST /api/v1/moments` (many writers)", "/api/v1/moments", "tokens:writers", "POST"),
    Endpoint(
        "`POST /api/v1/moments` (50 writers again)", "/api/v1/moments", "tokens:again", "POST"
    ),
    Endpoint("`POST /api/v1/kudos` (many givers)", "/api/v1/kudos", "tokens:givers", "POST"),
]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    errors5xx: int
    socket_errors: int
    codes: str = ""  # every error status seen, with its count: "409×12 422×3"


# Data sets ----------------------------------------------------------------------------------


def database_url(database: str, scale: int) -> str:
    if database == "sqlite":
        return f"sqlite:///{DATA / f'kizuki-{scale}.db'}"
    return f"{PG}/kizuki_bench_{scale}"


def flask(url: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "JOBS_SCHEDULER": "0", **extra}
    return subprocess.run(
        [str(BIN / "flask"), "--app", "webapp", *args], env=env, text=True, capture_output=True
    )


def build(database: str, scale: int) -> str:
    url = database_url(database, scale)
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'])
        subprocess.run(["psql", f"{PG}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
    flask(url, "db", "upgrade")
    started = time.perf_counter()
    size = {
        k: (v * scale // 100 if k in ("moments", "kudos", "days") else v) for k, v in FULL.items()
    }
    done = flask(url, "seed-load", *[f"--{k}={v}" for k, v in size.items()])
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    print(f"  built {database} {scale} % in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def has_data(database: str, scale: int) -> bool:
    url = database_url(database, scale)
    if database == "sqlite" and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    done = flask(url, "db", "upgrade")
    if done.returncode:
        return False
    probe = subprocess.run(
        [str(BIN / "python"), str(ROOT / "scripts" / "bench_people.py"), "probe"],
        env={**os.environ, "DATABASE_URL": url}, text=True, capture_output=True,
    )  # fmt: skip
    return probe.stdout.strip() == "yes"


# Who the benchmark acts as ------------------------------------------------------------------


def people(url: str) -> dict[str, Any]:
    wanted = json.dumps({"givers": GIVERS, "writers": WRITERS, "again": AGAIN})
    done = subprocess.run(
        [str(BIN / "python"), str(ROOT / "scripts" / "bench_people.py"), "prepare", wanted],
        env={**os.environ, "DATABASE_URL": url}, text=True, capture_output=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def sign_in(base: str, email: str) -> str:
    """A session cookie, through the real sign-in form."""
    client = requests.Session()
    page = client.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {
        "email": email,
        "password": "kizuki-demo",
        "csrf_token": token.group(1) if token else "",
    }
    answer = client.post(f"{base}/login", data=data, allow_redirects=False, timeout=60)
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in client.cookies)


# Serving ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(target: str, env: dict[str, str], workers: int = 2, threads: int = 4) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), target, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(f"{base}/ping" if "ceiling" in target else f"{base}/login", timeout=30)
                break
            except requests.RequestException:
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


# wrk ----------------------------------------------------------------------------------------

LUA_COMMON = """
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
  s5xx, s4xx, codes = 0, 0, {}
end
function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 end
  if status >= 400 then codes[status] = (codes[status] or 0) + 1 end
end
function done(summary, latency, requests)
  local five, four, seen, parts = 0, 0, {}, {}
  for _, t in ipairs(threads) do
    five = five + t:get("s5xx"); four = four + t:get("s4xx")
    for status, n in pairs(t:get("codes")) do seen[status] = (seen[status] or 0) + n end
  end
  for status, n in pairs(seen) do table.insert(parts, status .. "=" .. n) end
  io.write(string.format("STATUS 5xx=%d 4xx=%d\\n", five, four))
  io.write("CODES " .. table.concat(parts, " ") .. "\\n")
end
local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%012x", math.random(0, 0x7fffffff),
    math.random(0, 0xffff), math.random(0, 0xfff), 0x8000 + math.random(0, 0x3fff),
    math.random(0, 0x7fffffff) * 8192 + math.random(0, 8191))
end
"""

LUA_GET = """
request = function()
  return wrk.format("GET", PATH, {["Cookie"] = COOKIE})
end
"""

LUA_MOMENT = """
request = function()
  local w = TOKENS[math.random(1, #TOKENS)]
  local body = '{"client_id":"' .. uuid() .. '","team_id":' .. w.team ..
    ',"cue":"Guest looked for the lifts","action":"Walked them to their room",' ..
    '"reaction":"A relieved smile","value_ids":[' .. VALUE .. ']}'
  return wrk.format("POST", PATH, {["Authorization"] = "Bearer " .. w.token,
    ["Content-Type"] = "application/json"}, body)
end
"""

LUA_KUDOS = """
request = function()
  local w = TOKENS[math.random(1, #TOKENS)]
  local to = PEOPLE[math.random(1, #PEOPLE)]
  if to == w.user then to = PEOPLE[1 + (math.random(1, #PEOPLE) % #PEOPLE)] end
  local body = '{"client_id":"' .. uuid() .. '","message":"Thank you for noticing",' ..
    '"receiver_ids":[' .. to .. '],"value_id":' .. VALUE .. '}'
  return wrk.format("POST", PATH, {["Authorization"] = "Bearer " .. w.token,
    ["Content-Type"] = "application/json"}, body)
end
"""


def lua_table(tokens: list[dict[str, Any]]) -> str:
    rows = ",".join(f'{{token="{t["token"]}",team={t["team"]},user={t["user"]}}}' for t in tokens)
    return "{" + rows + "}"


def script_for(endpoint: Endpoint, base_ctx: dict[str, Any], cookie: str, path: str) -> str:
    lua = LUA_COMMON + f'PATH = "{path}"\nCOOKIE = "{cookie}"\nVALUE = {base_ctx["value"]}\n'
    if endpoint.method == "GET":
        return lua + LUA_GET
    kind = endpoint.who.split(":", 1)[1]
    lua += f"TOKENS = {lua_table(base_ctx['tokens'][kind])}\n"
    if "kudos" in endpoint.path:
        lua += "PEOPLE = {" + ",".join(map(str, base_ctx["people"])) + "}\n" + LUA_KUDOS
    else:
        lua += LUA_MOMENT
    return lua


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk(base: str, script: str, duration: int, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        done = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
             "--latency", "-s", handle.name, base],
            text=True, capture_output=True, timeout=duration + 60,
        )  # fmt: skip
    finally:
        os.unlink(handle.name)
    return parse(done.stdout)


def parse(output: str) -> Result:
    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    status = re.search(r"STATUS 5xx=(\d+) 4xx=(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    seen = re.search(r"^CODES (.*)$", output, re.M)
    counted = sorted(pair.split("=") for pair in seen.group(1).split()) if seen else []
    return Result(
        codes=" ".join(f"{code}×{n}" for code, n in counted),
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        non2xx=int(non2xx.group(1)) if non2xx else 0,
        errors5xx=int(status.group(1)) if status else -1,
        socket_errors=sum(map(int, sockets.groups())) if sockets else 0,
    )


# A run --------------------------------------------------------------------------------------


def measure(
    database: str, scale: int, args: argparse.Namespace
) -> list[tuple[Endpoint, Result, Result]]:
    url = database_url(database, scale) if has_data(database, scale) else build(database, scale)
    context = people(url)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-not-secret",
        "JOBS_SCHEDULER": "0",
        "JOBS_QUEUE": "kizuki-bench",
        "RATELIMIT_LOGIN": "1000 per minute",
        # A worker that dies of a signal prints every thread's Python stack (see BENCHMARKS.md:
        # workers were seen killed by SIGSEGV inside the interpreter's allocator).
        "PYTHONFAULTHANDLER": "1",
    }
    if database == "postgresql":
        env["REDIS_URL"] = REDIS
    results = []
    with (
        gunicorn("scripts.bench_ceiling:app", {}) as ceiling,
        gunicorn("webapp:create_app()", env) as app,
    ):
        cookies = {who: sign_in(app, context[who]) for who in ("staff", "lead", "admin")}
        ceiling_script = LUA_COMMON + 'PATH = "/ping"\nCOOKIE = ""\n' + LUA_GET
        for endpoint in ENDPOINTS:
            if args.only and not re.search(args.only, endpoint.label):
                continue
            path = endpoint.path.format(colleague=context["colleague"])
            cookie = cookies.get(endpoint.who, cookies["staff"])
            script = script_for(endpoint, context, cookie, path)
            wrk(app, script, 2, args.connections)  # warm up: templates, caches, connections
            base = wrk(ceiling, ceiling_script, args.duration, args.connections)
            measured = wrk(app, script, args.duration, args.connections)
            results.append((endpoint, measured, base))
            print(f"  {endpoint.label:<48} {line(measured, base)}", flush=True)
    return results


def line(measured: Result, base: Result) -> str:
    return (
        f"{measured.rps:8.1f} req/s  p50 {measured.p50_ms:7.1f} ms  p99 {measured.p99_ms:7.1f} ms"
        f"  ratio {measured.rps / max(base.rps, 1):.3f}  (ceiling {base.rps:.0f})"
        f"  5xx {measured.errors5xx}  non-2xx {measured.non2xx}"
        + (f" ({measured.codes})" if measured.codes else "")
    )


def other(measured: Result) -> str:
    """The non-2xx answers that were not 5xx, with the statuses seen."""
    count = max(measured.non2xx - max(measured.errors5xx, 0), 0)
    return f"{count} ({measured.codes})" if count and measured.codes else str(count)


def table(runs: dict[tuple[str, int], list[tuple[Endpoint, Result, Result]]]) -> str:
    lines = []
    for (database, scale), results in runs.items():
        lines += [
            f"\n#### {NAMES[database]}, {scale} % of the data\n",
            "| endpoint | req/s | ratio to ceiling | p50 | p99 | 5xx | other non-2xx "
            "| ceiling req/s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for endpoint, measured, base in results:
            lines.append(
                f"| {endpoint.label} | {measured.rps:.0f} | {measured.rps / max(base.rps, 1):.3f} "
                f"| {measured.p50_ms:.1f} ms | {measured.p99_ms:.1f} ms | {measured.errors5xx} "
                f"| {other(measured)} | {base.rps:.0f} |"
            )
    return "\n".join(lines) + "\n"


def write_docs(text: str) -> None:
    current = BENCHMARKS.read_text()
    block = f"{START}\n{text}{END}"
    if START in current:
        before, rest = current.split(START, 1)
        current = before + block + rest.split(END, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    BENCHMARKS.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scales", default="10,100")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", help="a regular expression: only the endpoints it matches")
    parser.add_argument("--write", action="store_true", help="record in docs/BENCHMARKS.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench does)")
    runs = {}
    load = os.getloadavg()
    for database in args.databases.split(","):
        for scale in map(int, args.scales.split(",")):
            print(f"== {database}, {scale} % of the data", flush=True)
            runs[(database, scale)] = measure(database, scale, args)
    command = "make bench  # " + " ".join([".venv/bin/python scripts/bench.py", *sys.argv[1:]])
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores "
        f"(load average {load[0]:.1f} when the run began: the machine is shared), with\n"
        f"`{command}`.\n"
    )
    text = header + table(runs)
    print(text)
    if args.write:
        write_docs(text)


if __name__ == "__main__":
    main()
