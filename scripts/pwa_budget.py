"""Measure the PWA budgets: the signed-in feed's first-load transfer, the JavaScript's
compressed size, and whether a repeat visit loads the app shell without the network.

    .venv/bin/python scripts/pwa_budget.py [--write] [--lighthouse /tmp/lh]

Serves a seeded copy of the app (the demo hotel) on 127.0.0.1 and drives Debian's Chromium
on a phone profile. `--write` records the figures in docs/BENCHMARKS.md; `--lighthouse DIR`
also runs Lighthouse 11 from DIR/node_modules (npm install --prefix DIR lighthouse@11).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.live import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    Account,
    demo_app,
    sign_in_as,
)

FEED_BUDGET = 150 * 1024
JS_BUDGET = 35 * 1024
JS_DIR = ROOT / "static" / "pwa" / "js"
BENCHMARKS = ROOT / "docs" / "BENCHMARKS.md"
LIGHTHOUSE_PAGES = ["/", "/moments/new", "/leaderboard"]
SECTION_START = "<!-- pwa-budget:start -->"
SECTION_END = "<!-- pwa-budget:end -->"


class RequestLog:
    """WSGI middleware that notes every path the server is asked for."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app, self.lock = app, threading.Lock()
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.lock:
            self.paths.append(environ.get("PATH_INFO", ""))
        return self.app(environ, start_response)

    def take(self) -> list[str]:
        with self.lock:
            paths, self.paths = self.paths, []
        return paths


@dataclass
class Figures:
    feed_bytes: int = 0  # over the wire, headers included, as served (gzip from the app)
    feed_body_bytes: int = 0  # the same responses' bodies, uncompressed
    feed_requests: list[tuple[str, int]] = field(default_factory=list)
    js_gzip: dict[str, int] = field(default_factory=dict)
    repeat_paths: list[str] = field(default_factory=list)
    lighthouse: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def js_total(self) -> int:
        return sum(self.js_gzip.values())

    @property
    def repeat_shell_requests(self) -> list[str]:
        return [p for p in self.repeat_paths if p.startswith("/static/")]


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def measure_js() -> dict[str, int]:
    files = sorted(JS_DIR.glob("*.js")) + [ROOT / "static" / "pwa" / "sw.js"]
    return {path.relative_to(ROOT).as_posix(): gzip_size(path.read_bytes()) for path in files}


def measure_first_load(browser: Any, account: Account, figures: Figures) -> Any:
    """Open the feed in a fresh phone that only has the session cookie; returns its context."""
    login = browser.new_context(**PHONE)
    sign_in_as(login.new_page(), account)
    cookies = login.cookies()
    login.close()

    context = browser.new_context(**PHONE)
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(f"{account.url}/")
    page.wait_for_load_state("networkidle")
    figures.feed_requests = [(urls.get(rid, rid), size) for rid, size in sizes.items()]
    figures.feed_bytes = sum(sizes.values())
    for url, _size in figures.feed_requests:
        if url.startswith(account.url):
            figures.feed_body_bytes += len(page.request.get(url).body())
    return context


def measure_repeat(context: Any, account: Account, log: RequestLog, figures: Figures) -> None:
    """Come back to the feed: the worker must answer every shell file from its cache."""
    page = context.pages[0]
    page.evaluate(
        """() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller
            || new Promise((r) => navigator.serviceWorker.addEventListener(
                'controllerchange', r, {once: true})))"""
    )
    page.wait_for_load_state("networkidle")
    log.take()
    page.goto(f"{account.url}/")
    page.wait_for_load_state("networkidle")
    figures.repeat_paths = log.take()


