"""The install offer never covers content (issue 12 §7): it is an inline card on the page
after a success, never on a form; on a phone of 390×844 the moment form's submit button
stays the thing a tap hits."""

from __future__ import annotations

from typing import Any

from tests.browser.helpers import BROWSER, log_moment_in_form
from tests.browser.live import LiveApp, sign_in

pytestmark = BROWSER

# What Chromium fires when the app can be installed; a test cannot make headless Chromium
# fire the real one, so the page hears a stand-in with the same shape.
OFFER_INSTALL = """() => {
  const event = new Event('beforeinstallprompt', { cancelable: true });
  event.prompt = () => {};
  event.userChoice = Promise.resolve({ outcome: 'dismissed' });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""

# Scroll the submit button to just above the tab bar (where a fixed sheet used to sit) and
# answer what a tap at its centre would hit.
TAP_TARGET = """() => {
  const button = document.querySelector('main form[method="post" i] [type="submit"]');
  const bar = document.querySelector('.tabbar');
  const above = bar ? bar.getBoundingClientRect().top : window.innerHeight;
  const box = button.getBoundingClientRect();
  window.scrollBy(0, box.top + box.height / 2 - (above - 40));
  const now = button.getBoundingClientRect();
  const x = now.left + now.width / 2;
  const y = now.top + now.height / 2;
  const hit = document.elementFromPoint(x, y);
  return { hit: Boolean(hit && (hit === button || button.contains(hit))), y, above,
           what: hit ? hit.outerHTML.slice(0, 120) : null };
}"""


def _ready(page: Any) -> None:
    page.wait_for_selector("html.js", state="attached")


def test_the_submit_button_on_moments_new_is_never_covered(page: Any, live: LiveApp) -> None:
    assert page.viewport_size == {"width": 390, "height": 844}
    sign_in(page, live)
    page.goto("/moments/new")
    _ready(page)

    assert page.evaluate(OFFER_INSTALL) is True  # the browser's own banner is kept away
    page.wait_for_timeout(300)

    assert page.locator("[data-install-bar]").count() == 0  # no offer on a form page
    tap = page.evaluate(TAP_TARGET)
    assert tap["y"] < tap["above"], tap  # the centre is on screen, above the tab bar
    assert tap["hit"], tap


def test_the_offer_is_an_inline_card_after_a_success(page: Any, live: LiveApp) -> None:
    sign_in(page, live)
    page.goto("/moments/new")
    _ready(page)
    log_moment_in_form(page, "A guest kept looking at the rain through the lobby window")
    page.wait_for_url(lambda url: "/moments/new" not in url)
    page.locator(".flash--success").wait_for()
    _ready(page)

    page.evaluate(OFFER_INSTALL)
    card = page.locator("[data-install-bar]")
    card.wait_for(state="visible")

    assert card.evaluate("(node) => getComputedStyle(node).position") == "static"
    # In the page's flow, right below the thank-you, not over anything.
    assert card.evaluate("(node) => node.parentElement.id") == "main"
    flash = page.locator(".flash--success").bounding_box()
    box = card.bounding_box()
    assert flash and box and box["y"] >= flash["y"] + flash["height"]
    page.get_by_role("button", name="Not now").click()
    assert card.is_hidden()
