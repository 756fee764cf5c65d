"""Issue 10's first day, end to end in a real browser, in English and in Dutch: a production
server (KIZUKI_ENV=production) on an empty database (PostgreSQL when
KIZUKI_TEST_DATABASE_URL is set, else SQLite) leads every page to /setup; the admin sets
the organisation up, picks starter values and three teams, checks a CSV of 50 people (first
with one mistake), imports it, prints a team's invite sheet; one person scans their card's
QR code (decoded from the rendered image), joins, signs in and sets a kiosk PIN; the admin
turns a tablet into the team's kiosk, and the person logs a moment on it with the PIN.
Screenshots of the steps at phone and tablet width go to test-artifacts/issue10/."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import BROWSER
from tests.browser.live import PHONE, Account, build_app, serve, sign_in_as
from webapp.extensions import db
from webapp.models import Invite, Moment, Organisation, Team, User, Value

pytestmark = BROWSER

LOCALES = {"en": "en-GB", "nl": "nl-NL"}
TEAMS = {
    "en": ["Front desk", "Housekeeping", "Kitchen"],
    "nl": ["Receptie", "Huishouding", "Keuken"],
}
WORDS = {
    "en": {
        "who": "Who are you?",
        "log": "Log a moment",
        "logged": "Moment logged",
        "moment": (
            "A tourist stood lost at the wrong stop",
            "Walked her to the right tram",
            "She waved from the platform",
        ),
    },
    "nl": {
        "who": "Wie ben jij?",
        "log": "Noteer een moment",
        "logged": "Moment genoteerd",
        "moment": (
            "Een toerist stond verdwaald bij de verkeerde halte",
            "Haar naar de juiste tram gebracht",
            "Ze zwaaide vanaf het perron",
        ),
    },
}
PEOPLE = 50
FIRST_NAMES = ["Sanne", "Bram", "Aisha", "Tom", "Lotte", "Mehmet", "Eva", "Daan", "Noor", "Kees"]
LAST_NAMES = ["de Vries", "Jansen", "El Amrani", "Bakker", "Visser"]
ADMIN_EMAIL = "ada@tram.test"
ADMIN_PASSWORD = "four words belong together"
PERSON_PASSWORD = "a tram in the early fog"
PIN = "2468"
ZONE = "Europe/Amsterdam"
SIZES = {"phone": {"width": 390, "height": 844}, "tablet": {"width": 800, "height": 1280}}
TABLET: dict[str, Any] = {
    "viewport": SIZES["tablet"],
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = ARTIFACTS / "issue10"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def production(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Account]:
    """A production app on an empty, migrated database (the tests' own fresh database:
    a SQLite file, or the PostgreSQL test database, emptied after each test), served."""
    monkeypatch.setenv("KIZUKI_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "first-day-secret")
    app = build_app(database_url, RATELIMIT_ENABLED=True, JOBS_MODE="threads")
    assert app.config["KIZUKI_ENV"] == "production"
    with serve(app) as url:
        # Links handed out (the QR codes) are built on the site's public address.
        app.config["PUBLIC_URL"] = url
        yield Account(url=url, email=ADMIN_EMAIL, password=ADMIN_PASSWORD, app=app)


def _people_csv(folder: Path, lang: str, mistake: bool) -> Path:
    """50 people spread over the three teams (one lead each); with `mistake`, one more row
    whose team does not exist."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["name", "email", "team", "role", "team_role", "language"])
    teams = TEAMS[lang]
    for n in range(PEOPLE):
        team = teams[n % len(teams)]
        lead = "lead" if n < len(teams) else "member"
        first, last = FIRST_NAMES[n % 10], LAST_NAMES[n // 10]
        email = f"{first.lower()}.{last.lower().replace(' ', '')}@tram.test"
        writer.writerow([f"{first} {last}", email, team, "staff", lead, lang])
    if mistake:
        writer.writerow(["Nora Night", "nora@tram.test", "Night shift", "staff", "", lang])
    path = folder / f"people-{lang}{'-mistake' if mistake else ''}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _shoot(page: Any, folder: Path, name: str, lang: str) -> None:
    """The page at phone and at tablet width (CSS pixels), then back to its own size."""
    own = page.viewport_size
    for device, size in SIZES.items():
        page.set_viewport_size(size)
        page.evaluate("() => window.scrollTo(0, 0)")  # fixed bars where a person sees them
        target = folder / f"{name}-{device}-{lang}.png"
        page.screenshot(path=str(target), full_page=True, scale="css")
        assert target.stat().st_size > 1000
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {device} width"
    page.set_viewport_size(own)


def _context(browser: Any, url: str, lang: str, device: dict[str, Any]) -> Any:
    context = browser.new_context(
        base_url=url, timezone_id=ZONE, **{**device, "locale": LOCALES[lang]}
    )
    context.set_default_timeout(15_000)
    return context


def _submit(page: Any) -> None:
    page.locator('main form[method="post" i] button[type="submit"]').first.click()


def _count(app: Any, model: Any) -> int:
    with app.app_context():
        found = int(db.session.scalar(select(func.count()).select_from(model)) or 0)
        db.session.remove()
    return found


def _decode_qr(card: Any) -> str:
    """The link in a card's QR code, read from the rendered image as a phone camera would."""
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(card.locator(".invite-card__qr svg").screenshot()))
    found = zxingcpp.read_barcodes(image.convert("L"))
    assert len(found) == 1, f"{len(found)} QR codes read from one card"
    return str(found[0].text)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_first_day(
    browser: Any, production: Account, tmp_path: Path, shots: Path, lang: str
) -> None:
    app, url = production.app, production.url
    assert app is not None
    for model in (Organisation, User, Team, Value, Invite):
        assert _count(app, model) == 0, f"{model.__name__} seeded in production"

    # The admin, on a phone: every page leads to /setup.
    admin = _context(browser, url, lang, PHONE)
    page = admin.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    for path in ("/", "/login", "/admin", "/kiosk", "/me"):
        page.goto(path)
        assert page.url == f"{url}/setup", path
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#timezone").input_value() == ZONE
    page.fill("#name", "Tram Company")
    page.select_option("#default_locale", lang)
    page.select_option("#currency", "EUR")
    page.fill("#admin_name", "Ada Jansen")
    page.fill("#admin_email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.fill("#confirm", ADMIN_PASSWORD)
    _shoot(page, shots, "setup", lang)
    _submit(page)
    page.wait_for_url("**/setup/start")
    assert page.goto("/setup").status == 404  # gone for good
    problems.clear()  # the browser reports that 404 as an error
    page.goto("/setup/start")

    # The guided start: the hospitality values and three teams.
    page.check('input[name="sector"][value="hospitality"]')
    page.fill('textarea[name="teams"]', "\n".join(TEAMS[lang]))
    _submit(page)
    page.wait_for_url("**/admin/invites")

    # The CSV: first with one mistake (nothing saved), then the corrected file.
    page.click('a[href="/admin/people/import"]')
    page.set_input_files('input[name="file"]', str(_people_csv(tmp_path, lang, mistake=True)))
    _submit(page)
    page.wait_for_url("**/admin/people/import/*")
    assert page.locator("[data-problem-line]").count() == 1
    assert page.locator("[data-problem-line]").get_attribute("data-problem-line") == "52"
    _shoot(page, shots, "import-preview-error", lang)
    assert _count(app, Invite) == 0
    page.click('main a[href="/admin/people/import"]')
    page.set_input_files('input[name="file"]', str(_people_csv(tmp_path, lang, mistake=False)))
    _submit(page)
    page.wait_for_url("**/admin/people/import/*")
    assert page.locator("[data-problem-line]").count() == 0
    assert str(PEOPLE) in page.locator("#ready-title").inner_text()
    _shoot(page, shots, "import-preview", lang)
    _submit(page)
    page.wait_for_selector("#done-title")
    assert str(PEOPLE) in page.locator("#done-title").inner_text()

    # The first team's invite sheet, made and printed.
    page.click('main a[href="/admin/invites"]')
    page.locator('a[href*="/invite-sheet"]', has_text=TEAMS[lang][0]).click()
    _submit(page)
    cards = page.locator(".invite-card")
    cards.first.wait_for()
    assert cards.count() == 17  # 50 people in three teams: 17, 17, 16
    assert page.locator("[data-public-url-missing]").count() == 0
    _shoot(page, shots, "invite-sheet", lang)
    page.emulate_media(media="print")
    assert page.locator(".no-print").first.is_hidden()
    assert page.locator(".tabbar").first.is_hidden()
    pdf = shots / f"invite-sheet-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    # Four cards to an A4 page, none split: 17 cards make 5 pages.
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == 5
    own = page.viewport_size
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(shots / f"invite-sheet-print-{lang}.png"), scale="css")
    page.set_viewport_size(own)
    page.emulate_media(media="screen")
    card = cards.first
    link = _decode_qr(card)
    assert link == card.locator(".invite-card__url").inner_text()
    assert link.startswith(f"{url}/invite/")
    name = card.locator(".invite-card__name").inner_text()
    admin.close()

    # The person scans their card on their own phone, joins, and signs in again later.
    phone = _context(browser, url, lang, PHONE)
    mine = phone.new_page()
    mine.goto(link)
    assert mine.input_value('input[name="name"]') == name
    email = mine.input_value('input[name="email"]')
    assert email.endswith("@tram.test")
    mine.fill('input[name="password"]', PERSON_PASSWORD)
    mine.fill('input[name="confirm"]', PERSON_PASSWORD)
    _submit(mine)
    mine.wait_for_url(lambda u: "/invite/" not in u)
    phone.close()
    phone = _context(browser, url, lang, PHONE)
    mine = phone.new_page()
    sign_in_as(mine, Account(url=url, email=email, password=PERSON_PASSWORD))
    mine.goto("/settings")
    mine.click('a[href="/kiosk/pin"]')
    mine.fill('input[name="password"]', PERSON_PASSWORD)
    mine.fill('input[name="pin"]', PIN)
    mine.locator('form[action="/kiosk/pin"] button[type="submit"]').click()
    mine.wait_for_selector(".flash--success")
    phone.close()
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == email))
        assert person is not None
        person_id, team_id = person.id, next(m.team_id for m in person.memberships)
        db.session.remove()

    # The admin turns the staff-room tablet into the team's kiosk.
    tablet = _context(browser, url, lang, TABLET)
    kiosk = tablet.new_page()
    kiosk.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in_as(kiosk, production)
    kiosk.goto("/kiosk/devices")
    kiosk.fill('input[name="name"]', "Staff room")
    kiosk.select_option('select[name="team_id"]', str(team_id))
    kiosk.locator('form[action="/kiosk/devices"] button[type="submit"]').click()
    kiosk.wait_for_url(lambda u: u.endswith("/kiosk"))
    words = WORDS[lang]
    assert kiosk.locator("h1").inner_text() == words["who"]
    assert kiosk.locator("html").get_attribute("lang") == lang
    _shoot(kiosk, shots, "kiosk-faces", lang)

    # The person taps their face, types the PIN and logs a moment.
    kiosk.click(f'a[href="/kiosk/people/{person_id}"]')
    kiosk.fill('input[name="pin"]', PIN)
    _shoot(kiosk, shots, "kiosk-pin", lang)
    kiosk.locator('input[name="pin"]').press("Enter")
    kiosk.wait_for_selector("form[data-kiosk-done]")
    kiosk.get_by_role("link", name=words["log"]).click()
    cue, action, reaction = words["moment"]
    kiosk.fill('textarea[name="cue"]', cue)
    kiosk.fill('textarea[name="action"]', action)
    kiosk.fill('textarea[name="reaction"]', reaction)
    kiosk.locator('input[name="value_ids"]').first.check(force=True)
    _shoot(kiosk, shots, "kiosk-moment", lang)
    kiosk.locator('form[data-kiosk-form] button[type="submit"]').click()
    kiosk.wait_for_selector(".flash--success")
    assert words["logged"] in kiosk.locator(".flash--success").inner_text()
    assert kiosk.locator("h1").inner_text() == words["who"]
    tablet.close()
    assert problems == []

    # What the database holds: one organisation, its admin and the person who joined, the
    # 50 imported people (49 still invited), three teams, and the moment once, theirs.
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
        assert sorted(session.scalars(select(Team.name))) == sorted(TEAMS[lang])
        invites = session.scalars(select(Invite)).all()
        assert len(invites) == PEOPLE
        assert len({invite.team_id for invite in invites}) == 3
        assert len([invite for invite in invites if invite.used_at is not None]) == 1
        users = session.scalars(select(User)).all()
        assert sorted(u.email for u in users) == sorted([ADMIN_EMAIL, email])
        moments = session.scalars(select(Moment).where(Moment.cue == cue)).all()
        assert [m.author_id for m in moments] == [person_id]
        assert session.scalar(select(func.count()).select_from(Moment)) == 1
        db.session.remove()
