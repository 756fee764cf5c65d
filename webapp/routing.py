"""URL converters: ids in paths stay inside what the database can hold."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

# The largest value of a 32-bit signed INTEGER column (PostgreSQL's `integer`).
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` limited to 1..MAX_ID, so `/moments/99999999999` is a 404, never a database
    error (PostgreSQL refuses integers out of range); the OpenAPI document shows the bounds."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
