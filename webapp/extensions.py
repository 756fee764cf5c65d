"""Flask extensions, created unbound; `create_app` binds them."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api, Blueprint
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # Every timestamp is stored as UTC, timezone-aware where the database supports it.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING),
        type_annotation_map={datetime: DateTime(timezone=True)},
    )


db = SQLAlchemy(model_class=Base)

# Models subclass `Model`: at run time Flask-SQLAlchemy's `db.Model` (bound to `db`), and for
# the type checker the typed declarative base it is built from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class DescribedOnReadApi(Api):
    """flask-smorest's Api, describing the blueprints' operations in the OpenAPI document
    when the document is first read (/api/v1/docs, /api/v1/openapi.json, `flask openapi`),
    not when each blueprint is registered: that was half of what `create_app` cost (0.065 ->
    0.029 s), paid by every app (one per test, one per server worker) for a document few of
    them ever serve.
    The document is the same, built in the same order (tests/api/test_resources.py compares
    it with one built at registration), for the app the Api was last bound to, as before."""

    def __init__(self) -> None:
        self._undescribed: list[tuple[Blueprint, str, Any]] = []
        self._describing = threading.RLock()  # one thread describes, the others wait
        super().__init__()

    def init_app(self, app: Flask, *, spec_kwargs: Any = None) -> None:
        with self._describing:
            self._undescribed = []
            super().init_app(app, spec_kwargs=spec_kwargs)

    @property
    def spec(self) -> Any:
        with self._describing:  # re-entered by the describing thread: reads what is there
            undescribed, self._undescribed = self._undescribed, []
            for blp, name, parameters in undescribed:
                blp.register_views_in_doc(
                    self, self._app, self._spec, name=name, parameters=parameters
                )
                self._spec.tag({"name": name, "description": blp.description})
        return self._spec

    @spec.setter
    def spec(self, value: Any) -> None:
        self._spec = value

    def register_blueprint(self, blp: Blueprint, *, parameters: Any = None, **options: Any) -> None:
        """`Api.register_blueprint`, its documentation left for the first read of `spec`."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undescribed.append((blp, name, parameters))


api = DescribedOnReadApi()
# Redis when REDIS_URL is set (shared by every process), else this process's memory.
cache = Cache()
