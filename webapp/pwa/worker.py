"""The service worker script: the hand-written static/pwa/sw.js with its build stamped in.

The stamp names the app version and a digest of the app shell, so every deploy (and every
change to a shell file during development) installs a new worker under a new cache name.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import url_for

# The line in sw.js that the server replaces with the real build description.
BUILD_MARKER = "// @build"
SHELL_ICONS = (
    "icon-192.png",
    "icon-512.png",
    "maskable-192.png",
    "maskable-512.png",
    "logo.svg",
    "favicon-32.png",
    "apple-touch-icon.png",
)


def shell_files(static_root: Path) -> list[Path]:
    """The static files of the app shell, precached on install."""
    pwa = static_root / "pwa"
    files = [pwa / "css" / "app.css", pwa / "css" / "kiosk.css", *sorted((pwa / "js").glob("*.js"))]
    files += [pwa / "icons" / name for name in SHELL_ICONS]
    # A badge revealed (or listed) on a page read offline shows its picture too.
    files += sorted((pwa / "icons" / "badges").glob("*.svg"))
    return [path for path in files if path.is_file()]


def _stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


@lru_cache(maxsize=8)
def _digest(stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _mtime, _size in stamp:
        digest.update(name.encode())
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:10]


def render_worker(static_root: Path, app_version: str, offline_url: str) -> str:
    """The worker's source with the build line filled in."""
    source_path = static_root / "pwa" / "sw.js"
    shell = shell_files(static_root)
    digest = _digest(_stamp([*shell, source_path]))
    build = {
        "version": f"{app_version}-{digest}",
        "offline": offline_url,
        "shell": [offline_url]
        + [url_for("static", filename=p.relative_to(static_root).as_posix()) for p in shell],
    }
    line = f"const BUILD = {json.dumps(build, separators=(',', ':'))}; {BUILD_MARKER}"
    lines = source_path.read_text(encoding="utf-8").splitlines()
    stamped = [line if BUILD_MARKER in text else text for text in lines]
    return "\n".join(stamped) + "\n"
