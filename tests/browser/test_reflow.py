"""Reflow (WCAG 1.4.10, issue 12 §8): no page scrolls sideways at 320 CSS px, for every role.

Every GET page of the URL map (as classified in tests/web/test_page_isolation.py, which fails
when a page is added without a classification) plus the API's documentation page is opened
in Chromium at 320 × 640, in English and Dutch, by each role that may see it, with the
objects its ids name made first; the document must be no wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import BROWSER, SEES, open_page
from tests.browser.live import Account, sign_in_as
from tests.factories import PASSWORD
from tests.web.test_page_isolation import ADMIN, MANAGER, PUBLIC, STAFF

pytestmark = BROWSER

WIDTH = 320
# The tab bar's labels must fit whole ("Ranglijst" was cut to "Rangli…").
CUT_LABELS = """() => [...document.querySelectorAll('.tabbar__item span')]
  .filter((label) => label.scrollWidth > label.clientWidth)
  .map((label) => label.textContent)"""


def _width(page: Any, url: str) -> int | None:
    """The document's width at `url`, or None when it is not an HTML page for this viewer."""
    if not open_page(page, url):
        return None
    return int(page.evaluate("() => document.scrollingElement.scrollWidth"))


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
@pytest.mark.parametrize("role", [PUBLIC, STAFF, MANAGER, ADMIN])
def test_no_page_scrolls_sideways_at_320_px(
    browser: Any, site: dict[str, Any], role: str, locale: str
) -> None:
    context = browser.new_context(
        base_url=site["url"],
        viewport={"width": WIDTH, "height": 640},
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
        if role not in SEES[level]:
            continue
        width = _width(page, url)
        if width is None:
            continue
        checked.append(url)
        languages.add(page.evaluate("() => document.documentElement.lang"))
        cut.update(page.evaluate(CUT_LABELS))
        if width > WIDTH:
            too_wide[url] = width
    context.close()
    assert languages == {locale[:2]}  # the pages really were in that language
    assert cut == set(), f"tab labels cut off at {WIDTH} px: {cut}"
    assert too_wide == {}, f"wider than {WIDTH} px as {role} in {locale}: {too_wide}"
    assert len(checked) >= {PUBLIC: 2, STAFF: 20, MANAGER: 30, ADMIN: 40}[role], checked
