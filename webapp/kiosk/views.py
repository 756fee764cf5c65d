"""Kiosk pages: one's PIN, setting up and revoking kiosks, and the kiosk itself (faces →
PIN → log a moment or give kudos → back to the faces).

The kiosk is not a sign-in: the device holds a token cookie, and whose turn it is lives on
the device's row with an end time. flask-login never hears of the person, so no page
outside /kiosk opens for them.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from marshmallow import ValidationError

from webapp.domain import DomainError
from webapp.extensions import csrf, db
from webapp.forms import load_form, options, posted, render_form, renew_client_id, run_service
from webapp.kiosk import services as kiosk
from webapp.kiosk.access import kiosk_teams, managed_devices
from webapp.kiosk.forms import DeviceForm, PinEntryForm, PinForm
from webapp.kiosk.schemas import DeviceSchema, PinEntrySchema, PinSchema
from webapp.kudos import services as kudos_services
from webapp.kudos.forms import KudosForm
from webapp.kudos.schemas import KudosFormSchema
from webapp.models import KioskDevice, User
from webapp.moments import services as moments
from webapp.moments.forms import MomentForm
from webapp.moments.schemas import MomentCreateSchema, MomentFormSchema
from webapp.orgs.pages import named_colleagues, page_picker
from webapp.orgs.picker import posted_search
from webapp.orgs.services import active_values
from webapp.routing import posted_ids
from webapp.security import role_required

bp = Blueprint("kiosk", __name__)

COOKIE = "kizuki_kiosk"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie
MOMENT_ALIASES = {"gesture_cost_cents": "gesture_cost"}
KUDOS_ALIASES = {"receivers": "receiver_ids", "moment_id": "receiver_ids"}


# One's own PIN ---------------------------------------------------------------------------


@bp.route("/kiosk/pin", methods=["GET", "POST"])
@login_required
def pin() -> Any:
    """Set or change one's kiosk PIN (the current password is asked)."""
    form = PinForm()
    if request.method == "POST":
        data = load_form(PinSchema(), form, posted(form))
        done = data and run_service(
            form, lambda: kiosk.set_pin(db.session(), current_user, data["password"], data["pin"])
        )
        if done:
            flash(_("Your kiosk PIN is set."), "success")
            return redirect(url_for("kiosk.pin"))
    return render_form("kiosk/pin.html", form, has_pin=kiosk.has_pin(db.session(), current_user))


# Setting up and revoking kiosks -----------------------------------------------------------


@bp.route("/kiosk/devices", methods=["GET", "POST"])
@role_required("manager")
def devices() -> Any:
    """The organisation's kiosks one looks after, and turning this device into one."""
    session = db.session()
    form = DeviceForm()
    form.team_id.choices = options({t.id: t.name for t in kiosk_teams(session, current_user)})
    if request.method == "POST":
        data = load_form(DeviceSchema(), form, posted(form))
        made = data and run_service(
            form, lambda: kiosk.create_device(session, current_user, data["name"], data["team_id"])
        )
        if made:
            return _become_kiosk(made[1])
    return render_form("kiosk/devices.html", form, devices=managed_devices(session, current_user))


def _become_kiosk(raw_token: str) -> Any:
    """This browser is now the kiosk: the person who set it up is signed out here (a shared
    device must not keep anyone's session) and the device token goes into a cookie only
    this site's own pages send."""
    logout_user()
    cookie_session.clear()
    response = redirect(url_for("kiosk.home"))
    response.set_cookie(
        COOKIE,
        raw_token,
        max_age=COOKIE_DAYS * 24 * 3600,
        path="/kiosk",
        secure=True,
        httponly=True,
        samesite="Strict",
    )
    return response


@bp.post("/kiosk/devices/<int:device_id>/revoke")
@role_required("manager")
def revoke(device_id: int) -> Any:
    """Stop a kiosk; the device then says it is no longer a kiosk."""
    kiosk.revoke_device(db.session(), current_user, device_id)
    db.session.commit()
    flash(_("The kiosk was revoked."), "info")
    return redirect(url_for("kiosk.devices"))


