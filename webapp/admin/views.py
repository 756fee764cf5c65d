"""The admin area: teams, values, people, invites, settings and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import jobs
from webapp.account.mail import external_url
from webapp.admin import listings
from webapp.admin import services as admin
from webapp.admin.forms import (
    InviteFilterForm,
    InviteForm,
    MemberAddForm,
    MemberRoleForm,
    PersonRoleForm,
    RetryJobForm,
    TeamForm,
    ValueForm,
    invite_status_labels,
    settings_form,
)
from webapp.admin.invite_links import qr_svg
from webapp.admin.listings import InviteFilter
from webapp.admin.schemas import (
    InviteQuerySchema,
    PersonRoleSchema,
)
from webapp.audit import services as audit
from webapp.extensions import db
from webapp.forms import (
    attach_errors,
    form_status,
    load_filters,
    load_form,
    options,
    posted,
    render_form,
    run_service,
    use_languages,
)
from webapp.labels import ORG_ROLE_LABELS, TEAM_ROLE_LABELS
from webapp.models import Invite, Team, User, Value
from webapp.orgs.content import form_data
from webapp.orgs.schemas import (
    InviteSchema,
    MembershipRoleSchema,
    MembershipSchema,
    OrganisationSettingsSchema,
    TeamSchema,
    ValueSchema,
    time_zones,
)
from webapp.orgs.services import org_teams, organisation
from webapp.routing import links_reach_phones
from webapp.security import no_store, role_required, scoped_get_or_404

bp = Blueprint("admin", __name__)


def _page(template: str, form: Any = None, **context: Any) -> tuple[str, int]:
    return render_form(template, form, **context)


@bp.get("/admin")
@role_required("admin")
def index() -> str:
    """The admin overview with links to every area."""
    org = organisation(db.session(), current_user.org_id)
    return render_template(
        "admin/index.html",
        org=org,
        teams=admin.teams_with_counts(db.session(), org.id),
        invites=admin.open_invites(db.session(), org.id),
        values=admin.all_values(db.session(), org.id),
        people=admin.people(db.session(), org.id),
    )


# Teams ------------------------------------------------------------------------------------


@bp.route("/admin/teams", methods=["GET", "POST"])
@role_required("admin")
def teams() -> Any:
    """List the teams; create one."""
    form = TeamForm()
    if request.method == "POST":
        data = load_form(TeamSchema(), form, posted(form))
        team = data and run_service(
            form, lambda: admin.create_team(db.session(), current_user, data["name"])
        )
        if team:
            flash(_("Team %(name)s created.", name=team.name), "success")
            return redirect(url_for("admin.team", team_id=team.id))
    rows = admin.teams_with_counts(db.session(), current_user.org_id)
    return _page("admin/teams.html", form, rows=rows)


@bp.route("/admin/teams/<int:team_id>", methods=["GET", "POST"])
@role_required("admin")
def team(team_id: int) -> Any:
    """One team: rename it, see and change its members."""
    team = scoped_get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    if request.method == "POST":
        data = load_form(TeamSchema(), form, posted(form))
        if data and run_service(
            form, lambda: admin.rename_team(db.session(), current_user, team, data["name"])
        ):
            flash(_("Team renamed to %(name)s.", name=team.name), "success")
            return redirect(url_for("admin.team", team_id=team.id))
    return _team_page(team, rename_form=form)


@bp.post("/admin/teams/<int:team_id>/members")
@role_required("admin")
def add_member(team_id: int) -> Any:
    """Add a person to a team."""
    team = scoped_get_or_404(Team, team_id)
    form = _add_form(team)
    data = load_form(MembershipSchema(), form, posted(form))
    if data and run_service(
        form,
        lambda: admin.add_member(db.session(), current_user, team, data["user_id"], data["role"]),
    ):
        flash(_("Added to %(team)s.", team=team.name), "success")
        return redirect(url_for("admin.team", team_id=team.id))
    return _team_page(team, add_form=form)


@bp.post("/admin/teams/<int:team_id>/members/<int:user_id>")
@role_required("admin")
def member_role(team_id: int, user_id: int) -> Any:
    """Make a member a lead, or a lead a member."""
    team = scoped_get_or_404(Team, team_id)
    form = MemberRoleForm()
    data = load_form(MembershipRoleSchema(), form, posted(form))
    if data and run_service(
        form, lambda: admin.set_member_role(db.session(), current_user, team, user_id, data["role"])
    ):
        flash(_("Role in %(team)s updated.", team=team.name), "success")
        return redirect(url_for("admin.team", team_id=team.id))
    _flash_errors(form)
    return redirect(url_for("admin.team", team_id=team.id))


@bp.post("/admin/teams/<int:team_id>/members/<int:user_id>/remove")
@role_required("admin")
def remove_member(team_id: int, user_id: int) -> Any:
    """Take a person out of a team."""
    team = scoped_get_or_404(Team, team_id)
    form = MemberRoleForm()
    if run_service(form, lambda: _removed(team, user_id)):
        flash(_("Removed from %(team)s.", team=team.name), "success")
    _flash_errors(form)
    return redirect(url_for("admin.team", team_id=team.id))


def _removed(team: Team, user_id: int) -> bool:
    admin.remove_member(db.session(), current_user, team, user_id)
    return True


def _add_form(team: Team) -> MemberAddForm:
    form = MemberAddForm()
    in_team = {m.user_id for m in team.memberships}
    people = admin.people(db.session(), current_user.org_id)
    form.user_id.choices = options(
        {p.id: p.name for p in people if p.active and p.id not in in_team}, _("Choose a person")
    )
    return form


def _team_page(team: Team, rename_form: Any = None, add_form: Any = None) -> tuple[str, int]:
    rename_form = rename_form or TeamForm(obj=team, formdata=None)
    add_form = add_form or _add_form(team)
    page = render_template(
        "admin/team.html",
        team=team,
        rename_form=rename_form,
        add_form=add_form,
        memberships=admin.team_memberships(db.session(), team),
        role_form=MemberRoleForm(formdata=None),
    )
    return page, form_status(rename_form, add_form)


def _flash_errors(form: Any) -> None:
    for messages in form.errors.values():
        for message in messages:
            flash(message, "error")
    for message in form.form_errors:
        flash(message, "error")


# Values -----------------------------------------------------------------------------------


@bp.route("/admin/values", methods=["GET", "POST"])
@role_required("admin")
def values() -> Any:
    """List the organisation's values; add one."""
    form = _value_form(ValueForm())
    if request.method == "POST":
        # A new value is always active; switching off happens on the value's own page.
        data = load_form(ValueSchema(exclude=("active",)), form, posted(form))
        value = data and run_service(
            form, lambda: admin.create_value(db.session(), current_user, data)
        )
        if value:
            flash(_("Value %(name)s added.", name=value.name), "success")
            return redirect(url_for("admin.values"))
    items = admin.all_values(db.session(), current_user.org_id)
    return _page("admin/values.html", form, items=items)


