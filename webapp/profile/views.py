"""Profile pages: my own (/me), my inbox (/inbox), my settings (/settings) and a
colleague's (/people/<id>). The forms that used to live on /me keep their addresses."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from webapp.database import start_writing
from webapp.extensions import db
from webapp.forms import load_form, posted
from webapp.notifications.subscriptions import endpoint_digests
from webapp.notifications.vapid import vapid_keys
from webapp.profile import services
from webapp.profile.forms import (
    LanguageForm,
    MarkReadForm,
    PreferencesForm,
    QuietHoursForm,
    RhythmForm,
)
from webapp.profile.schemas import (
    LanguageSchema,
    PreferencesSchema,
    QuietHoursSchema,
    RhythmSchema,
)
from webapp.security import safe_next_url

bp = Blueprint("profile", __name__)

LANG_COOKIE_AGE = 365 * 24 * 3600


@bp.get("/me")
@login_required
def me() -> Any:
    """My profile: progress, this week, what I may give, badges, stories, kudos and
    recognitions received, points history. The inbox and settings have pages of their own."""
    profile = services.profile_of(db.session(), current_user, current_user)
    return render_template("profile/me.html", profile=profile, read_form=MarkReadForm())


@bp.get("/inbox")
@login_required
def inbox() -> Any:
    """My notifications (kudos, recognitions, badges, notes), newest first; seeing them
    marks them read."""
    session = db.session()
    items = services.inbox_items(session, current_user)
    fresh = {n.id for n in items if n.read_at is None}
    if fresh:
        # A GET that writes: end the reading transaction, then take the write lock.
        session.commit()
        start_writing(session)
        services.mark_seen(session, current_user, fresh)
        session.commit()
        items = services.inbox_items(session, current_user)  # one query, not one per item
    return render_template("profile/inbox.html", items=items, fresh=fresh)


@bp.get("/settings")
@login_required
def settings() -> Any:
    """My settings: notifications and quiet hours, rhythm, privacy, language, account."""
    return _render_settings()


def _render_settings(
    language_form: LanguageForm | None = None,
    status: int = 200,
    quiet_form: QuietHoursForm | None = None,
    rhythm_form: RhythmForm | None = None,
) -> Any:
    forms = {
        "language_form": language_form
        or LanguageForm(locale=current_user.locale or "", next=url_for("profile.settings")),
        "preferences_form": PreferencesForm(hide_from_boards=current_user.hide_from_boards),
        "quiet_form": quiet_form
        or QuietHoursForm(quiet_start=current_user.quiet_start, quiet_end=current_user.quiet_end),
        "rhythm_form": rhythm_form
        or RhythmForm(
            work_start=current_user.work_start,
            work_end=current_user.work_end,
            away_until=current_user.away_until,
            reminders_enabled=current_user.reminders_enabled,
        ),
    }
    page = render_template("profile/settings.html", push=_push_context(), **forms)
    return page, status


def _push_context() -> dict[str, Any]:
    """What the "Notifications on this device" block needs: the server's key (None: push is
    off) and digests of my subscribed browsers' endpoints (to tell "on for me" apart)."""
    keys = vapid_keys()
    return {
        "public_key": keys.public_key if keys else None,
        "mine": endpoint_digests(db.session(), current_user) if keys else [],
        "org": current_user.organisation,
    }


@bp.get("/people/<int:user_id>")
@login_required
def show(user_id: int) -> Any:
    """A colleague's profile (same organisation only)."""
    person = services.person_in_org(db.session(), current_user, user_id)
    if person.id == current_user.id:
        return redirect(url_for("profile.me"))
    profile = services.profile_of(db.session(), current_user, person)
    return render_template("profile/show.html", profile=profile)


@bp.post("/settings/language")
def language() -> Any:
    """Choose the UI language: stored on the person, and in a cookie for signed-out pages."""
    form = LanguageForm()
    data = load_form(LanguageSchema(), form, posted(form))
    signed_in = current_user.is_authenticated
    if data is None:
        if signed_in:
            return _render_settings(language_form=form, status=422)
        abort(400)
    locale = data["locale"]
    if signed_in:
        services.set_locale(db.session(), current_user, locale)
        db.session.commit()
    fallback = url_for("profile.settings") if signed_in else "/"
    response = redirect(safe_next_url(data.get("next")) or fallback, code=303)
    _remember_language(response, locale)
    with force_locale(
        locale or request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"
    ):
        flash(_("Language saved."), "success")
    return response


def _remember_language(response: Response, locale: str | None) -> None:
    if locale:
        response.set_cookie(
            "lang",
            locale,
            max_age=LANG_COOKIE_AGE,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie("lang")


@bp.post("/me/rhythm")
@login_required
def rhythm() -> Any:
    """My working hours, time away and the Monday note."""
    form = RhythmForm()
    data = load_form(RhythmSchema(), form, posted(form))
    if data is None:
        return _render_settings(rhythm_form=form, status=422)
    services.set_rhythm(
        db.session(),
        current_user,
        (data["work_start"], data["work_end"]),
        data["away_until"],
        data["reminders_enabled"],
    )
    db.session.commit()
    flash(_("Saved. Thank you for looking after your own rhythm."), "success")
    return redirect(url_for("profile.settings") + "#rhythm", code=303)


@bp.post("/me/preferences")
@login_required
def preferences() -> Any:
    """Leave or rejoin the individual boards."""
    form = PreferencesForm()
    data = load_form(PreferencesSchema(), form, posted(form))
    if data is None:
        abort(400)
    services.set_hide_from_boards(db.session(), current_user, data["hide_from_boards"])
    db.session.commit()
    if data["hide_from_boards"]:
        flash(
            _("You have left the individual boards. Your points still count for your team."),
            "success",
        )
    else:
        flash(_("You are back on the individual boards."), "success")
    return redirect(url_for("profile.settings") + "#preferences", code=303)


@bp.post("/me/quiet-hours")
@login_required
def quiet_hours() -> Any:
    """Set (or clear) my own quiet hours: no pushes to my devices between them."""
    form = QuietHoursForm()
    data = load_form(QuietHoursSchema(), form, posted(form))
    if data is None:
        return _render_settings(quiet_form=form, status=422)
    services.set_quiet_hours(db.session(), current_user, data["quiet_start"], data["quiet_end"])
    db.session.commit()
    if data["quiet_start"] is None:
        flash(_("Your own quiet hours are cleared."), "success")
    else:
        flash(_("Your quiet hours are saved."), "success")
    return redirect(url_for("profile.settings") + "#push", code=303)


@bp.post("/me/notifications/read")
@login_required
def notifications_read() -> Any:
    """Mark all my notifications as read."""
    services.mark_notifications_read(db.session(), current_user)
    db.session.commit()
    flash(_("All notifications marked as read."), "success")
    return redirect(url_for("profile.inbox"), code=303)
