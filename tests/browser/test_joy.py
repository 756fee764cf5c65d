"""Moments of joy in a real browser (issue 12 §4): points that count up, a level-up sheet
that takes the focus and gives it back, a badge reveal, a recognition card with the
manager's words; under reduced motion only a fade and the final number at once; joy.js and
the badge icons in the service worker's precache."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import BROWSER, bounded, log_moment_in_form, wait_for_worker
from tests.browser.live import PHONE, LiveApp, sign_in
from tests.game_support import MESSAGE, grant, log, recognise
from webapp.extensions import db
from webapp.models import Team, User

pytestmark = BROWSER

# Every value the count shows, from the first parse on (before app.js starts counting).
RECORD_COUNT = """
window.__joyCounts = [];
new MutationObserver(() => {
  const count = document.querySelector('[data-joy-count]');
  const last = window.__joyCounts[window.__joyCounts.length - 1];
  if (count && count.textContent !== last) window.__joyCounts.push(count.textContent);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def newcomer(live: LiveApp, points: int = 0, moments: int = 0, locale: str = "en") -> str:
    """A new person in the first team (their own points, untouched by other tests)."""
    with live.app.app_context():
        team = db.session.get(Team, live.people.team_id)
        assert team is not None
        person = factories.make_user(db.session, team.organisation, team=team, locale=locale)
        db.session.commit()
        for _ in range(moments):
            log(person, team)
        if points:
            grant(person, points)
        email = person.email
        db.session.remove()
    return email


def log_a_moment(page: Any, live: LiveApp, email: str) -> None:
    sign_in(page, live, email)
    page.goto("/moments/new")
    page.wait_for_selector("html.js", state="attached")
    log_moment_in_form(page, "A guest kept looking at the rain by the door")
    page.locator("[data-joy]").wait_for(state="attached")
    page.wait_for_selector("html.js", state="attached")  # app.js has started the joy


def focused(page: Any) -> str:
    return str(
        page.evaluate(
            "() => { const el = document.activeElement; return el.id"
            " || (el.getAttribute('data-joy-close') !== null && 'close') || el.tagName; }"
        )
    )


def animation(page: Any, selector: str) -> dict[str, str]:
    return dict(
        page.locator(selector).evaluate(
            "(el) => { const s = getComputedStyle(el); return {name: s.animationName,"
            " duration: s.animationDuration, transition: s.transitionDuration}; }"
        )
    )


def test_a_first_moment_counts_its_points_up_and_reveals_the_badge(
    context: Any, page: Any, live: LiveApp
) -> None:
    context.add_init_script(RECORD_COUNT)
    log_a_moment(page, live, newcomer(live))
    points = page.locator('[data-joy-kind="points"]')
    assert "joy--play" in (points.get_attribute("class") or "")
    assert animation(page, ".joy-points")["name"] == "joy-pop"
    page.locator(".joy-points.joy--done").wait_for(state="attached")  # skipped after 1.5 s
    seen = page.evaluate("() => window.__joyCounts")
    # From 0 up to 10 through numbers in between: counted, not just shown.
    assert seen[-1] == "10" and "0" in seen and len(set(seen)) >= 3, seen
    assert points.inner_text() == "+10 points"
    badge = page.locator('[data-joy-kind="badge"]')
    assert badge.get_attribute("data-joy-badge") == "First moment"
    assert badge.is_visible() and "New badge: First moment" in badge.inner_text()
    assert animation(page, ".joy-badge__icon")["name"] in ("joy-reveal", "none")
    assert page.locator(".joy-badge__icon").evaluate("(img) => img.naturalWidth") > 0
    # Shown once: the next page is calm again.
    page.goto("/")
    assert page.locator("[data-joy]").count() == 0


@pytest.mark.parametrize("close", ["Escape", "button"])
def test_a_level_up_sheet_takes_the_focus_and_gives_it_back(
    page: Any, live: LiveApp, close: str
) -> None:
    log_a_moment(page, live, newcomer(live, points=35, moments=1))  # 45 + 10: "Host" at 50
    dialog = page.locator("dialog.joy-dialog")
    dialog.wait_for()
    assert dialog.evaluate("(d) => d.open && d.matches(':modal')")
    assert dialog.locator(".joy-sheet__name").inner_text() == "Host"
    title = dialog.get_attribute("aria-labelledby")
    assert title and "You reached a new level" in page.locator(f"#{title}").inner_text()
    assert focused(page) == "close"
    page.keyboard.press("Tab")  # the page behind a modal sheet is inert: Tab never lands there
    assert dialog.evaluate(
        "(d) => d.contains(document.activeElement) || document.activeElement === document.body"
    )
    dialog.locator("[data-joy-close]").focus()
    if close == "Escape":
        page.keyboard.press("Escape")
    else:
        dialog.locator("[data-joy-close]").click()
    dialog.wait_for(state="detached")
    assert focused(page) == "main"
    assert page.locator(".joy-sheet").count() == 0  # the sheet left with its dialog
    assert page.locator('[data-joy-kind="points"]').is_visible()


def test_a_recognition_is_a_card_with_the_managers_words(page: Any, live: LiveApp) -> None:
    email = newcomer(live)
    with live.app.app_context():
        manager = db.session.query(User).filter_by(email=live.people.manager_email).one()
        person = db.session.query(User).filter_by(email=email).one()
        recognise(manager, person)
        manager_name = manager.name
        db.session.remove()
    sign_in(page, live, email)
    page.goto("/inbox")
    card = page.locator('figure.joy-card[data-joy-kind="recognition"]')
    assert card.is_visible()
    assert card.locator("blockquote").inner_text() == MESSAGE
    assert f"{manager_name} recognized your work" in card.locator("figcaption").inner_text()
    card.and_(page.locator(".joy--done")).wait_for(state="attached")
    assert float(card.evaluate("(el) => getComputedStyle(el).opacity")) == 1


def test_reduced_motion_shows_the_final_number_at_once_and_only_fades(
    browser: Any, live: LiveApp
) -> None:
    context = browser.new_context(base_url=live.url, reduced_motion="reduce", **PHONE)
    context.set_default_timeout(15_000)
    try:
        context.add_init_script(RECORD_COUNT)
        page = context.new_page()
        log_a_moment(page, live, newcomer(live, points=35, moments=1))
        page.locator("dialog.joy-dialog").wait_for()
        assert page.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")
        # No counting: the number the server wrote is the only one ever shown.
        assert set(page.evaluate("() => window.__joyCounts")) <= {"10"}
        assert page.locator("[data-joy-count]").inner_text() == "10"
        for selector in (".joy-points", ".joy-sheet"):
            assert animation(page, selector)["name"] in ("joy-fade", "none"), selector
        assert page.locator(".joy-sheet__name").inner_text() == "Host"
        page.locator(".joy-points.joy--done").wait_for(state="attached")
        assert page.locator(".joy-points").is_visible()
        assert (
            float(page.locator(".joy-points").evaluate("(e) => getComputedStyle(e).opacity")) == 1
        )
    finally:
        context.close()


def test_joy_works_offline_its_script_and_badge_icons_are_precached(
    page: Any, live: LiveApp
) -> None:
    sign_in(page, live)
    page.goto("/")
    wait_for_worker(page)
    found = page.evaluate(
        bounded(
            """async () => {
            const names = (await caches.keys()).filter((n) => n.startsWith('kizuki-shell-'));
            const cache = await caches.open(names[names.length - 1]);
            const has = async (url) => !!(await cache.match(url));
            return {joy: await has('/static/pwa/js/joy.js'),
                    app: await has('/static/pwa/js/app.js'),
                    css: await has('/static/pwa/css/app.css'),
                    badge: await has('/static/pwa/icons/badges/first_moment.svg'),
                    new_badge: await has('/static/pwa/icons/badges/practice_repeated.svg')};
        }"""
        )
    )
    assert found == {"joy": True, "app": True, "css": True, "badge": True, "new_badge": True}


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_screenshot_the_level_up_sheet(page: Any, live: LiveApp, locale: str) -> None:
    log_a_moment(page, live, newcomer(live, points=35, moments=1, locale=locale))
    page.locator("dialog.joy-dialog").wait_for()
    page.locator(".joy-points.joy--done").wait_for(state="attached")
    name = page.locator(".joy-sheet__name").inner_text()
    assert name == {"en": "Host", "nl": "Gastgever"}[locale]
    folder = ARTIFACTS / "issue12"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"level-up-{locale}.png"))