# The kiosk -------------------------------------------------------------------------------


def _device() -> KioskDevice | None:
    return kiosk.device_by_token(db.session(), request.cookies.get(COOKIE))


def _live_device() -> KioskDevice:
    """The working kiosk of this browser; otherwise the page that says why there is none."""
    device = _device()
    if device is None or device.revoked_at is not None:
        page = render_template("kiosk/not_kiosk.html", revoked=device is not None)
        abort(make_response(page, 403))
    return device


def _turn() -> tuple[KioskDevice, User] | None:
    """The device and whose turn it is; None (back to the faces) when nobody's turn is on."""
    device = _live_device()
    person = kiosk.current_person(device)
    if person is None:
        flash(_("Your turn has ended. Tap your name to start again."), "info")
        return None
    return device, person


@bp.get("/kiosk")
def home() -> Any:
    """The team's faces; during someone's turn, what they can do."""
    device = _live_device()
    person = kiosk.current_person(device)
    if person is not None:
        return render_template("kiosk/choose.html", device=device, person=person)
    return render_template(
        "kiosk/faces.html", device=device, people=kiosk.faces(db.session(), device)
    )


@bp.route("/kiosk/people/<int:user_id>", methods=["GET", "POST"])
def enter(user_id: int) -> Any:
    """A person tapped their face: their PIN starts their turn."""
    device = _live_device()
    session = db.session()
    person = kiosk.team_person(session, device, user_id)
    if person is None:
        abort(404)
    form = PinEntryForm()
    if request.method == "POST":
        data = load_form(PinEntrySchema(), form, posted(form))
        if data:
            entry = kiosk.enter_pin(session, device, person, data["pin"])
            db.session.commit()
            if entry is kiosk.Entry.OK:
                return redirect(url_for("kiosk.home"))
            form.pin.errors = [_entry_message(entry)]
    return render_form("kiosk/pin_entry.html", form, device=device, person=person)


def _entry_message(entry: kiosk.Entry) -> str:
    return {
        kiosk.Entry.WRONG: _("That PIN is not right. Try again."),
        kiosk.Entry.PERSON_LOCKED: _(
            "Too many wrong PINs: you can use a kiosk again in 15 minutes. "
            "Or change your PIN on your own phone."
        ),
        kiosk.Entry.DEVICE_LOCKED: _(
            "Too many wrong PINs on this kiosk: it is paused for 15 minutes."
        ),
        kiosk.Entry.NO_PIN: _(
            "You have no kiosk PIN yet. Set one on your own phone: Me → Kiosk PIN."
        ),
    }[entry]


@bp.post("/kiosk/done")
def done() -> Any:
    """End the turn (after an action, "not me", or the idle timer): back to the faces."""
    device = _live_device()
    kiosk.end_turn(device)
    db.session.commit()
    return redirect(url_for("kiosk.home"))


@bp.route("/kiosk/moment", methods=["GET", "POST"])
def moment() -> Any:
    """Log a moment as the person whose turn it is, with the moment service's own rules."""
    turn = _turn()
    if turn is None:
        return redirect(url_for("kiosk.home"))
    device, person = turn
    form = MomentForm(client_id=str(uuid.uuid4()))
    form.team_id.choices = options({device.team.id: device.team.name})
    form.team_id.data = str(device.team_id)
    named = _person_choices(form, person)
    # The picker's search button posts the form to find colleagues (the kiosk has no
    # session for the API's search): shown again as typed, with the matches, nothing saved.
    search = posted_search(request.form) if request.method == "POST" else None
    if request.method == "POST" and search is None:
        data = load_form(MomentFormSchema(), form, posted(form), MOMENT_ALIASES)
        made = data and run_service(
            form,
            lambda: _then_end(
                device, moments.log_moment(db.session(), person, moments.MomentInput(**data))
            ),
            MOMENT_ALIASES,
        )
        if made:
            flash(_("Moment logged — thank you, %(name)s.", name=person.first_name), "success")
            return redirect(url_for("kiosk.home"))
        renew_client_id(form)
    grant = kiosk.turn_grant(device, person)
    return render_form(
        "kiosk/moment.html",
        form,
        device=device,
        person=person,
        grant=grant,
        colleague_picker=page_picker(db.session(), person, chosen=named, search=search),
    )


