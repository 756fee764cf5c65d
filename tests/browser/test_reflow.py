"""Reflow (WCAG 1.4.10, issue 12 §8): no page scrolls sideways at 320 CSS px or at 200 % zoom
of a 390 px phone (195 CSS px), for every role.

Every GET page of the URL map (as classified in tests/web/test_page_isolation.py, which fails
when a page is added without a classification) plus the API's documentation page is opened
in Chromium at 320 × 640, in English and Dutch, by each role that may see it, with the
objects its ids name made first, then laid out again at 195 px; at each width the document
must be no wider than the screen and no tab label cut off."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import BROWSER, SEES, open_page
from tests.browser.live import Account, sign_in_as
from tests.factories import PASSWORD
from tests.web.test_page_isolation import ADMIN, MANAGER, PUBLIC, STAFF

pytestmark = BROWSER

# A small phone, and 200 % zoom of a 390 px phone (the CSS viewport halves).
WIDTHS = [320, 195]
# The tab bar's labels must fit whole ("Ranglijst" was cut to "Rangli…"), or, where five
# cannot (at 200 % zoom), be hidden on purpose: visually hidden (clipped), still the tab's name.
CUT_LABELS = """() => [...document.querySelectorAll('.tabbar__item span')]
  .filter((label) => getComputedStyle(label).clipPath === 'none')
  .filter((label) => label.scrollWidth > label.clientWidth)
  .map((label) => label.textContent)"""


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
        if role not in SEES[level] or not open_page(page, url):
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
