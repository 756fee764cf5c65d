"""The compact feed in a real browser (issue 12, "Also"): each card shows the cue first and
opens the rest with "More" (a <details>: keyboard and screen readers know it), and the kudos
count opens who gave them."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.browser.helpers import BROWSER
from tests.browser.live import LiveApp, sign_in
from webapp.extensions import db
from webapp.kudos.services import KudosInput, give_kudos
from webapp.models import Team, User
from webapp.moments.services import MomentInput, log_moment

pytestmark = BROWSER

CUE = "A father tried to fold a pram with a sleeping baby on his arm by the revolving door"
ACTION = "Took the pram, folded it and carried it to the taxi while he kept the baby asleep"


def a_moment_with_kudos(live: LiveApp) -> int:
    """A colleague's moment with a long cue, thanked by the manager."""
    with live.app.app_context():
        team = db.session.get(Team, live.people.team_id)
        assert team is not None
        author = factories.make_user(db.session, team.organisation, team=team, name="Noor Visser")
        moment, _ = log_moment(
            db.session,
            author,
            MomentInput(
                client_id=factories.client_id(),
                team_id=team.id,
                cue=CUE,
                action=ACTION,
                reaction="He whispered thank you three times",
                value_ids=live.people.value_ids[:1],
            ),
        )
        manager = db.session.query(User).filter_by(email=live.people.manager_email).one()
        give_kudos(
            db.session,
            manager,
            KudosInput(factories.client_id(), "So calm!", [author.id], moment_id=moment.id),
        )
        db.session.commit()
        moment_id = moment.id
        db.session.remove()
    return moment_id


def test_a_card_opens_its_story_with_the_keyboard(page: Any, live: LiveApp) -> None:
    moment_id = a_moment_with_kudos(live)
    sign_in(page, live)
    page.goto("/")
    card = page.locator(f'article[aria-labelledby="moment-{moment_id}-author"]')
    assert card.locator(".moment__cue").is_visible()
    action = card.get_by_text(ACTION)
    assert not action.is_visible()
    closed = card.bounding_box()["height"]
    more = card.locator(".moment__more > summary")
    assert more.inner_text().startswith("More")
    assert "about the moment of Noor Visser" in more.text_content()
    more.focus()
    page.keyboard.press("Enter")
    assert action.is_visible()
    assert card.locator(".moment__more").evaluate("(d) => d.open")
    assert card.bounding_box()["height"] > closed + 40
    page.keyboard.press("Enter")
    assert not action.is_visible()

    givers = card.locator(".moment__givers > summary")
    assert givers.inner_text().startswith("1 kudos")
    givers.focus()
    page.keyboard.press("Space")
    names = card.locator(".moment__giver-list li")
    assert names.all_inner_texts() == ["Mila Jansen"] and names.first.is_visible()


def test_a_card_stays_within_the_phone_when_opened(page: Any, live: LiveApp) -> None:
    moment_id = a_moment_with_kudos(live)
    sign_in(page, live)
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/")
    card = page.locator(f'article[aria-labelledby="moment-{moment_id}-author"]')
    card.locator(".moment__more > summary").click()
    card.locator(".moment__givers > summary").click()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
