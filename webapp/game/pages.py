"""Pages of the game layer: badges, seasons, challenges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import jobs
from webapp.extensions import db
from webapp.forms import load_form, options, posted, render_form, run_service, use_languages
from webapp.game import challenges, season_results, seasons
from webapp.game import jobs as game_jobs
from webapp.game.badges import badges_for
from webapp.game.forms import ChallengeForm
from webapp.game.schemas import ChallengeCreateSchema
from webapp.game.views import bp
from webapp.orgs import content
from webapp.security import role_required


@bp.get("/badges")
@login_required
def badges() -> str:
    """Every badge, how to earn it, and which ones I have."""
    statuses = badges_for(db.session(), current_user.id)
    return render_template("game/badges.html", statuses=statuses)


@bp.get("/seasons")
@login_required
def season_list() -> str:
    """The current season and the past ones with their winners (stored results: this page
    reads, and never recomputes history)."""
    org = current_user.organisation
    if not season_results.settled(db.session(), org):
        # The calendar turned and the periodic job has not caught up yet: ask for it now
        # (meanwhile the page shows the running season from the calendar).
        jobs.enqueue(game_jobs.settle_seasons_of, org.id, org_id=org.id)
    found = season_results.overview(db.session(), org)
    return render_template(
        "game/seasons.html",
        running=found.running,
        past=found.past,
        top=season_results.TOP_TEAMS,
    )


@bp.get("/seasons/<int:season_id>")
@login_required
def season(season_id: int) -> str:
    """One season: team standings per member, the winner, the best stories."""
    view = season_results.season_page(db.session(), current_user.organisation, season_id)
    if view is None:
        abort(404)
    return render_template("game/season.html", view=view, top=season_results.SEASON_TEAMS)


@bp.get("/challenges")
@login_required
def challenge_list() -> str:
    """The organisation's team challenges with their progress."""
    items = challenges.challenges_for(db.session(), current_user)
    return render_template("game/challenges.html", items=items)


@bp.route("/challenges/new", methods=["GET", "POST"])
@role_required("manager")
def new_challenge() -> Any:
    """A manager sets a team focus, a period and a goal."""
    form = _challenge_form()
    if request.method == "POST":
        data = load_form(ChallengeCreateSchema(), form, posted(form))
        made = data and run_service(
            form,
            lambda: challenges.create_challenge(db.session(), current_user, _challenge_input(data)),
        )
        if made:
            flash(_("The challenge is on. Good luck together!"), "success")
            return redirect(url_for("game.challenge_list"))
    return render_form("game/challenge_new.html", form)


def _challenge_input(data: dict[str, Any]) -> challenges.ChallengeInput:
    texts, rest = content.split_texts(data, ("title", "description"))
    own = texts[current_user.organisation.default_locale]
    return challenges.ChallengeInput(
        title=own["title"], description=own["description"], texts=texts, **rest
    )


def _challenge_form() -> ChallengeForm:
    teams, values = challenges.challenge_options(db.session(), current_user)
    today = seasons.today_for(current_user.organisation)
    form = ChallengeForm(starts_on=today, last_day=today + timedelta(days=27))
    use_languages(form, current_user.organisation.default_locale, ("title",))
    form.team_id.choices = options({t.id: t.name for t in teams}, _("Choose a team"))
    form.value_id.choices = options({v.id: v.name for v in values}, _("Any value"))
    return form
