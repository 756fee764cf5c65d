"""`flask create-org` (a new organisation and a one-time link for its admin) and
`flask remove-demo` (the demo hotel and everything in it, gone)."""

from __future__ import annotations

import click
from flask import current_app, url_for
from marshmallow import ValidationError

from webapp.account.resets import VALID_HOURS, welcome_link
from webapp.domain import DomainError
from webapp.extensions import db
from webapp.setup import services
from webapp.setup.schemas import OrganisationCommandSchema


@click.command("create-org")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--admin-email", required=True, help="The first admin's e-mail address.")
@click.option("--admin-name", default=None, help="The first admin's name (default: from e-mail).")
@click.option("--language", default="en", show_default=True, help="en or nl.")
@click.option("--timezone", default="Europe/Amsterdam", show_default=True, help="IANA zone.")
@click.option("--currency", default="EUR", show_default=True, help="ISO 4217 code.")
def create_org_command(
    name: str,
    admin_email: str,
    admin_name: str | None,
    language: str,
    timezone: str,
    currency: str,
) -> None:
    """Create an organisation and print a one-time link for its first admin."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        raise click.ClickException("Set PUBLIC_URL (e.g. https://kizuki.example.com) first.")
    raw = {
        "name": name,
        "admin_email": admin_email,
        "admin_name": admin_name or admin_email.split("@")[0],
        "default_locale": language,
        "timezone": timezone,
        "currency": currency,
    }
    try:
        data = OrganisationCommandSchema().load(raw)
        admin = services.start_organisation(db.session(), data)
        token = welcome_link(db.session(), admin)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(_describe(error.messages)) from None
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    link = str(base) + url_for("account.reset", token=token, _external=False)
    click.echo(f"Organisation '{admin.organisation.name}' created (id {admin.org_id}).")
    click.echo(f"One-time link for {admin.email} (valid {VALID_HOURS} hours): {link}")


def _describe(messages: object) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{key}: {_describe(value)}" for key, value in messages.items())
    if isinstance(messages, list):
        return " ".join(str(m) for m in messages)
    return str(messages)


@click.command("remove-demo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_demo_command(yes: bool) -> None:
    """Delete the demo organisation and everything in it."""
    demo = services.demo_organisation(db.session())
    if demo is None:
        click.echo("There is no demo organisation.")
        return
    if not yes:
        click.confirm(f"Delete '{demo.name}' and everything in it?", abort=True)
    removed = services.remove_organisation(db.session(), demo.id)
    db.session.commit()
    click.echo(f"Demo removed: {sum(removed.values())} rows in {len(removed)} tables.")