@bp.route("/admin/values/<int:value_id>", methods=["GET", "POST"])
@role_required("admin")
def value(value_id: int) -> Any:
    """Edit a value, or switch it off."""
    value = scoped_get_or_404(Value, value_id)
    default = current_user.organisation.default_locale
    form = _value_form(ValueForm(data={**form_data(value, default), "active": value.active}))
    if request.method == "POST":
        data = load_form(ValueSchema(), form, posted(form))
        if data and run_service(
            form, lambda: admin.update_value(db.session(), current_user, value, data)
        ):
            flash(_("Value %(name)s saved.", name=value.name), "success")
            return redirect(url_for("admin.values"))
    return _page("admin/value.html", form, value=value)


def _value_form(form: ValueForm) -> ValueForm:
    use_languages(form, current_user.organisation.default_locale, ("name",))
    return form


@bp.post("/admin/values/<int:value_id>/active")
@role_required("admin")
def value_active(value_id: int) -> Any:
    """Switch a value off (or on again) from the list."""
    value = scoped_get_or_404(Value, value_id)
    active = request.form.get("active") == "1"
    admin.update_value(db.session(), current_user, value, {"active": active})
    db.session.commit()
    if active:
        flash(_("%(name)s can be chosen again.", name=value.name), "success")
    else:
        flash(_("%(name)s is switched off; moments keep it.", name=value.name), "success")
    return redirect(url_for("admin.values"))


