"""Organisation content written in each language the organisation enables.

A row keeps its text in the organisation's default language in its own column (unique
constraints, ordering and old readers keep working) and every language's text in one JSON
column, `translations` = {"nl": {"name": ..., "description": ...}, "en": {...}}. Reading a
translated attribute picks the person's language (`webapp.i18n.pick_text`); in SQL the same
attribute is the default-language column. One row holds every language, so a page that
shows value names issues exactly the queries it did before (no join, no query per row).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.ext.mutable import MutableDict

from webapp.i18n import pick_text

Translations = dict[str, dict[str, str]]

# Mutable: changing the dict in place still marks the row dirty.
TRANSLATIONS_TYPE = MutableDict.as_mutable(JSON())


def translated(field: str, column: str) -> Any:
    """A `field` read in the person's language, written (and queried) as `column`."""

    def read(self: Any) -> str:
        return pick_text(self.translations, field, getattr(self, column))

    def write(self: Any, text: str) -> None:
        setattr(self, column, text)

    def expression(cls: Any) -> Any:
        return getattr(cls, column)

    return hybrid_property(read, write, expr=expression)


def set_texts(row: Any, texts: Translations, default_locale: str, columns: dict[str, str]) -> None:
    """Store `texts` (language → field → text) on `row`, empty texts left out, and copy the
    default language's into the row's own columns (`columns`: field → column attribute)."""
    row.translations = {
        lang: {field: text for field, text in fields_.items() if text}
        for lang, fields_ in texts.items()
        if any(fields_.values())
    }
    own = texts.get(default_locale, {})
    for field, column in columns.items():
        setattr(row, column, own.get(field) or "")
