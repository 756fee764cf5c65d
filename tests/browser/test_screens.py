"""A screenshot of each main screen on a phone, kept as test artifacts
(test-artifacts/screenshots/) for reviewers; every screen must load and be under the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import BROWSER, wait_for_worker
from tests.browser.live import LiveApp, sign_in

pytestmark = BROWSER

STAFF_SCREENS = [
    ("/", "feed"),
    ("/moments/new", "moment-form"),
    ("/kudos/new", "kudos-form"),
    ("/leaderboard", "leaderboard"),
    ("/me", "profile"),
    ("/offline", "offline"),
]


def _shoot(page: Any, path: str, target: Path) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 1000


def test_screenshots_of_the_staff_screens(page: Any, live: LiveApp, screenshots: Path) -> None:
    sign_in(page, live)
    wait_for_worker(page)
    for path, name in STAFF_SCREENS:
        _shoot(page, path, screenshots / f"phone-{name}.png")


@pytest.mark.parametrize(("who", "path"), [("manager", "/manage"), ("admin", "/admin")])
def test_screenshots_of_the_management_screens(
    page: Any, live: LiveApp, screenshots: Path, who: str, path: str
) -> None:
    sign_in(page, live, getattr(live.people, f"{who}_email"))
    _shoot(page, path, screenshots / f"phone-{who}.png")
