"""`flask send-invitations`: the Monday note that a new week of kudos is there to give."""

from __future__ import annotations

import click

from webapp.extensions import db
from webapp.kudos.invitations import send_invitations


@click.command("send-invitations")
def send_invitations_command() -> None:
    """Send the weekly Monday invitation to everyone who wants it (run hourly from cron)."""
    report = send_invitations(db.session())
    click.echo(f"invited {report.invited}, away {report.away}, turned off {report.turned_off}")
