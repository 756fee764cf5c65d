"""The JavaScript tests in tests/js/*.test.mjs, run by Node's own test runner (no framework,
no packages) as part of the pytest run, so `make test` runs them too.

Skipped only where Node is missing on a developer's machine; CI (KIZUKI_REQUIRE_BROWSER=1,
as for the browser tests) never skips: a missing Node fails there."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE = shutil.which("node")
REQUIRED = bool(os.environ.get("KIZUKI_REQUIRE_BROWSER"))

needs_node = pytest.mark.skipif(
    NODE is None and not REQUIRED, reason="node is not installed (apt-get install nodejs)"
)


def run_node(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run node from the repository root; fails the test when Node is missing in CI."""
    assert NODE is not None, "node is required here (KIZUKI_REQUIRE_BROWSER is set)"
    return subprocess.run(
        [NODE, *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120
    )


@needs_node
def test_the_javascript_suite_passes() -> None:
    files = sorted(str(path.relative_to(ROOT)) for path in HERE.glob("*.test.mjs"))
    assert files, "no tests/js/*.test.mjs found"
    result = run_node("--test", *files)
    assert result.returncode == 0, f"node --test failed:\n{result.stdout}\n{result.stderr}"
