"""axe-core over the whole URL map (issue 12 §9): WCAG 2.2 AA and axe's best practices.

Every GET page of the URL map (as classified in tests/web/test_page_isolation.py, which fails
when a page is added without a classification) plus the API's documentation page is opened
in Chromium, in English and Dutch, by each role that may see it, and axe-core (shipped by the
axe-playwright-python dev dependency, nothing fetched at test time) runs on it. So do the
error states of the forms (each submitted empty or wrong, the server's answer checked), the
kiosk's pages on a kiosk device, /setup on an empty server and the "not found" page. Any
violation fails the test with its rule, the element and the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser.conftest import KIOSK_PIN
from tests.browser.helpers import BROWSER, SEES, open_page
from tests.browser.live import Account, build_app, serve, sign_in_as
from tests.factories import PASSWORD
from tests.web.test_page_isolation import ADMIN, MANAGER, PUBLIC, STAFF

pytestmark = BROWSER

LOCALES = ["en-GB", "nl-NL"]
VIEWPORT = {"width": 390, "height": 844}
# The same for every signed-in role and slow to check (a few thousand cells): staff's turn.
ONCE = {"/api/v1/docs": STAFF}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN_AXE = """(tags) => axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    preload: false,  // the stylesheets only serve an experimental rule, never run here
}).then((results) => results.violations.flatMap((rule) => rule.nodes.map((node) =>
    [rule.id, node.target.join(' '), node.failureSummary.split('\\n').slice(0, 2).join(' ')])))"""


def axe_violations(page: Any) -> list[str]:
    """Every axe violation on the page, its folded parts (<details>) opened: rule, element,
    why, and the page."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)  # through the driver: the page's CSP does not apply
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    where = page.url.split("/", 3)[-1]
    found = page.evaluate(RUN_AXE, TAGS)
    return [f"{rule} at {target} on /{where}: {why}" for rule, target, why in found]


def _context(browser: Any, url: str, locale: str) -> Any:
    # No service worker: its install would fetch every static file again for each context.
    context = browser.new_context(
        base_url=url, locale=locale, viewport=VIEWPORT, service_workers="block"
    )
    context.set_default_timeout(15_000)
    return context


