"""Reflow (WCAG 1.4.10, issue 12 §8): no page scrolls sideways at 320 CSS px or at 200 % zoom
of a 390 px phone (195 CSS px), for every role.

Every GET page of the URL map (as classified in tests/web/test_page_isolation.py, which fails
when a page is added without a classification) plus the API's documentation page is opened
in Chromium at 320 × 640, in English and Dutch, by each role that may see it, with the
objects its ids name made first, then laid out again at 195 px; at each width the document
must be no wider than the screen and no tab label cut off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import BROWSER
from tests.browser.live import Account, build_app, serve, sign_in_as
from tests.factories import PASSWORD, build_world
from tests.web.test_page_isolation import ADMIN, MANAGER, PAGES, PUBLIC, STAFF, _make, _url
from webapp.extensions import db

pytestmark = BROWSER

# A small phone, and 200 % zoom of a 390 px phone (the CSS viewport halves).
WIDTHS = [320, 195]
# Who opens the pages of each level (public pages: signed out).
SEES = {PUBLIC: {PUBLIC}, STAFF: {STAFF, MANAGER, ADMIN}, MANAGER: {MANAGER, ADMIN}, ADMIN: {ADMIN}}
# The tab bar's labels must fit whole ("Ranglijst" was cut to "Rangli…"), or, where five
# cannot (at 200 % zoom), be hidden on purpose: visually hidden (clipped), still the tab's name.
CUT_LABELS = """() => [...document.querySelectorAll('.tabbar__item span')]
  .filter((label) => getComputedStyle(label).clipPath === 'none')
  .filter((label) => label.scrollWidth > label.clientWidth)
  .map((label) => label.textContent)"""
EXTRA = [("/api/v1/docs", STAFF)]  # the API's documentation is a page too
# Parts of a page fetched by a script, not pages (they fit inside the page that holds them).
FRAGMENTS = {"/manage/recognize/moments"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A served app with the test world and, for every GET page, the URL of a real object;
    the e-mail of each role."""
    app = build_app(Path(tmp_path_factory.mktemp("reflow")) / "reflow.db")
    with app.app_context():
        world = build_world(db.session())
        pages = [
            # A link token that is not valid still shows its page (the "expired link" one).
            (_url(rule, {"token": "not-a-valid-token", **_make((rule, method), world)}), page.role)
            for (rule, method), page in sorted(PAGES.items())
            if method == "GET" and rule not in FRAGMENTS
        ]
        emails = {STAFF: world.staff.email, MANAGER: world.manager.email, ADMIN: world.admin.email}
        db.session.remove()
    with serve(app) as url:
        yield {"url": url, "pages": pages + EXTRA, "emails": emails}


def _opened(page: Any, url: str) -> bool:
    """Open `url`; False when it is not an HTML page for this viewer."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # a download (my data, the CSV export): not a page
        if "Download is starting" in str(error):
            return False
        raise
    if response is None or response.status != 200:
        return False
    return "text/html" in (response.headers.get("content-type") or "")


def _too_wide(page: Any, width: int) -> tuple[int, list[str]]:
    """The open page's width and its cut tab labels once the screen is `width` px wide (the
    page lays itself out again, as when a phone's zoom changes: no second load)."""
    if page.viewport_size["width"] != width:
        page.set_viewport_size({"width": width, "height": 640})
    return int(page.evaluate("() => document.scrollingElement.scrollWidth")), list(
        page.evaluate(CUT_LABELS)
    )


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
@pytest.mark.parametrize("role", [PUBLIC, STAFF, MANAGER, ADMIN])
def test_no_page_scrolls_sideways(
    browser: Any, site: dict[str, Any], role: str, locale: str
) -> None:
    context = browser.new_context(
        base_url=site["url"],
        viewport={"width": WIDTHS[0], "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,  # the pages follow the browser's language (Dutch words are longer)
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    if role != PUBLIC:
        sign_in_as(page, Account(site["url"], site["emails"][role], PASSWORD))
    too_wide: dict[str, int] = {}
    checked = []
    languages: set[str] = set()
    cut: set[str] = set()
    for url, level in site["pages"]:
        if role not in SEES[level] or not _opened(page, url):
            continue
        checked.append(url)
        languages.add(page.evaluate("() => document.documentElement.lang"))
        # The width the page opened at first: one resize per page, not two.
        for width in sorted(WIDTHS, key=lambda width: width != page.viewport_size["width"]):
            wide, labels = _too_wide(page, width)
            cut.update(f"{label} at {width} px" for label in labels)
            if wide > width:
                too_wide[f"{url} at {width} px"] = wide
    context.close()
    assert languages == {locale[:2]}  # the pages really were in that language
    assert (cut, too_wide) == (set(), {}), f"as {role} in {locale}: tab labels cut: {cut}; " + (
        f"pages wider than the screen: {too_wide}"
    )
    assert len(checked) >= {PUBLIC: 2, STAFF: 20, MANAGER: 30, ADMIN: 40}[role], checked
