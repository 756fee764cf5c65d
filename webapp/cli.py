"""Command-line tasks: `flask seed-demo`, `flask rebuild-points`, `flask vapid-keys`,
`flask send-push`, `flask create-org`, `flask remove-demo`."""

from __future__ import annotations

import threading

import click
from flask import Flask, current_app
from sqlalchemy import select

from webapp import jobs, schedule
from webapp.demo.load import load_session, seed_load
from webapp.demo.load_plan import Shape
from webapp.demo.seed import seed_demo
from webapp.digest.cli import send_digests_command
from webapp.extensions import db
from webapp.kudos.cli import send_invitations_command
from webapp.models import Organisation
from webapp.notifications.cli import send_push_command, vapid_keys_command
from webapp.points.ledger import rebuild_daily
from webapp.setup.cli import create_org_command, remove_demo_command


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has organisations.")
def seed_demo_command(if_empty: bool) -> None:
    """Fill the database with the demo hotel (never in production: it starts at /setup)."""
    if current_app.config.get("KIZUKI_ENV") == "production":
        click.echo("KIZUKI_ENV=production: nothing seeded. Open /setup to start.")
        return
    if if_empty and db.session.scalar(select(Organisation.id).limit(1)) is not None:
        click.echo("Database already has data; demo not seeded.")
        return
    seed_demo()


@click.command("seed-load")
@click.option("--teams", default=200, show_default=True)
@click.option("--people", default=10_000, show_default=True)
@click.option("--moments", default=500_000, show_default=True)
@click.option("--kudos", default=1_000_000, show_default=True)
@click.option("--days", default=365, show_default=True, help="Days of history.")
@click.option("--slug", default="load", show_default=True, help="The organisation's slug.")
@click.option("--seed", default=13, show_default=True, help="Randomness, for a repeatable load.")
def seed_load_command(
    teams: int, people: int, moments: int, kudos: int, days: int, slug: str, seed: int
) -> None:
    """Build a large organisation with a year of history, for benchmarks (bulk writes)."""
    if current_app.config.get("KIZUKI_ENV") == "production":
        # The load drops the loaded tables' indexes until it commits: on a live database
        # every page reading them would wait minutes.
        raise click.ClickException("KIZUKI_ENV=production: seed-load is for benchmark databases.")
    if people < teams * 2:
        raise click.ClickException("Give every team at least two people.")
    shape = Shape(teams=teams, people=people, moments=moments, kudos=kudos, days=days, seed=seed)
    with load_session(db.engine) as session:
        if session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
            raise click.ClickException(f"An organisation '{slug}' exists already.")
        summary = seed_load(session, shape, slug)
        session.commit()
    click.echo(str(summary))
    click.echo(f"Sign in as admin@{slug}.test, lead1@{slug}.test ... with password kizuki-demo.")


@click.command("rebuild-points")
def rebuild_points_command() -> None:
    """Recompute every organisation's daily points roll-up from the ledger."""
    for org_id in db.session.scalars(select(Organisation.id)):
        rows = rebuild_daily(db.session(), org_id)
        click.echo(f"organisation {org_id}: {rows} day rows")
    db.session.commit()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs that are waiting, then stop.")
@click.option("--no-cron", is_flag=True, help="Do not schedule the periodic jobs here.")
def worker_command(burst: bool, no_cron: bool) -> None:
    """Run background jobs from Redis (REDIS_URL), and schedule the periodic ones."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if jobs.mode(app) != "rq":
        raise click.ClickException("The worker needs Redis: set REDIS_URL (or JOBS_MODE=rq).")
    from rq import Worker  # noqa: PLC0415  (rq is only needed where Redis is configured)

    app.config["JOBS_FORKED_WORKER"] = True
    if not no_cron and not burst:
        cron = schedule.register_cron(app)
        threading.Thread(target=cron.start, name="kizuki-cron", daemon=True).start()  # type: ignore[attr-defined]
    worker = Worker([jobs.queue(app)], connection=jobs.redis_connection(app))
    worker.work(burst=burst, with_scheduler=True)


def init_cli(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_load_command)
    app.cli.add_command(rebuild_points_command)
    app.cli.add_command(vapid_keys_command)
    app.cli.add_command(send_push_command)
    app.cli.add_command(send_invitations_command)
    app.cli.add_command(send_digests_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(create_org_command)
    app.cli.add_command(remove_demo_command)