def _no_violations(problems: list[str]) -> None:
    """Fail with every violation listed (an assert's diff would cut the list short)."""
    if problems:
        pytest.fail(f"{len(problems)} axe violations:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("role", [PUBLIC, STAFF, MANAGER, ADMIN])
def test_every_page_passes_axe(browser: Any, site: dict[str, Any], role: str, locale: str) -> None:
    context = _context(browser, site["url"], locale)
    page = context.new_page()
    if role != PUBLIC:
        sign_in_as(page, Account(site["url"], site["emails"][role], PASSWORD))
    problems: list[str] = []
    checked = []
    for url, level in site["pages"]:
        if role not in SEES[level] or ONCE.get(url, role) != role or not open_page(page, url):
            continue
        checked.append(url)
        problems += axe_violations(page)
    context.close()
    _no_violations(problems)
    assert len(checked) >= {PUBLIC: 2, STAFF: 20, MANAGER: 30, ADMIN: 40}[role], checked


@dataclass(frozen=True)
class Wrong:
    """A form sent empty or wrong: the page (a rule of the URL map, its ids as \\d+), the form
    (a field it holds) and the values typed in, by field name."""

    path: str
    holds: str
    values: dict[str, str] = field(default_factory=dict)


# Each role's forms in their error state (every role's own: a manager's pages by a manager).
WRONG: dict[str, list[Wrong]] = {
    PUBLIC: [
        Wrong("/login", "email", {"email": "nobody@example.test", "password": "not it"}),
    ],
    STAFF: [
        Wrong("/moments/new", "cue"),
        Wrong(r"/moments/\d+/edit", "cue", {"cue": "", "action": "", "reaction": ""}),
        Wrong("/kudos/new", "message"),
        Wrong("/me/password", "current_password", {"current_password": "not it"}),
        Wrong("/me/tokens", "scope", {"name": ""}),
        Wrong("/me/delete", "password", {"password": "not it"}),
        Wrong("/kiosk/pin", "pin", {"password": "not it", "pin": "1"}),
        Wrong("/settings", "work_start", {"work_start": "25:99"}),
        Wrong("/settings", "quiet_start", {"quiet_start": "later", "quiet_end": ""}),
    ],
    MANAGER: [
        Wrong("/manage/recognize", "message"),
        # Organisation content has a field per language; the default language's is required.
        Wrong("/challenges/new", "title_en", {"title_en": "", "goal": "none"}),
        Wrong("/kiosk/devices", "name", {"name": ""}),
        Wrong(r"/moments/\d+/reverse", "reason"),
        Wrong(r"/kudos/\d+/reverse", "reason"),
        Wrong(r"/moments/\d+/adopt", "title"),
    ],
    ADMIN: [
        Wrong("/admin/settings", "name", {"name": ""}),
        Wrong("/admin/teams", "name", {"name": ""}),
        Wrong(r"/admin/teams/\d+", "user_id", {"user_id": "0"}),
        Wrong(r"/admin/teams/\d+/channels", "url", {"url": "http://not-https.test"}),
        Wrong("/admin/invites", "role", {"expires_in_days": "0"}),
        Wrong("/admin/values", "name_en", {"name_en": ""}),
        Wrong(r"/admin/values/\d+", "name_en", {"name_en": ""}),
        Wrong("/admin/people/import", "file"),
        Wrong("/setup/start", "teams", {"sector": "nope"}),
    ],
}
# Typed into the form as they stand, with the browser's own checks off, so the server answers.
SUBMIT = """([holds, values]) => {
    const form = document.querySelector(`form:has([name="${holds}"])`);
    if (!form) throw new Error(`no form on ${location.pathname} holds a field "${holds}"`);
    form.noValidate = true;
    for (const [name, value] of Object.entries(values)) {
        const element = [...form.elements].find((candidate) => candidate.name === name);
        const typed = ['time', 'date', 'number', 'email', 'url'].includes(element.type);
        if (typed) element.type = 'text';
        if (element.tagName === 'SELECT') element.add(new Option(value, value));
        if (['radio', 'checkbox'].includes(element.type)) element.checked = true;
        element.value = value;
    }
    const buttons = form.querySelectorAll('button:not([type=button]), input[type=submit]');
    form.requestSubmit(buttons[buttons.length - 1]);  // the form's own, not "show more"
}"""
ERROR_SHOWN = ".error-summary, .field__error, .flash--error, [aria-invalid=true]"


def _page_url(pages: list[tuple[str, str]], path: str) -> str:
    return next(url for url, _level in pages if re.fullmatch(path, url))


def _send_wrong(page: Any, wrong: Wrong) -> None:
    with page.expect_navigation():
        page.evaluate(SUBMIT, [wrong.holds, wrong.values])
    assert page.locator(ERROR_SHOWN).count() > 0, f"no error shown after sending {wrong}"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("role", [PUBLIC, STAFF, MANAGER, ADMIN])
def test_every_form_in_its_error_state_passes_axe(
    browser: Any, site: dict[str, Any], role: str, locale: str
) -> None:
    context = _context(browser, site["url"], locale)
    page = context.new_page()
    if role != PUBLIC:
        sign_in_as(page, Account(site["url"], site["emails"][role], PASSWORD))
    problems: list[str] = []
    for wrong in WRONG[role]:
        page.goto(_page_url(site["pages"], wrong.path))
        _send_wrong(page, wrong)
        problems += axe_violations(page)
    if role == PUBLIC:  # and a page that is not there
        page.goto("/no-such-page")
        problems += axe_violations(page)
    context.close()
    _no_violations(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_kiosk_passes_axe(browser: Any, site: dict[str, Any], locale: str) -> None:
    """A tablet that is a kiosk: the faces, a wrong PIN, the choice, both forms sent empty."""
    context = _context(browser, site["url"], locale)
    context.add_cookies(
        [{"name": "kizuki_kiosk", "value": site["kiosk"], "url": f"{site['url']}/kiosk"}]
    )
    page = context.new_page()
    problems: list[str] = []
    page.goto("/kiosk")
    problems += axe_violations(page)
    page.goto(f"/kiosk/people/{site['people']['staff']}")
    problems += axe_violations(page)
    _send_wrong(page, Wrong("", "pin", {"pin": "0000"}))
    problems += axe_violations(page)
    page.fill('input[name="pin"]', KIOSK_PIN)
    with page.expect_navigation():
        page.locator('input[name="pin"]').press("Enter")
    problems += axe_violations(page)
    for path, holds in [("/kiosk/moment", "cue"), ("/kiosk/kudos", "message")]:
        page.goto(path)
        problems += axe_violations(page)
        _send_wrong(page, Wrong(path, holds))
        problems += axe_violations(page)
    context.close()
    _no_violations(problems)


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with no organisation yet (where /setup is open), with sign-up open too."""
    app = build_app(Path(tmp_path_factory.mktemp("empty")) / "empty.db", OPEN_SIGNUP=True)
    with serve(app) as url:
        yield url


@pytest.mark.parametrize("locale", LOCALES)
def test_setting_up_passes_axe(browser: Any, empty_site: str, locale: str) -> None:
    context = _context(browser, empty_site, locale)
    page = context.new_page()
    problems: list[str] = []
    for path in ["/setup", "/signup"]:
        assert open_page(page, path), path
        problems += axe_violations(page)
        _send_wrong(page, Wrong(path, "admin_email", {"admin_email": "not an address"}))
        problems += axe_violations(page)
    context.close()
    _no_violations(problems)
