"""A refused form takes the reader to its error summary (issue 12 §1): in a real browser the
summary at the top has the focus and the title starts with "Error:"."""

from __future__ import annotations

from typing import Any

from tests.browser.helpers import BROWSER
from tests.browser.live import LiveApp, sign_in

pytestmark = BROWSER


def test_a_refused_moment_focuses_the_summary(page: Any, live: LiveApp) -> None:
    sign_in(page, live)
    page.goto("/moments/new")
    page.wait_for_selector("html.js", state="attached")
    page.fill('[name="action"]', "Walked them to the lift.")  # no cue, no reaction
    page.locator('main form[method="post" i] [type="submit"]').first.click()
    page.locator("#error-summary").wait_for()
    page.wait_for_selector("html.js", state="attached")

    assert page.title().startswith("Error: ")
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == (
        "error-summary"
    )
    box = page.locator("#error-summary").bounding_box()
    assert box is not None and 0 <= box["y"] < 844  # on screen, at the top
    page.locator("#error-summary a[href='#cue']").click()
    assert page.evaluate("() => document.activeElement.name") == "cue"
