"""Command-line tasks: `flask seed-demo`, `flask rebuild-points`, `flask vapid-keys`,
`flask send-push`."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from webapp.demo.seed import seed_demo
from webapp.extensions import db
from webapp.kudos.cli import send_invitations_command
from webapp.models import Organisation
from webapp.notifications.cli import send_push_command, vapid_keys_command
from webapp.points.ledger import rebuild_daily


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has organisations.")
def seed_demo_command(if_empty: bool) -> None:
    """Fill the database with the demo hotel."""
    if if_empty and db.session.scalar(select(Organisation.id).limit(1)) is not None:
        click.echo("Database already has data; demo not seeded.")
        return
    seed_demo()


@click.command("rebuild-points")
def rebuild_points_command() -> None:
    """Recompute every organisation's daily points roll-up from the ledger."""
    for org_id in db.session.scalars(select(Organisation.id)):
        rows = rebuild_daily(db.session(), org_id)
        click.echo(f"organisation {org_id}: {rows} day rows")
    db.session.commit()


def init_cli(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(rebuild_points_command)
    app.cli.add_command(vapid_keys_command)
    app.cli.add_command(send_push_command)
    app.cli.add_command(send_invitations_command)