# People -----------------------------------------------------------------------------------


def team_names() -> dict[int, str]:
    return {t.id: t.name for t in org_teams(db.session(), current_user.org_id)}


def known_choice(form: Any, name: str, known: Any, args: dict[str, Any]) -> None:
    """An id the filter does not offer (another organisation's team or person, or none at
    all) is refused like any unknown choice, and the list is shown without it."""
    if args.get(name) is not None and args[name] not in known:
        attach_errors(form, {name: [_("Choose one of the options.")]})
        args[name] = None


def page_links(endpoint: str, found: Any, args: dict[str, Any]) -> dict[str, str]:
    """The previous and next pages' addresses, keeping every filter of this one."""
    kept = {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in args.items()
        if value not in (None, "") and key != "page"
    }
    links = {}
    if found.has_prev:
        links["prev"] = url_for(endpoint, **kept, page=found.page - 1)
    if found.has_next:
        links["next"] = url_for(endpoint, **kept, page=found.page + 1)
    return links


@bp.route("/admin/people/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def person(user_id: int) -> Any:
    """One person: change their organisation role, deactivate them."""
    person = _person_or_404(user_id)
    form = PersonRoleForm(obj=person)
    if request.method == "POST":
        data = load_form(PersonRoleSchema(), form, posted(form))
        if data and run_service(
            form, lambda: admin.change_role(db.session(), current_user, person, data["role"])
        ):
            flash(_("%(name)s's role is saved.", name=person.name), "success")
            return redirect(url_for("admin.person", user_id=person.id))
    return _page("admin/person.html", form, person=person)


@bp.post("/admin/people/<int:user_id>/active")
@role_required("admin")
def person_active(user_id: int) -> Any:
    """Deactivate a person, or let them back in."""
    person = _person_or_404(user_id)
    form = PersonRoleForm(formdata=None)
    active = request.form.get("active") == "1"
    if run_service(form, lambda: admin.set_active(db.session(), current_user, person, active)):
        if active:
            flash(_("%(name)s can sign in again.", name=person.name), "success")
        else:
            flash(
                _("%(name)s is deactivated and can no longer sign in.", name=person.name), "success"
            )
    _flash_errors(form)
    return redirect(url_for("admin.person", user_id=person.id))


def _person_or_404(user_id: int) -> User:
    person = scoped_get_or_404(User, user_id)
    if person.deleted_at is not None:
        abort(404)
    return person


# Invites ----------------------------------------------------------------------------------


@bp.route("/admin/invites", methods=["GET", "POST"])
@role_required("admin")
def invites() -> Any:
    """Create an invite link (shown once) and see the open ones."""
    teams = {t.id: t.name for t in org_teams(db.session(), current_user.org_id)}
    form = invite_form(teams)
    link = None
    if request.method == "POST":
        data = load_form(InviteSchema(), form, posted(form))
        made = data and run_service(
            form, lambda: admin.create_invite(db.session(), current_user, data)
        )
        if made:
            link = invite_link(made[1])
            no_store()
            flash(_("Invite created. Copy the link now: it is shown only once."), "success")
            form = invite_form(teams, formdata=None)
    return invites_page(form, teams, link)


def invite_link(raw_token: str) -> dict[str, Any]:
    """An invite's link (on PUBLIC_URL when set) and its QR code, for the page to show once."""
    url = external_url("auth.accept_invite", token=raw_token)
    return {"url": url, "qr": qr_svg(url, _("QR code of the invite link"))}


def invites_page(form: Any, teams: dict[int, str], link: Any = None, **context: Any) -> Any:
    """The invites page: the link just made (if any), the form, the invites as filtered."""
    filters = InviteFilterForm(teams, formdata=request.args)
    args = load_filters(InviteQuerySchema(), filters, request.args.to_dict())
    known_choice(filters, "team_id", teams, args)
    status = args["status"] or "open"
    narrow = InviteFilter(
        words=args["q"], status=None if status == "all" else status, team_id=args["team_id"]
    )
    found = listings.invites_page(db.session(), current_user.org_id, narrow, args["page"])
    page, status_code = _page(
        "admin/invites.html",
        form,
        links_work=links_reach_phones(),
        link=link,
        filters_form=filters,
        found=found,
        pages=page_links("admin.invites", found, args),
        statuses={i.id: listings.invite_status(i) for i in found.rows},
        status_labels=invite_status_labels(),
        sheet_teams=listings.teams_with_open_invites(db.session(), current_user.org_id),
        team_names=teams,
        role_labels=ORG_ROLE_LABELS,
        team_role_labels=TEAM_ROLE_LABELS,
        **context,
    )
    return page, max(status_code, form_status(filters))


def invite_form(teams: dict[int, str], **kwargs: Any) -> InviteForm:
    form = InviteForm(**kwargs)
    form.team_id.choices = options(teams, _("No team"))
    return form


@bp.post("/admin/invites/<int:invite_id>/revoke")
@role_required("admin")
def revoke_invite(invite_id: int) -> Any:
    """Stop an invite link from working."""
    invite = scoped_get_or_404(Invite, invite_id)
    form = InviteForm(formdata=None)
    if run_service(form, lambda: admin.revoke_invite(db.session(), current_user, invite)):
        flash(_("Invite revoked. The link no longer works."), "success")
    _flash_errors(form)
    return redirect(url_for("admin.invites"))


# Settings and audit -----------------------------------------------------------------------


@bp.route("/admin/settings", methods=["GET", "POST"])
@role_required("admin")
def settings() -> Any:
    """The organisation's settings."""
    org = organisation(db.session(), current_user.org_id)
    budget = OrganisationSettingsSchema().dump(org)["gesture_budget"]
    form = settings_form(obj=org, gesture_budget=budget)
    if request.method == "POST":
        data = load_form(OrganisationSettingsSchema(), form, posted(form))
        changes = data and run_service(
            form, lambda: admin.update_settings(db.session(), current_user, org, data) or "-"
        )
        if changes:
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.settings"))
    return _page("admin/settings.html", form, time_zones=sorted(time_zones()))


@bp.get("/admin/jobs")
@role_required("admin")
def failed_jobs() -> str:
    """Background jobs of this organisation that failed every retry (dead letters)."""
    failures = jobs.failures(org_id=current_user.org_id)
    return render_template("admin/jobs.html", failures=failures, form=RetryJobForm())


@bp.post("/admin/jobs/<failure_id>/retry")
@role_required("admin")
def retry_job(failure_id: str) -> Any:
    """Send one of this organisation's dead letters back to the queue."""
    if not RetryJobForm().validate_on_submit():
        abort(400)
    mine = {f.id: f for f in jobs.failures(org_id=current_user.org_id)}
    failure = mine.get(failure_id)
    if failure is None or not jobs.retry_failure(failure_id):
        abort(404)
    audit.record(db.session(), current_user, audit.JOB_RETRIED, "job", None, failure.name)
    db.session.commit()
    flash(_("The job is queued again."), "success")
    return redirect(url_for("admin.failed_jobs"), code=303)
