"""The people picker in a real browser at 390 x 844 (issue 12 §6): typing filters the list,
chosen people show as removable chips, and choosing a recognition recipient loads their
moments in place, without navigating."""

from __future__ import annotations

from typing import Any

from tests.browser.helpers import BROWSER
from tests.browser.live import LiveApp, sign_in
from tests.factories import client_id, make_team, make_user
from webapp.extensions import db
from webapp.models import Team, User
from webapp.moments.services import MomentInput, log_moment

pytestmark = BROWSER

VISIBLE_NAMES = """(name) => [...document.querySelectorAll(`#${name} .picker__item`)]
  .filter((item) => item.offsetParent !== null).map((item) => item.dataset.name)"""


def test_typing_filters_the_list_and_chips_show_who_is_chosen(page: Any, live: LiveApp) -> None:
    assert page.viewport_size == {"width": 390, "height": 844}
    sign_in(page, live)
    page.goto("/kudos/new")
    page.wait_for_selector("html.js", state="attached")
    everyone = page.evaluate(VISIBLE_NAMES, "receiver_ids")
    # Own team first and at most a page of names: other tests on the shared live app may have
    # added colleagues, so who shows before searching is not fixed; searching finds anyone.
    assert len(everyone) >= 4

    page.fill("#receiver_ids-search", "aish")
    assert page.evaluate(VISIBLE_NAMES, "receiver_ids") == ["Aisha Khan"]
    page.fill("#receiver_ids-search", "nobody like this")
    assert page.evaluate(VISIBLE_NAMES, "receiver_ids") == []
    assert page.locator("#receiver_ids .picker__none").is_visible()
    # Accents are ignored ("Sofia" finds "Sofía"), by the very module the page loaded.
    assert page.evaluate(
        "() => import('/static/pwa/js/picker.js').then((m) => m.matches('Sofía Romano', 'Sofia'))"
    )

    page.fill("#receiver_ids-search", "aish")
    page.locator("#receiver_ids label", has_text="Aisha Khan").click()
    chip = page.locator("#receiver_ids .picker__chip")
    assert chip.count() == 1 and "Aisha Khan" in chip.inner_text()
    box = chip.bounding_box()
    assert box is not None and box["height"] >= 44
    chip.click()
    assert page.locator("#receiver_ids .picker__chip").count() == 0
    assert not page.locator("#receiver_ids input[type=checkbox]:checked").count()
    page.fill("#receiver_ids-search", "")
    assert page.evaluate(VISIBLE_NAMES, "receiver_ids") == everyone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_choosing_a_recipient_loads_their_moments_without_navigation(
    page: Any, live: LiveApp
) -> None:
    with live.app.app_context():
        author = db.session.get(User, live.people.staff2_id)
        assert author is not None
        log_moment(
            db.session(),
            author,
            MomentInput(
                client_id=client_id(),
                team_id=live.people.team_id,
                cue="Picker test: a guest's umbrella broke at the door",
                action="Lent ours",
                reaction="Dry and happy",
                value_ids=live.people.value_ids[:1],
            ),
        )
        db.session.commit()
        name = author.name
        db.session.remove()
    sign_in(page, live, live.people.manager_email)
    page.goto("/manage/recognize")
    page.wait_for_selector("html.js", state="attached")
    page.evaluate("() => { window.__stayed = true; }")
    url = page.url
    assert not page.locator("[data-picker-reload]").is_visible()  # the script loads them

    page.fill("#recipient_id-search", name.split()[0])
    page.locator("#recipient_id label", has_text=name).click()
    page.locator("#recognize-moments", has_text="umbrella broke").wait_for()

    assert page.evaluate("() => window.__stayed === true") and page.url == url
    assert page.locator("#recognize-moments input[name=moment_ids]").count() >= 1


def test_the_picker_forms_fit_320_px(page: Any, live: LiveApp) -> None:
    sign_in(page, live, live.people.manager_email)
    page.set_viewport_size({"width": 320, "height": 640})
    for url in ("/kudos/new", "/moments/new", "/manage/recognize"):
        page.goto(url)
        page.wait_for_selector("html.js", state="attached")
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320, url
        page.evaluate(
            "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
        )
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320, url
        rows = page.locator(".picker__item:visible label")
        assert rows.count() >= 3, url
        heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
        assert min(heights) >= 44, url  # whole rows are thumb-sized targets


def test_a_long_list_asks_the_server_and_keeps_local_matches_when_that_fails(
    page: Any, live: LiveApp
) -> None:
    """Past the bound (issue 13) typing also asks GET /api/v1/people: someone not listed
    appears as a choosable checkbox and becomes a chip; when the request fails while the
    browser says it is online (lie-fi), the local matches stay and the status says why."""
    with live.app.app_context():
        team = db.session.get(Team, live.people.team_id)
        assert team is not None
        elsewhere = make_team(db.session, team.organisation, "Picker test: laundry")
        far = make_user(db.session, team.organisation, team=elsewhere, name="Quirina Farfetch")
        db.session.commit()
        far_id = far.id
        db.session.remove()
    limit = live.app.config["PICKER_LIMIT"]
    live.app.config["PICKER_LIMIT"] = 2
    try:
        sign_in(page, live)
        page.goto("/kudos/new")
        page.wait_for_selector("html.js", state="attached")
    finally:
        live.app.config["PICKER_LIMIT"] = limit
    assert "search to find anyone else" in page.locator("#receiver_ids-count").inner_text()
    assert page.locator("#receiver_ids [name=picker_search]").count() == 0  # JS searches live
    assert page.locator(f"#receiver-{far_id}").count() == 0

    page.fill("#receiver_ids-search", "quirina far")
    found = page.locator(f"#receiver-{far_id}")
    found.wait_for()
    assert page.evaluate(VISIBLE_NAMES, "receiver_ids") == ["Quirina Farfetch"]
    assert "1 more found" in page.locator("#receiver_ids .picker__status").inner_text()
    page.locator("#receiver_ids label", has_text="Quirina Farfetch").click()
    assert found.is_checked() and found.get_attribute("name") == "receiver_ids"
    assert "Quirina Farfetch" in page.locator("#receiver_ids .picker__chip").inner_text()

    # Lie-fi: "online", but the search cannot get through.
    page.route("**/api/v1/people*", lambda route: route.abort())
    page.fill("#receiver_ids-search", "quirina")
    status = page.locator("#receiver_ids .picker__status")
    status.filter(has_text="needs a connection").wait_for()
    assert page.evaluate(VISIBLE_NAMES, "receiver_ids") == ["Quirina Farfetch"]
    assert page.evaluate("() => navigator.onLine")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
