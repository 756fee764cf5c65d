"""The Dutch and English catalogs are complete and compiled: every UI string is translated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
METHODS = [("webapp/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_ids() -> set[str]:
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def test_every_source_string_is_in_the_dutch_catalog():
    catalog = _catalog("nl")
    missing = sorted(i for i in _source_ids() if i and i not in catalog)
    assert missing == [], f"run `make babel` and translate: {missing[:20]}"


def test_every_dutch_message_is_translated_and_not_fuzzy():
    catalog = _catalog("nl")
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []


def test_compiled_catalog_matches_the_source_catalog():
    catalog = _catalog("nl")
    with open(TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = read_mo(handle)
    for message in catalog:
        if message.id:
            compiled_message = compiled.get(message.id, context=message.context)
            assert compiled_message is not None, message.id
            assert _text(compiled_message.string) == _text(message.string), message.id


def _text(string: object) -> object:
    # Plural forms come back as a list from a .mo file and as a tuple from a .po file.
    return tuple(string) if isinstance(string, list | tuple) else string
