"""Invite links in a real browser: Copy writes the link to the clipboard, Share hands it to
the Web Share API where the phone has one and stays hidden where it has none."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, bounded
from tests.browser.live import LiveApp, sign_in

pytestmark = BROWSER

# A phone's share sheet, as Chromium on Linux has none: it records what it was given.
FAKE_SHARE = """
navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };
"""


def _new_invite(page: Any, live: LiveApp) -> str:
    sign_in(page, live, live.people.admin_email)
    page.goto("/admin/invites")
    page.get_by_role("button", name="Create invite link").click()
    return str(page.locator("#invite-link").input_value())


def test_copy_puts_the_link_on_the_clipboard(context: Any, page: Any, live: LiveApp) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    link = _new_invite(page, live)
    assert "/invite/" in link
    copy = page.locator("[data-copy]")
    copy.click()
    # Writing the clipboard is asynchronous: wait for the button to say so.
    expect(copy).to_have_text("Copied")
    assert page.evaluate(bounded("() => navigator.clipboard.readText()")) == link
    # Chromium on Linux has no Web Share API: the button stays out of the way.
    assert page.locator("[data-share]").is_hidden()


def test_share_hands_the_link_to_the_phone(context: Any, page: Any, live: LiveApp) -> None:
    context.add_init_script(FAKE_SHARE)
    link = _new_invite(page, live)
    share = page.locator("[data-share]")
    share.click()
    shared = page.evaluate("() => window.__shared")
    assert shared["url"] == link
    assert shared["title"]
