"""Admin pages: connect a team to its channels, see what was posted, send a test."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.channels import services as channels
from webapp.channels.delivery import SIGNATURE_HEADER, send_staged
from webapp.channels.forms import ChannelForm
from webapp.channels.schemas import ChannelSchema
from webapp.extensions import db
from webapp.forms import load_form, options, posted, render_form, run_service
from webapp.models import Team
from webapp.security import role_required, scoped_get_or_404

bp = Blueprint("channels", __name__)


def kind_labels() -> dict[str, str]:
    return {
        "slack": _("Slack"),
        "teams": _("Microsoft Teams"),
        "json": _("Another service (JSON, signed)"),
    }


@bp.route("/admin/teams/<int:team_id>/channels", methods=["GET", "POST"])
@role_required("admin")
def team_channels(team_id: int) -> Any:
    """A team's channels, and connecting another."""
    team = scoped_get_or_404(Team, team_id)
    form = ChannelForm()
    form.kind.choices = options(kind_labels())
    if request.method == "POST":
        data = load_form(ChannelSchema(), form, posted(form))
        channel = data and run_service(
            form,
            lambda: channels.connect_channel(
                db.session(), current_user, team, channels.ChannelInput(**data)
            ),
        )
        if channel:
            flash(_("Connected %(name)s.", name=channel.name), "success")
            return redirect(url_for("channels.channel", channel_id=channel.id))
    return render_form(
        "channels/team.html",
        form,
        team=team,
        channels=channels.channels_of(db.session(), team.id),
        kinds=kind_labels(),
    )


@bp.get("/admin/channels/<int:channel_id>")
@role_required("admin")
def channel(channel_id: int) -> str:
    """One channel: what it hears, its signing secret, and its delivery log."""
    found = channels.channel_in_org(db.session(), current_user, channel_id)
    return render_template(
        "channels/channel.html",
        channel=found,
        posts=channels.delivery_log(db.session(), found),
        kinds=kind_labels(),
        signature_header=SIGNATURE_HEADER,
    )


@bp.post("/admin/channels/<int:channel_id>/test")
@role_required("admin")
def test(channel_id: int) -> Any:
    """Send a test message to the channel now (in the background)."""
    found = channels.channel_in_org(db.session(), current_user, channel_id)
    channels.test_message(db.session(), current_user, found)
    db.session.commit()
    send_staged(db.session())
    flash(_("A test message is on its way. Its delivery shows below."), "success")
    return redirect(url_for("channels.channel", channel_id=channel_id))


@bp.post("/admin/channels/<int:channel_id>/remove")
@role_required("admin")
def remove(channel_id: int) -> Any:
    """Disconnect the channel."""
    found = channels.channel_in_org(db.session(), current_user, channel_id)
    team_id = found.team_id
    channels.remove_channel(db.session(), current_user, found)
    db.session.commit()
    flash(_("The channel is disconnected."), "success")
    return redirect(url_for("channels.team_channels", team_id=team_id))
