"""The manager's insights, practices and the digest in a real browser, on the seeded demo
hotel: every page fits a 320 px phone and a desktop at 200 % zoom without sideways
scrolling, in Dutch and English, for every role that sees it; the numbers behind a chart
open without JavaScript; the CSP is never violated. Screenshots at 390 px and 1280 px go to
test-artifacts/issue11/ for reviewers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import BROWSER
from tests.browser.live import Account, demo_app, sign_in_as

pytestmark = BROWSER

MANAGER_PAGES = [
    "/manage",
    "/manage/trends",
    "/manage/what-works",
    "/manage/budget",
    "/manage/patterns",
    "/manage/export",
]
EVERYONE = ["/practices", "/digest"]
SHOTS = {
    "/manage": "manage",
    "/manage/what-works": "what-works",
    "/practices": "practices",
    "/digest": "digest",
    "/manage/trends": "trends",
    "/manage/patterns": "patterns",
    "/manage/budget": "budget",
}
# Who signs in: Dutch (the front desk lead, a staff member) and English (another lead).
PEOPLE = {
    "manager-nl": "manager@demo.test",
    "manager-en": "lead.housekeeping@demo.test",
    "lead-restaurant": "lead.restaurant@demo.test",
    "staff-nl": "staff1@demo.test",
    "staff-en": "staff2@demo.test",
    "admin": "admin@demo.test",
}


@pytest.fixture(scope="module")
def hotel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    with demo_app(tmp_path_factory.mktemp("hotel")) as account:
        yield account


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = ARTIFACTS / "issue11"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser: Any, hotel: Account, who: str, width: int, scale: float = 1) -> Any:
    context = browser.new_context(
        base_url=hotel.url,
        viewport={"width": width, "height": 900},
        device_scale_factor=scale,
        locale="en-GB",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda m: page.problems.append(m.text) if m.type == "error" else None,  # type: ignore[attr-defined]
    )
    sign_in_as(page, Account(hotel.url, PEOPLE[who], hotel.password))
    return page


def _fits(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
    assert page.problems == [], page.problems


@pytest.mark.parametrize("who", ["manager-nl", "manager-en", "admin"])
@pytest.mark.parametrize("width", [320, 640])  # a small phone; 1280 px at 200 % zoom
def test_manager_pages_fit_without_sideways_scrolling(browser, hotel, who, width):
    page = _open(browser, hotel, who, width)
    for path in MANAGER_PAGES + EVERYONE:
        _fits(page, path)
    page.context.close()


@pytest.mark.parametrize("who", ["staff-nl", "staff-en"])
def test_staff_pages_fit_and_manager_pages_stay_closed(browser, hotel, who):
    page = _open(browser, hotel, who, 320)
    for path in EVERYONE:
        _fits(page, path)
    assert page.goto("/manage/what-works").status == 403
    page.context.close()


def test_the_numbers_behind_a_chart_open_without_javascript(browser, hotel):
    context = browser.new_context(base_url=hotel.url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in_as(page, Account(hotel.url, PEOPLE["manager-en"], hotel.password))
    page.goto("/manage/trends")
    first = page.locator("details.chart-data").first
    assert not first.locator("table").is_visible()
    first.locator("summary").click()
    assert first.locator("table").is_visible()
    box = page.locator("svg.chart").first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    context.close()


def test_the_restaurant_lead_sees_the_pattern_the_demo_planted(browser, hotel):
    page = _open(browser, hotel, "lead-restaurant", 390)
    page.goto("/manage/patterns")
    assert page.locator("#pairs ~ article, section[aria-labelledby=pairs] article").count() == 1
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_for_the_issue(browser, hotel, shots, width):
    for who in ("manager-nl", "manager-en"):
        page = _open(browser, hotel, who, width)
        for path, name in SHOTS.items():
            page.goto(path)
            target = shots / f"{name}-{width}-{who.split('-')[1]}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 5000
        page.context.close()
