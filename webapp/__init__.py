"""Kizuki: recognition for frontline staff who notice what customers need."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import config as config_module


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `config` overrides settings (tests pass their own)."""
    app = Flask(__name__, static_folder="../static", template_folder="../templates")
    from webapp.routing import DatabaseIdConverter, SharedBuilderRule

    app.url_rule_class = SharedBuilderRule
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is added
    app.config.from_mapping(config_module.from_environment())
    if config:
        app.config.update(config)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_hooks(app)
    register_templating(app)
    register_cli(app)
    register_clock(app)
    return app


# The wiring below imports inside each step so that importing any `webapp.<module>` (which
# runs this file first) stays cheap and never loads every feature.


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies (a load balancer, a CDN), read the client's address
    and scheme from the X-Forwarded-For/-Proto headers they add; with none (the default)
    those headers are ignored, so a client cannot choose the address the limits see."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from webapp import models  # noqa: F401  (every model registered before Alembic looks)
    from webapp.database import prepare_engine_options
    from webapp.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
    from webapp.i18n import select_locale

    prepare_engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(config_module.ROOT / "webapp" / "translations"),
    )
    limiter.init_app(app)
    cache.init_app(app)
    from webapp.database import configure_engine

    configure_engine(app)
    from webapp import security
    from webapp.channels.services import forget_staged_on_rollback
    from webapp.insights import history
    from webapp.points import standings
    from webapp.points.ledger import forget_touched_on_rollback

    security.init_login(login_manager)
    forget_touched_on_rollback()
    standings.install()
    history.install()
    forget_staged_on_rollback()


def register_blueprints(app: Flask) -> None:
    from webapp.blueprints import BLUEPRINTS, register_api

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_api(app)


def register_errors(app: Flask) -> None:
    from webapp.errors import init_errors

    init_errors(app)


def register_hooks(app: Flask) -> None:
    from webapp.hooks import init_hooks

    init_hooks(app)


def register_templating(app: Flask) -> None:
    from webapp.templating import init_templating

    init_templating(app)


def register_clock(app: Flask) -> None:
    from webapp.schedule import start_in_process

    start_in_process(app)


def register_cli(app: Flask) -> None:
    from webapp.cli import init_cli

    init_cli(app)