@bp.route("/kiosk/kudos", methods=["GET", "POST"])
def kudos() -> Any:
    """Give kudos as the person whose turn it is, with the kudos service's own rules."""
    turn = _turn()
    if turn is None:
        return redirect(url_for("kiosk.home"))
    device, person = turn
    session = db.session()
    form = KudosForm(client_id=str(uuid.uuid4()))
    # Checked against the colleagues the form names; the picker shows only a bounded list.
    named = posted_ids(request.form.getlist("receiver_ids")) if request.method == "POST" else []
    named_colleagues(session, person, form.receiver_ids, named)
    form.team_id.choices = options({}, _("No team"))
    form.value_id.choices = options(
        {v.id: v.name for v in active_values(session, person.org_id)}, _("Choose a value")
    )
    search = posted_search(request.form) if request.method == "POST" else None
    if request.method == "POST" and search is None:
        data = load_form(KudosFormSchema(), form, posted(form), KUDOS_ALIASES)
        made = data and run_service(
            form,
            lambda: _then_end(
                device,
                kudos_services.give_kudos(db.session(), person, kudos_services.KudosInput(**data)),
            ),
            KUDOS_ALIASES,
        )
        if made:
            flash(_("Kudos sent — thank you, %(name)s.", name=person.first_name), "success")
            return redirect(url_for("kiosk.home"))
        renew_client_id(form)
    return render_form(
        "kiosk/kudos.html",
        form,
        device=device,
        person=person,
        picker=page_picker(session, person, chosen=named, search=search),
    )


def _then_end(device: KioskDevice, result: Any) -> Any:
    """The action is done: the turn ends in the same transaction."""
    kiosk.end_turn(device)
    return result


def _person_choices(form: MomentForm, person: User) -> list[int]:
    """The moment form's choices: the organisation's values, and as colleagues those the
    posted form names (any active colleague, found by the search or not), whose ids it
    returns (the picker keeps them chosen)."""
    session = db.session()
    form.value_ids.choices = options({v.id: v.name for v in active_values(session, person.org_id)})
    named = posted_ids(form.colleague_ids.data)
    named_colleagues(session, person, form.colleague_ids, named)
    return named


@bp.post("/kiosk/queued")
def queued() -> Any:
    """A moment the kiosk kept while it was offline, sent as JSON with the grant of the turn
    it was typed in: logged as that person, exactly once per client id (the moment service
    returns the first one again, 200, for a repeat)."""
    device = _live_device()
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    person = kiosk.granted_person(db.session(), device, body.get("grant"))
    if person is None:
        return jsonify(title=_("This kiosk turn is no longer valid."), status=403), 403
    try:
        data = MomentCreateSchema().load(body)
    except ValidationError as error:
        return jsonify(title=_("Check the entry."), errors=error.normalized_messages()), 422
    if data["team_id"] != device.team_id:
        return jsonify(title=_("Choose one of the options."), status=422), 422
    try:
        moment, created = moments.log_moment(db.session(), person, moments.MomentInput(**data))
    except DomainError as error:
        db.session.rollback()
        return jsonify(title=error.message, errors={error.field or "_schema": [error.message]}), (
            error.status
        )
    db.session.commit()
    return jsonify(id=moment.id, client_id=moment.client_id), 201 if created else 200


# The device cookie is SameSite=Strict, so no other site can send a request with it; the
# queued entry is JSON sent by the kiosk's own script, possibly hours after its page (and
# CSRF token) was rendered.
csrf.exempt(queued)
