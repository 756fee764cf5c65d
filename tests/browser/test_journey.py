"""Issue 2's core loop on a 390×844 phone in a real browser: staff log a moment, a colleague
thanks them for it, the boards and both profiles follow, and a manager recognizes the author."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser.helpers import BROWSER
from tests.browser.live import PHONE, LiveApp, sign_in

pytestmark = BROWSER


def no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways ({width}px wide)"


def submit_and_leave(page: Any, path: str, last: bool = False) -> None:
    """Submit the page's form and wait until the app moves on (or fail with its messages)."""
    buttons = page.locator('main form[method="post" i] [type="submit"]')
    (buttons.last if last else buttons.first).click()
    page.wait_for_load_state()
    if path in page.url:
        page.wait_for_timeout(500)
    if path in page.url:
        errors = page.locator(".field__error, .flash--error").all_inner_texts()
        pytest.fail(f"still on {page.url}: {errors}")


def stat(page: Any, label: str) -> int:
    """A number from the profile's stats, by its label."""
    item = page.locator(".stat", has_text=label).first
    return int(item.locator(".stat__value").inner_text())


def test_log_thank_rank_and_recognize_on_a_phone(browser: Any, live: LiveApp, context: Any):
    people = live.people
    author = context.new_page()
    sign_in(author, live, people.staff_email)
    author.goto("/me")
    points_before = stat(author, "points this week")

    # Staff log a moment in the form, with the submit button in thumb reach.
    author.goto("/moments/new")
    no_horizontal_scroll(author)
    cue = f"A guest kept checking the clock by the lift ({uuid.uuid4().hex[:6]})"
    author.fill('[name="cue"]', cue)
    author.fill('[name="action"]', "Ordered a taxi for them before they asked.")
    author.fill('[name="reaction"]', "They made their train and sent a postcard.")
    author.locator('[name="value_ids"]').first.check()
    submit_and_leave(author, "/moments/new")
    author.goto("/")
    card = author.locator("article", has_text=cue).first
    card.wait_for()
    no_horizontal_scroll(author)
    href = card.locator('a[href^="/moments/"]').first.get_attribute("href")
    moment_id = int(re.search(r"/moments/(\d+)", href or "").group(1))  # type: ignore[union-attr]

    # A colleague on another phone thanks them for it, from the moment's page.
    colleague_context = browser.new_context(base_url=live.url, **PHONE)
    colleague = colleague_context.new_page()
    sign_in(colleague, live, people.staff2_email)
    colleague.goto(f"/moments/{moment_id}")
    colleague.get_by_role("link", name=re.compile("thank you|kudos", re.I)).first.click()
    colleague.wait_for_url(re.compile(r"/kudos/new"))
    no_horizontal_scroll(colleague)
    left_text = colleague.locator("main").inner_text()
    assert re.search(r"\d+ .*left", left_text), "the form says how many kudos are left"
    colleague.fill('[name="message"]', "That taxi was inspired. Thank you!")
    submit_and_leave(colleague, "/kudos/new")
    colleague.goto(f"/moments/{moment_id}")
    assert "That taxi was inspired" in colleague.locator("main").inner_text()

    # Points, profiles and the boards follow.
    author.goto("/me")
    assert stat(author, "points this week") > points_before
    assert "That taxi was inspired" in author.locator("main").inner_text()
    author.goto("/leaderboard")
    no_horizontal_scroll(author)
    assert "Front desk" in author.locator("main").inner_text()
    colleague.goto(f"/people/{people.staff_id}")
    assert "That taxi was inspired" in colleague.locator("main").inner_text()
    colleague_context.close()

    # A manager recognizes the author, citing the moment.
    manager_context = browser.new_context(base_url=live.url, **PHONE)
    manager = manager_context.new_page()
    sign_in(manager, live, people.manager_email)
    manager.goto(f"/manage/recognize?to={people.staff_id}")
    no_horizontal_scroll(manager)
    manager.fill('[name="message"]', "Your taxi for the guest by the lift made their day.")
    moment_box = manager.locator(f'[name="moment_ids"][value="{moment_id}"]')
    if moment_box.count():
        moment_box.check()
    submit_and_leave(manager, "/manage/recognize", last=True)
    manager_context.close()

    author.goto("/me")
    assert "made their day" in author.locator("main").inner_text()
    author.goto("/")
    assert "made their day" in author.locator("main").inner_text()
