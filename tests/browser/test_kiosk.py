"""Kiosk mode in a real browser on a tablet (768×1024), in English and Dutch: a person sets
their PIN on their own phone; a team lead turns the tablet into a kiosk; the person taps
their face, enters the PIN and logs a moment, which is theirs; the faces come back; and a
minute without a touch ends a turn (the JS timer, on Playwright's clock). Screenshots go to
test-artifacts/issue10/kiosk-*.png for reviewers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import BROWSER
from tests.browser.live import PHONE, LiveApp, sign_in
from tests.browser.network import CuttableProxy
from tests.factories import make_team, make_user
from webapp.extensions import db
from webapp.models import KioskDevice, Moment, Team, User

pytestmark = BROWSER

TABLET: dict[str, Any] = {
    "viewport": {"width": 768, "height": 1024},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
LOCALES = {"en": "en-GB", "nl": "nl-NL"}
WORDS = {
    "en": {"who": "Who are you?", "log": "Log a moment", "logged": "Moment logged"},
    "nl": {"who": "Wie ben jij?", "log": "Noteer een moment", "logged": "Moment genoteerd"},
}
PIN = "4071"


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = ARTIFACTS / "issue10"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _context(browser: Any, live: LiveApp, lang: str, device: dict[str, Any]) -> Any:
    context = browser.new_context(base_url=live.url, **{**device, "locale": LOCALES[lang]})
    context.set_default_timeout(15_000)
    return context


def _problems(page: Any) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


def _set_pin_on_phone(browser: Any, live: LiveApp, lang: str) -> None:
    phone = _context(browser, live, lang, PHONE)
    page = phone.new_page()
    sign_in(page, live)
    page.goto("/settings")
    page.click('a[href="/kiosk/pin"]')
    page.fill('input[name="password"]', live.password)
    page.fill('input[name="pin"]', PIN)
    page.locator('form[action="/kiosk/pin"] button[type="submit"]').click()
    page.wait_for_selector(".flash--success")
    phone.close()


def _make_kiosk(page: Any, live: LiveApp, name: str) -> None:
    sign_in(page, live, live.people.manager_email)
    page.goto("/kiosk/devices")
    page.fill('input[name="name"]', name)
    page.select_option('select[name="team_id"]', str(live.people.team_id))
    page.locator('form[action="/kiosk/devices"] button[type="submit"]').click()
    page.wait_for_url(lambda url: url.endswith("/kiosk"))


def _staff(live: LiveApp) -> User:
    user = db.session.scalar(select(User).where(User.email == live.people.staff_email))
    assert user is not None
    return user


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_moment_through_the_kiosk(browser: Any, live: LiveApp, shots: Path, lang: str) -> None:
    _set_pin_on_phone(browser, live, lang)
    tablet = _context(browser, live, lang, TABLET)
    page = tablet.new_page()
    problems = _problems(page)
    _make_kiosk(page, live, f"Staff room {lang}")
    cookie = next(c for c in tablet.cookies() if c["name"] == "kizuki_kiosk")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    words = WORDS[lang]
    assert page.locator("h1").inner_text() == words["who"]
    assert page.locator("html").get_attribute("lang") == lang
    page.screenshot(path=str(shots / f"kiosk-faces-{lang}.png"), full_page=True)
    # Not signed in on the tablet any more: the manager's pages are closed.
    assert "/login" in (page.goto("/me").url or "")
    page.goto("/kiosk")

    page.click(f'a[href="/kiosk/people/{live.people.staff_id}"]')
    page.fill('input[name="pin"]', PIN)
    page.screenshot(path=str(shots / f"kiosk-pin-{lang}.png"), full_page=True)
    page.locator('input[name="pin"]').press("Enter")
    page.wait_for_selector("form[data-kiosk-done]")
    page.screenshot(path=str(shots / f"kiosk-choose-{lang}.png"), full_page=True)

    page.get_by_role("link", name=words["log"]).click()
    cue = f"A guest in the rain ({lang})"
    page.fill('textarea[name="cue"]', cue)
    page.fill('textarea[name="action"]', "Lent them the hotel umbrella")
    page.fill('textarea[name="reaction"]', "They came back dry and smiling")
    page.locator('input[name="value_ids"]').first.check(force=True)
    page.screenshot(path=str(shots / f"kiosk-moment-{lang}.png"), full_page=True)
    page.locator('form[data-kiosk-form] button[type="submit"]').click()
    page.wait_for_selector(".flash--success")
    assert words["logged"] in page.locator(".flash--success").inner_text()
    assert page.locator("h1").inner_text() == words["who"]
    page.screenshot(path=str(shots / f"kiosk-done-{lang}.png"), full_page=True)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert problems == []

    with live.app.app_context():
        moment = db.session.scalar(select(Moment).where(Moment.cue == cue))
        assert moment is not None and moment.author_id == _staff(live).id
        db.session.remove()
    tablet.close()


def test_a_minute_without_a_touch_brings_the_faces_back(browser: Any, live: LiveApp) -> None:
    _set_pin_on_phone(browser, live, "en")
    tablet = _context(browser, live, "en", TABLET)
    page = tablet.new_page()
    _make_kiosk(page, live, "Idle tablet")
    page.clock.install()
    page.goto("/kiosk")
    page.click(f'a[href="/kiosk/people/{live.people.staff_id}"]')
    page.fill('input[name="pin"]', PIN)
    page.locator('input[name="pin"]').press("Enter")
    page.wait_for_selector("form[data-kiosk-done]")
    page.get_by_role("link", name="Log a moment").click()
    page.fill('textarea[name="cue"]', "Half typed")
    page.clock.run_for(59_000)
    assert page.locator("form[data-kiosk-done]").count() == 1
    page.clock.run_for(2_000)
    page.wait_for_selector("h1:text('Who are you?')")
    with live.app.app_context():
        device = db.session.scalar(select(KioskDevice).where(KioskDevice.name == "Idle tablet"))
        assert device is not None and device.person_id is None
        db.session.remove()
    tablet.close()


def _start_turn(browser: Any, live: LiveApp, name: str, device: dict[str, Any]) -> Any:
    _set_pin_on_phone(browser, live, "en")
    tablet = _context(browser, live, "en", device)
    page = tablet.new_page()
    _make_kiosk(page, live, name)
    page.click(f'a[href="/kiosk/people/{live.people.staff_id}"]')
    page.fill('input[name="pin"]', PIN)
    page.locator('input[name="pin"]').press("Enter")
    page.wait_for_selector("form[data-kiosk-done]")
    return page


def _moments_with(live: LiveApp, cue: str) -> int:
    with live.app.app_context():
        found = len(db.session.scalars(select(Moment).where(Moment.cue == cue)).all())
        db.session.remove()
    return found


def _fill_moment(page: Any, cue: str) -> None:
    page.get_by_role("link", name="Log a moment").click()
    page.fill('textarea[name="cue"]', cue)
    page.fill('textarea[name="action"]', "Brought a towel")
    page.fill('textarea[name="reaction"]', "Grateful nod")
    page.locator('input[name="value_ids"]').first.check(force=True)


def _author_of(live: LiveApp, cue: str) -> int | None:
    with live.app.app_context():
        moment = db.session.scalar(select(Moment).where(Moment.cue == cue))
        author = moment.author_id if moment is not None else None
        db.session.remove()
    return author


def test_offline_a_moment_is_kept_for_its_person_and_sent_once(browser: Any, live: LiveApp) -> None:
    """Offline, the moment is kept on the kiosk bound to the person of the turn (the form is
    cleared from the screen); back online it is sent once, as theirs, after the turn is long
    over, and the faces come back. A reload that sends again stores nothing new."""
    page = _start_turn(browser, live, "Offline tablet", TABLET)
    cue = "Typed while the wifi was down"
    _fill_moment(page, cue)
    page.context.set_offline(True)
    page.locator('form[data-kiosk-form] button[type="submit"]').click()
    page.wait_for_selector("[data-kiosk-kept]:not([hidden])")
    assert page.locator("form[data-kiosk-form]").is_hidden()
    assert page.input_value('textarea[name="cue"]') == ""
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('kizuki-kiosk-queue'))")
    assert [entry["user_id"] for entry in kept] == [str(live.people.staff_id)]
    assert _moments_with(live, cue) == 0
    with live.app.app_context():  # the turn's server-side end passes while offline
        db.session.execute(update(KioskDevice).values(person_id=None, person_until=None))
        db.session.commit()
        db.session.remove()
    page.context.set_offline(False)
    page.wait_for_selector("h1:text('Who are you?')", timeout=30_000)
    assert _moments_with(live, cue) == 1
    assert _author_of(live, cue) == live.people.staff_id
    assert page.evaluate("() => localStorage.getItem('kizuki-kiosk-queue')") == "[]"
    # The same entry sent again (a lost answer) is the same moment.
    page.evaluate(
        "(entries) => localStorage.setItem('kizuki-kiosk-queue', JSON.stringify(entries))",
        kept,
    )
    page.reload()
    page.wait_for_function("() => localStorage.getItem('kizuki-kiosk-queue') === '[]'")
    assert _moments_with(live, cue) == 1
    # A refused entry (here a forged grant) is kept, never sent again, and loses its grant.
    forged = [{**kept[0], "client_id": "forged", "payload": {**kept[0]["payload"], "grant": "x"}}]
    page.evaluate(
        "(entries) => localStorage.setItem('kizuki-kiosk-queue', JSON.stringify(entries))",
        forged,
    )
    page.reload()
    page.wait_for_function(
        "() => (JSON.parse(localStorage.getItem('kizuki-kiosk-queue'))[0] || {}).status"
        " === 'rejected'"
    )
    left = page.evaluate("() => JSON.parse(localStorage.getItem('kizuki-kiosk-queue'))")
    assert len(left) == 1 and "grant" not in left[0]["payload"]
    assert _moments_with(live, cue) == 1
    page.context.close()


@pytest.mark.parametrize("path", ["/kiosk", "/kiosk/moment", "/kiosk/kudos"])
def test_kiosk_pages_fit_a_320_px_screen(browser: Any, live: LiveApp, path: str) -> None:
    small = {**TABLET, "viewport": {"width": 320, "height": 640}}
    page = _start_turn(browser, live, f"Small {path}", small)
    page.goto(path)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
    page.context.close()


def test_on_lie_fi_kudos_are_refused_and_a_moment_is_kept(
    browser: Any, behind_proxy: Any, proxy: CuttableProxy, live: LiveApp
) -> None:
    """The browser believes it is online but nothing gets through: the kiosk asks the server
    first. Kudos (no offline queue) are refused with the text kept; a moment is kept and
    sent once when the line is back."""
    _set_pin_on_phone(browser, live, "en")
    here = replace(live, url=proxy.url)
    page = behind_proxy.new_page()
    _make_kiosk(page, here, "Lie-fi tablet")
    page.click(f'a[href="/kiosk/people/{live.people.staff_id}"]')
    page.fill('input[name="pin"]', PIN)
    page.locator('input[name="pin"]').press("Enter")
    page.get_by_role("link", name="Give kudos").click()
    message = "Thanks for the blanket run on a wifi that only looked alive"
    page.locator('input[name="receiver_ids"]').first.check(force=True)
    page.fill('textarea[name="message"]', message)
    page.select_option('select[name="value_id"]', index=1)
    proxy.cut()
    assert page.evaluate("navigator.onLine") is True
    page.locator('form[data-kiosk-form] button[type="submit"]').click()
    page.wait_for_selector("[data-kiosk-offline]:not([hidden])")
    assert page.input_value('textarea[name="message"]') == message
    proxy.restore()
    page.goto("/kiosk/moment")
    cue = "Typed on a wifi that only looked alive"
    page.fill('textarea[name="cue"]', cue)
    page.fill('textarea[name="action"]', "Fetched a blanket")
    page.fill('textarea[name="reaction"]', "Warm thanks")
    page.locator('input[name="value_ids"]').first.check(force=True)
    proxy.cut()
    page.locator('form[data-kiosk-form] button[type="submit"]').click()
    page.wait_for_selector("[data-kiosk-kept]:not([hidden])")
    assert _moments_with(live, cue) == 0
    proxy.restore()
    page.wait_for_selector("h1:text('Who are you?')", timeout=30_000)
    assert _moments_with(live, cue) == 1
    assert _author_of(live, cue) == live.people.staff_id


def test_past_the_bound_the_kiosk_searches_with_its_own_button_never_the_api(
    browser: Any, live: LiveApp
) -> None:
    """The kiosk has no session for GET /api/v1/people: picker.js keeps the page's own
    search button there (Enter in the box presses it) and never calls the API. Offline the
    search is refused like any post and nothing is kept; online the page comes back with the
    match, as typed, and the moment is saved with that colleague."""
    with live.app.app_context():
        team = db.session.get(Team, live.people.team_id)
        assert team is not None
        elsewhere = make_team(db.session, team.organisation, "Kiosk test: spa")
        far = make_user(db.session, team.organisation, team=elsewhere, name="Quentin Kioskfar")
        db.session.commit()
        far_id = far.id
        db.session.remove()
    limit = live.app.config["PICKER_LIMIT"]
    live.app.config["PICKER_LIMIT"] = 1
    try:
        page = _start_turn(browser, live, "Search tablet", TABLET)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "/api/" in r.url else None)
        problems = _problems(page)
        cue = "A guest asked for the spa at midnight"
        _fill_moment(page, cue)
        page.wait_for_selector("html.js", state="attached")
        page.locator("details summary").click()
        assert "search to find anyone else" in page.locator("#colleague_ids-count").inner_text()
        button = page.locator("#colleague_ids [name=picker_search]")
        assert button.count() == 1 and button.is_visible()
        page.fill("#colleague_ids-search", "kioskfar")
        page.wait_for_timeout(600)  # longer than picker.js waits before asking a server
        assert page.locator(f"#colleague-{far_id}").count() == 0
        page.context.set_offline(True)
        button.click()
        page.wait_for_selector("[data-kiosk-offline]:not([hidden])")
        assert page.evaluate("() => localStorage.getItem('kizuki-kiosk-queue')") in (None, "[]")
        page.context.set_offline(False)
        problems.clear()  # the browser logs the failed probe while offline
        page.locator("#colleague_ids-search").press("Enter")
        found = page.locator(f"#colleague-{far_id}")
        found.wait_for()
        assert page.input_value('textarea[name="cue"]') == cue
        assert page.input_value("#colleague_ids-search") == "kioskfar"
        page.locator("#colleague_ids label", has_text="Quentin Kioskfar").click()
        assert found.is_checked()
        page.locator('form[data-kiosk-form] button[type="submit"]:not([name])').click()
        page.wait_for_selector(".flash--success")
    finally:
        live.app.config["PICKER_LIMIT"] = limit
    assert asked == []
    assert problems == []
    with live.app.app_context():
        moment = db.session.scalar(select(Moment).where(Moment.cue == cue))
        assert moment is not None and moment.author_id == live.people.staff_id
        assert [c.id for c in moment.colleagues] == [far_id]
        db.session.remove()
    page.context.close()
