"""Before/after screenshots of issue 12, items 1–7, on a 390×844 phone in English and Dutch.

Drives a running Kizuki with its demo seeded (`flask seed-demo`) from its sign-in page, as
people would, so the same script shoots the app as it was when the issue was filed and as it
is now:

    .venv/bin/python scripts/screens_issue12.py --url http://127.0.0.1:5101 \\
        --out test-artifacts/issue12/before
    .venv/bin/python scripts/screens_issue12.py --url http://127.0.0.1:5102 \\
        --out test-artifacts/issue12/after

Each item is saved as <item>-<lang>.png (and a few as <item>-<what>-<lang>.png where one
picture does not tell it). English is shot as Lucas (staff2@demo.test), Dutch as Noor
(staff1@demo.test): the language each chose. Where a state did not exist yet (no inbox
before), the nearest thing that did is shot (the notifications halfway down /me). Running it
twice on one database changes the story (kudos left, points): seed afresh for a clean set.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.helpers import give_kudos_in_form, log_moment_in_form  # noqa: E402
from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, Account, sign_in_as  # noqa: E402
from tests.browser.test_install_offer import OFFER_INSTALL, TAP_TARGET  # noqa: E402

DEMO_PASSWORD = "kizuki-demo"  # noqa: S105  (the demo's documented password)
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
# Who shoots each language (the language they chose in the demo) and the browser's locale.
PEOPLE = {"en": ("staff2@demo.test", "en-GB"), "nl": ("staff1@demo.test", "nl-NL")}
NEWCOMERS = {"en": "Robin Vos", "nl": "Lotte de Wit"}  # one who joins in each language
CUES = {  # what the moment they log noticed, in their language
    "en": "A guest kept looking at the rain through the lobby window",
    "nl": "Een gast bleef door het raam van de lobby naar de regen kijken",
}
ADMIN = "admin@demo.test"
COLLEAGUE = "Priya Raman"  # the one the refused kudos named
ERRORS = ".error-summary, .field__error, .flash--error"
FULL_PAGE_CAP = 2400  # px: enough to show a long page is long, not a 20,000 px image
# The value of the receiver checkbox whose label names `name`.
RECEIVER_VALUE = """(name) => {
  const box = [...document.querySelectorAll('[name="receiver_ids"]')].find((input) => {
    const label = input.closest('label') || document.querySelector(`label[for="${input.id}"]`);
    return label && label.textContent.includes(name);
  });
  return box ? box.value : null;
}"""


class Shooter:
    """One app, one language: opens phones, signs people in, saves pictures."""

    def __init__(self, browser: Any, url: str, out: Path, lang: str) -> None:
        self.browser, self.url, self.out, self.lang = browser, url.rstrip("/"), out, lang
        self.email, self.locale = PEOPLE[lang]

    def phone(self, email: str | None = None) -> Any:
        """A fresh phone in this language, signed in as `email` (the language's person)."""
        context = self.browser.new_context(base_url=self.url, locale=self.locale, **PHONE)
        context.set_default_timeout(20_000)
        page = context.new_page()
        if email != "":
            sign_in_as(page, Account(self.url, email or self.email, DEMO_PASSWORD))
        return page

    def save(self, page: Any, item: str, full_page: bool = False) -> None:
        path = self.out / f"{item}-{self.lang}.png"
        settle(page)
        if full_page:
            # A screen as tall as the page: the fixed tab bar stays at the bottom of the
            # picture instead of floating in the middle of a stitched one.
            tall = page.evaluate("() => document.documentElement.scrollHeight")
            page.set_viewport_size({"width": 390, "height": min(tall, FULL_PAGE_CAP)})
            page.wait_for_timeout(300)
            page.screenshot(path=str(path))
            page.set_viewport_size(PHONE["viewport"])
            print(f"  (the page is {tall} px tall)")
        else:
            page.screenshot(path=str(path))
        print(f"wrote {path}")


def settle(page: Any) -> None:
    """Let the page's scripts and transitions finish (points counting up, a sheet sliding)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)


def scripts_ready(page: Any) -> None:
    page.wait_for_selector("html.js", state="attached")


def kudos_refused(shot: Shooter) -> None:
    """1: kudos to the same colleague until the app says no; the page as it then opens."""
    page = shot.phone()
    for attempt in range(8):
        page.goto("/kudos/new")
        scripts_ready(page)
        receiver = page.evaluate(RECEIVER_VALUE, COLLEAGUE)
        if receiver is None:
            break  # no longer offered: the refusal is shown before sending
        search = page.locator("#receiver_ids-search")
        if search.count():  # the picker shows the first few; a person types the name
            search.fill(COLLEAGUE)
        give_kudos_in_form(page, int(receiver), f"Thanks for the calm handover, round {attempt}.")
        page.wait_for_load_state("networkidle")
        if page.locator(ERRORS).count():
            break
    shot.save(page, "1")
    page.context.close()


def invite_link(shot: Shooter) -> str:
    """An admin's fresh invite link for a staff member of the first team."""
    page = shot.phone(ADMIN)
    page.goto("/admin/invites")
    page.select_option('[name="role"]', "staff")
    page.select_option('[name="team_id"]', index=1)
    page.locator('main form[method="post" i] [type="submit"]').first.click()
    link = str(page.input_value("#invite-link"))
    page.context.close()
    return link


def board_as_newcomer(shot: Shooter) -> None:
    """2: a person who joined a minute ago opens the board; their team's part in view."""
    link = invite_link(shot)
    page = shot.phone("")
    page.goto(link)
    page.fill('[name="name"]', NEWCOMERS[shot.lang])
    if page.locator('[name="email"]').count():
        page.fill('[name="email"]', f"new.{shot.lang}.{secrets.token_hex(3)}@demo.test")
    page.fill('[name="password"]', "a-long-new-password-1")
    page.fill('[name="confirm"]', "a-long-new-password-1")
    page.locator('main form[method="post" i] [type="submit"]').first.click()
    page.wait_for_url(lambda url: "/invite/" not in url)
    page.goto("/leaderboard")
    page.locator(".board__row--me").last.evaluate("(row) => row.scrollIntoView({block: 'center'})")
    shot.save(page, "2")
    page.context.close()


def inbox(shot: Shooter) -> None:
    """3: the unread count on the way in (the feed's top bar), then the inbox; before there
    was no inbox: the notifications halfway down /me."""
    page = shot.phone()
    if page.locator(".count-badge").count():
        shot.save(page, "3-count")
        page.goto("/inbox")
        shot.save(page, "3")
    else:
        page.goto("/me")
        page.locator("#notifications").evaluate("(head) => head.scrollIntoView()")
        shot.save(page, "3")
    page.context.close()


def joy_after_a_moment(shot: Shooter) -> None:
    """4: what logging a moment answers with."""
    page = shot.phone()
    page.goto("/moments/new")
    scripts_ready(page)
    log_moment_in_form(page, CUES[shot.lang])
    page.wait_for_url(lambda url: "/moments/new" not in url)
    shot.save(page, "4")
    page.context.close()


def profile(shot: Shooter) -> None:
    """5: /me from the top (up to 2,400 px: before, it went on to about 8,500)."""
    page = shot.phone()
    page.goto("/me")
    shot.save(page, "5", full_page=True)
    page.context.close()


def picker(shot: Shooter) -> None:
    """6: the kudos form's colleague picker (and where the message box sits)."""
    page = shot.phone()
    page.goto("/kudos/new")
    scripts_ready(page)
    shot.save(page, "6", full_page=True)
    page.context.close()


def install_offer(shot: Shooter) -> None:
    """7: the install offer. On the moment form (the submit button just above the tab bar,
    where the sheet used to cover it), then, where the app offers it after a success instead,
    on the page after logging a moment."""
    page = shot.phone()
    page.goto("/moments/new")
    scripts_ready(page)
    page.evaluate(OFFER_INSTALL)
    page.wait_for_timeout(300)
    page.evaluate(TAP_TARGET)
    if page.locator("[data-install-bar]:visible").count():
        shot.save(page, "7")  # the sheet over the form
    else:
        shot.save(page, "7-form")
        log_moment_in_form(page, "A child was shy at check-in and hid behind the suitcase")
        page.wait_for_url(lambda url: "/moments/new" not in url)
        scripts_ready(page)
        skip_joy(page)
        page.evaluate(OFFER_INSTALL)
        page.locator("[data-install-bar]").wait_for(state="visible")
        shot.save(page, "7")
    page.context.close()


def skip_joy(page: Any) -> None:
    """Close a joy sheet (level-up, badge) if one opened, as a person would."""
    page.wait_for_timeout(500)
    close = page.locator("[data-joy-close]:visible, [data-joy-skip]:visible")
    if close.count():
        close.first.click()


ITEMS: dict[str, Callable[[Shooter], None]] = {
    "1": kudos_refused,
    "2": board_as_newcomer,
    "3": inbox,
    "4": joy_after_a_moment,
    "5": profile,
    "6": picker,
    "7": install_offer,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running Kizuki with the demo seeded")
    parser.add_argument("--out", required=True, type=Path, help="folder for the pictures")
    parser.add_argument("--items", default=",".join(ITEMS), help="which items (1-7)")
    parser.add_argument("--langs", default="en,nl")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lang in args.langs.split(","):
            shot = Shooter(browser, args.url, args.out, lang)
            for item in args.items.split(","):
                ITEMS[item](shot)
        browser.close()


if __name__ == "__main__":
    main()
