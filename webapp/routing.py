"""URL ids stay inside what the database can hold: the `<int:>` converter and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import abort, current_app, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map, Rule

from webapp.domain import BadRequest

# The largest value of a 32-bit signed INTEGER column (PostgreSQL's `integer`).
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` limited to 1..MAX_ID, so `/moments/99999999999` is a 404, never a database
    error (PostgreSQL refuses integers out of range); the OpenAPI document shows the bounds."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


# Each rule's URL builders, by what their code is made of: the same for every app a process
# makes (each test makes one, a server one per worker).
_BUILDERS: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}


class SharedBuilderRule(Rule):
    """A URL rule whose builders (the functions `url_for` calls) are compiled once per
    process, not once per app: werkzeug writes and compiles Python for each rule's two
    builders, about half of what `create_app` costs. A builder's code depends only on what
    the key holds (the rule's parsed parts, the names of its defaults, whether unknown
    arguments are appended); it reads the rule's converters through the rule it is bound to.
    A default for one of the rule's own variables is compiled into the code as a constant,
    so such a rule is compiled as werkzeug does (none of ours has one)."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = self.defaults or {}
        if any(is_dynamic and data in defaults for is_dynamic, data in self._trace):
            return super()._compile_builder(append_unknown)
        key = (append_unknown, self.rule, tuple(self._trace), tuple(defaults))
        builder = _BUILDERS.get(key)
        if builder is None:
            builder = _BUILDERS[key] = super()._compile_builder(append_unknown)
        return builder


def reject_impossible_ids() -> None:
    """Before a request: an id in the path beyond the database's integer range names
    nothing, so 404, not a database error (for routes whose ids are not `<int:>`)."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and value > MAX_ID:
            abort(404)


def bad_parameter(name: str) -> BadRequest:
    """The 400 for a query parameter no link of ours carries; its message names it."""
    return BadRequest(
        _("This address carries a value that is not valid: %(name)s.", name=name), field=name
    )


def is_digits(text: str) -> bool:
    """Only the digits 0-9? (`str.isdigit` also says yes to "²" or "٣", which `int()` then
    refuses or reads as another number.)"""
    return text.isascii() and text.isdigit()


def posted_ids(raw: Iterable[Any] | None) -> list[int]:
    """The ids a form posted; anything else is in no one's id (the form then refuses it as
    a choice it did not offer)."""
    return [int(text) for text in map(str, raw or []) if _id_text(text)]


def _id_text(text: str) -> bool:
    """Digits that could name a row: checked by length before `int()` reads them (Python
    refuses to read a number of over 4,300 digits)."""
    return is_digits(text) and len(text) <= len(str(MAX_ID)) and int(text) <= MAX_ID


def is_database_id(value: int) -> bool:
    """Could `value` be the id of a row (1..MAX_ID)?"""
    return 1 <= value <= MAX_ID


def query_id(name: str, raw: str | None) -> int | None:
    """The id in query parameter `name` (None when absent); a 400 naming it when it is not
    a number an id could be."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if not _id_text(text) or not is_database_id(int(text)):
        raise bad_parameter(name)
    return int(text)


def links_reach_phones() -> bool:
    """True when the links `public_url` builds carry a web address (PUBLIC_URL is set, or
    this is not production); without one a production link is only a path, which a QR code
    or a chat message cannot open."""
    config = current_app.config
    return bool(config.get("PUBLIC_URL")) or config.get("KIZUKI_ENV") != "production"


def public_url(endpoint: str, **values: Any) -> str:
    """A link to hand out (invites, e-mails): absolute on PUBLIC_URL when it is set; without
    it, in production only the path (never the Host header a request chose), in development
    the request's own address."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    if current_app.config.get("KIZUKI_ENV") == "production":
        # No public address configured: a path on this site, never a host someone sent.
        return url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
