"""Make the screenshots: the web app manifest's (the signed-in feed on a phone, 390x844,
narrow, and on a larger screen, 1280x800, wide) and the README's (docs/screenshot-feed.png:
the feed on a 390x844 phone, signed in as staff1@demo.test, in English), from the seeded
demo served locally.

    .venv/bin/python scripts/make_screenshots.py            # serves its own demo copy
    .venv/bin/python scripts/make_screenshots.py --url http://127.0.0.1:5000 \\
        --email staff2@demo.test --password kizuki-demo     # an app already running

The README's person reads Dutch in the demo; the script switches them to English through the
profile's language form (on an app already running, that choice stays saved).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, Account, demo_app, sign_in_as  # noqa: E402

OUT = ROOT / "static" / "pwa" / "screenshots"
README_SHOT = ROOT / "docs" / "screenshot-feed.png"
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
}
SHOTS: dict[str, dict[str, Any]] = {
    "narrow.png": PHONE,
    "wide.png": {"viewport": {"width": 1280, "height": 800}},
}


@contextmanager
def target(args: argparse.Namespace) -> Iterator[Account]:
    if args.url:
        yield Account(url=args.url.rstrip("/"), email=args.email, password=args.password)
        return
    with tempfile.TemporaryDirectory() as folder, demo_app(Path(folder)) as account:
        yield account


def shoot_feed(browser: Any, account: Account, device: dict[str, Any], path: Path) -> None:
    """Sign in on a fresh device and save the feed's viewport (exactly the declared size)."""
    context = browser.new_context(device_scale_factor=1, locale="en-GB", **device)
    page = context.new_page()
    sign_in_as(page, account)
    if path == README_SHOT:
        use_english(page, account)
    page.goto(f"{account.url}/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(path))
    context.close()
    print(f"wrote {path}")


def use_english(page: Any, account: Account) -> None:
    """Choose English on the profile page, as the person would."""
    page.goto(f"{account.url}/me")
    page.select_option('select[name="locale"]', "en")
    page.locator('form[action$="/settings/language"] button[type="submit"]').click()
    page.wait_for_load_state("networkidle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Kizuki (default: serve a seeded copy)")
    parser.add_argument("--email", default="staff2@demo.test")
    parser.add_argument("--password", default="kizuki-demo")
    parser.add_argument("--readme-email", default="staff1@demo.test")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with target(args) as account, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, device in SHOTS.items():
            shoot_feed(browser, account, device, OUT / name)
        readme = replace(account, email=args.readme_email)
        shoot_feed(browser, account=readme, device=PHONE, path=README_SHOT)
        browser.close()


if __name__ == "__main__":
    main()