def run_lighthouse(
    lh_dir: Path, account: Account, cookies: list[dict[str, Any]], reports: Path | None = None
) -> dict[str, Any]:
    binary = lh_dir / "node_modules" / ".bin" / "lighthouse"
    header = json.dumps({"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in cookies)})
    results: dict[str, Any] = {}
    for path in LIGHTHOUSE_PAGES:
        out = subprocess.run(
            [
                str(binary),
                f"{account.url}{path}",
                "--quiet",
                "--output=json",
                "--form-factor=mobile",
                "--only-categories=performance,accessibility,best-practices,pwa",
                f"--chrome-flags={' '.join([*CHROMIUM_ARGS, '--headless=new'])}",
                f"--extra-headers={header}",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=300,
            check=False,
        )
        if out.returncode != 0:
            results[path] = {"error": out.stderr.strip().splitlines()[-1:] or ["failed"]}
            continue
        report = json.loads(out.stdout)
        if reports:
            reports.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "-") or "feed"
            (reports / f"lighthouse-{name}.json").write_text(out.stdout)
        results[path] = {k: v["score"] for k, v in report["categories"].items()}
    return results


@contextmanager
def served(directory: Path) -> Iterator[tuple[Account, RequestLog]]:
    """The seeded app, served here, with a log of the paths it is asked for."""
    with demo_app(directory) as account:
        assert account.app is not None
        log = RequestLog(account.app.wsgi_app)
        account.app.wsgi_app = log  # type: ignore[method-assign]
        yield account, log


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def report(figures: Figures) -> str:
    lines = [
        f"- Feed, first load (signed in, empty caches): {kb(figures.feed_bytes)} transferred "
        f"(budget {kb(FEED_BUDGET)}), {len(figures.feed_requests)} requests; "
        f"{kb(figures.feed_body_bytes)} uncompressed.",
        f"- JavaScript, gzip -9: {kb(figures.js_total)} for {len(figures.js_gzip)} files "
        f"incl. sw.js (budget {kb(JS_BUDGET)}).",
        f"- Repeat visit: {len(figures.repeat_shell_requests)} app-shell requests reached the "
        f"server; all requests: {', '.join(figures.repeat_paths) or 'none'}.",
    ]
    for path, scores in figures.lighthouse.items():
        lines.append(f"- Lighthouse 11 (mobile) {path}: {json.dumps(scores)}")
    return "\n".join(lines)


def write_benchmarks(figures: Figures, command: str) -> None:
    section = "\n".join(
        [
            SECTION_START,
            "## PWA budgets",
            "",
            f"Measured by `{command}` (Debian Chromium, phone profile, demo data).",
            "",
            report(figures),
            "",
            "| file | gzip bytes |",
            "|---|---:|",
            *[f"| `{name}` | {size} |" for name, size in figures.js_gzip.items()],
            SECTION_END,
        ]
    )
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Kizuki benchmarks\n"
    if SECTION_START in text:
        before, rest = text.split(SECTION_START, 1)
        text = before + section + rest.split(SECTION_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    BENCHMARKS.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record in docs/BENCHMARKS.md")
    parser.add_argument("--lighthouse", type=Path, help="folder with node_modules/lighthouse")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    figures = Figures(js_gzip=measure_js())
    with tempfile.TemporaryDirectory() as folder, served(Path(folder)) as (account, log):
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = measure_first_load(browser, account, figures)
            measure_repeat(context, account, log, figures)
            cookies = context.cookies()
            context.close()
            browser.close()
        if args.lighthouse:
            figures.lighthouse = run_lighthouse(args.lighthouse, account, cookies, args.reports)
    print(report(figures))
    for url, size in sorted(figures.feed_requests, key=lambda item: -item[1]):
        print(f"    {size:>8}  {url}")
    if args.write:
        command = ".venv/bin/python scripts/pwa_budget.py --write"
        if args.lighthouse:
            command += " --lighthouse /tmp/lh"
        write_benchmarks(figures, command)
    ok = (
        figures.feed_bytes <= FEED_BUDGET
        and figures.js_total <= JS_BUDGET
        and not figures.repeat_shell_requests
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
