"""Issue 10: the admin's people, invites and audit log on a phone. At 390 CSS px each row is a
card of stacked fields, every field visible with its label and inside the screen (the log used
to show only "when" and "who"); at 320 px nothing scrolls sideways; on a desktop they are
tables. Screenshots of each page at 390 px in English and Dutch go to test-artifacts/issue10/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import BROWSER
from tests.browser.live import Account, build_app, serve, sign_in_as
from tests.factories import PASSWORD, build_world, make_user
from webapp.admin import services as admin
from webapp.extensions import db
from webapp.timeutil import utcnow

pytestmark = BROWSER

PAGES = {
    "people": "/admin/people",
    "audit": "/admin/audit",
    "invites": "/admin/invites?status=all",
}
SHOTS = ARTIFACTS / "issue10"

# Each card: whether the row is stacked, and for every cell its label (the ::before text),
# whether it is shown and whether it lies inside the screen.
CARDS = """() => [...document.querySelectorAll('table.table--stack tbody tr')].map((row) => ({
  display: getComputedStyle(row).display,
  cells: [...row.querySelectorAll('td')].map((cell) => {
    const box = cell.getBoundingClientRect();
    const label = getComputedStyle(cell, '::before').content;
    return {
      expected: cell.dataset.label,
      label: label === 'none' ? '' : label.replace(/^"|"$/g, ''),
      shown: box.width > 0 && box.height > 0 && getComputedStyle(cell).display !== 'none',
      inside: box.left >= 0 && box.right <= window.innerWidth + 0.5,
      text: cell.innerText.trim(),
    };
  }),
}))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Account]:
    """A served app whose organisation has people with long addresses, invites in every
    status and a log with long details."""
    app = build_app(Path(tmp_path_factory.mktemp("cards")) / "cards.db")
    with app.app_context():
        session = db.session()
        world = build_world(session)
        long_named = make_user(
            session, world.org, team=world.team, name="Maximiliaan van Oldenbarnevelt-Zuylestein"
        )
        long_named.email = "maximiliaan.van.oldenbarnevelt-zuylestein@a-very-long-domain.example"
        invites = [
            admin.create_invite(session, world.admin, {"note": note, "team_id": world.team.id})[0]
            for note in ("For Kim", "For Lou", "For Max", "For Noor")
        ]
        invites[0].email = "kim.de.vries-van-den-berg@hotel-example.test"
        invites[1].used_at = utcnow()
        invites[2].revoked_at = utcnow()
        invites[3].expires_at = utcnow() - timedelta(days=1)
        team = admin.create_team(session, world.admin, "Housekeeping and laundry services")
        admin.rename_team(session, world.admin, team, "Housekeeping, laundry and minibar refills")
        admin.add_member(session, world.admin, team, world.staff3.id, "lead")
        admin.change_role(session, world.admin, world.staff2, "manager")
        email = world.admin.email
        session.commit()
        db.session.remove()
    with serve(app) as url:
        yield Account(url=url, email=email, password=PASSWORD, app=app)


def _phone(browser: Any, site: Account, locale: str, width: int) -> Any:
    context = browser.new_context(
        base_url=site.url,
        viewport={"width": width, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=locale,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
def test_the_admins_lists_are_cards_on_a_phone(browser: Any, site: Account, locale: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    language = locale[:2]
    context = _phone(browser, site, locale, 390)
    page = context.new_page()
    sign_in_as(page, site)
    for name, path in PAGES.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, (name, response)
        assert page.evaluate("() => document.documentElement.lang") == language
        cards = page.evaluate(CARDS)
        assert len(cards) >= 4, (name, cards)
        for card in cards:
            assert card["display"] == "block", (name, card)
            for cell in card["cells"]:
                assert cell["label"] == cell["expected"] and cell["label"], (name, cell)
                assert cell["shown"] and cell["inside"], (name, cell)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= 390, (name, width)
        page.screenshot(path=str(SHOTS / f"{name}-390-{language}.png"), full_page=True)
    # The log shows what changed and its details on the phone, not only when and who.
    page.goto(PAGES["audit"])
    details = page.locator('td[data-label="Details"]').first
    assert details.is_visible() and "minibar" in page.inner_text("main")
    context.close()


@pytest.mark.parametrize("locale", ["en-GB", "nl-NL"])
def test_nothing_scrolls_sideways_at_320_px(browser: Any, site: Account, locale: str) -> None:
    context = _phone(browser, site, locale, 320)
    page = context.new_page()
    sign_in_as(page, site)
    for name, path in PAGES.items():
        page.goto(path)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= 320, (name, width)
        for card in page.evaluate(CARDS):
            assert all(cell["inside"] for cell in card["cells"]), (name, card)
    context.close()


def test_the_lists_are_tables_on_a_desktop(browser: Any, site: Account) -> None:
    context = browser.new_context(
        base_url=site.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    sign_in_as(page, site)
    for name, path in PAGES.items():
        page.goto(path)
        assert page.locator("table.table--stack thead").is_visible(), name
        displays = {card["display"] for card in page.evaluate(CARDS)}
        assert displays == {"table-row"}, (name, displays)
    context.close()


def test_the_filters_work_without_javascript(browser: Any, site: Account) -> None:
    context = browser.new_context(
        base_url=site.url,
        java_script_enabled=False,
        locale="en-GB",
        **{"viewport": {"width": 390, "height": 844}},
    )
    page = context.new_page()
    sign_in_as(page, site)
    page.goto("/admin/people")
    page.fill('input[name="q"]', "oldenbarnevelt")
    page.click('form[role="search"] button[type="submit"]')
    page.wait_for_url(lambda url: "q=oldenbarnevelt" in url)
    rows = page.locator("table.table--stack tbody tr")
    assert rows.count() == 1 and "Maximiliaan" in rows.first.inner_text()
    context.close()
