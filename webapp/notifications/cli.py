"""Web Push commands: `flask vapid-keys` (make the server's key pair) and `flask send-push`
(deliver the notifications quiet hours held back, and retry failed ones; run it from cron)."""

from __future__ import annotations

import click

from webapp.extensions import db
from webapp.notifications.push import deliver_all
from webapp.notifications.vapid import generate_pair, vapid_keys


@click.command("vapid-keys")
def vapid_keys_command() -> None:
    """Print a new VAPID key pair as environment lines (for Web Push)."""
    public, private = generate_pair()
    click.echo(f"VAPID_PUBLIC_KEY={public}")
    click.echo(f"VAPID_PRIVATE_KEY={private}")
    click.echo(
        "# Keep the private key secret. Also set VAPID_SUBJECT to a mailto: address or an "
        "https:// URL where push services can reach you. New keys end every existing "
        "subscription: people turn notifications on again.",
        err=True,
    )


@click.command("send-push")
def send_push_command() -> None:
    """Send the Web Push notifications that are due (held by quiet hours, or retries)."""
    keys = vapid_keys()
    if keys is None:
        raise click.ClickException(
            "Web Push is off: set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY "
            "(flask --app webapp vapid-keys makes a pair)."
        )
    report = deliver_all(db.session(), keys)
    click.echo(
        f"sent {report.sent}, held for quiet hours {report.held}, retrying {report.retrying}, "
        f"dropped {report.dropped}, subscriptions removed {report.removed_subscriptions}"
    )
