"""`flask send-digests`: last week's team digests, from Monday 08:00 in each organisation."""

from __future__ import annotations

import click

from webapp.digest.sending import send_weekly_digests
from webapp.extensions import db


@click.command("send-digests")
def send_digests_command() -> None:
    """Write and send the weekly team digests that are due (safe to run often)."""
    report = send_weekly_digests(db.session())
    click.echo(
        f"written {report.written}, sent {report.sent}, e-mailed {report.emailed}, "
        f"away {report.away}"
    )
