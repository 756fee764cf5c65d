"""Organisation content in each language it uses: reading a form's per-language fields,
the default-language rule, storing the texts on a row, and filling an edit form.

Field names on forms and in schemas are `<field>_<language>` (`name_nl`, `name_en`); the
texts themselves are `{language: {field: text}}` (`webapp/models/translated.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.domain import Invalid
from webapp.labels import LOCALE_LABELS
from webapp.models.translated import Translations, set_texts
from webapp.schemas import LOCALES


def field_name(field: str, lang: str) -> str:
    """The form and schema field of `field` in `lang`, e.g. `name_nl`."""
    return f"{field}_{lang}"


def texts_from(data: Mapping[str, Any], fields: Iterable[str]) -> Translations:
    """`{language: {field: text}}` from loaded `<field>_<language>` input (absent → "")."""
    return {
        lang: {field: (data.get(field_name(field, lang)) or "").strip() for field in fields}
        for lang in LOCALES
    }


def split_texts(
    data: Mapping[str, Any], fields: Iterable[str]
) -> tuple[Translations, dict[str, Any]]:
    """Loaded input split into its texts (`texts_from`) and everything else."""
    names = {field_name(field, lang) for field in fields for lang in LOCALES}
    return texts_from(data, fields), {k: v for k, v in data.items() if k not in names}


def require_default(texts: Translations, default_locale: str, field: str, min_len: int = 1) -> None:
    """The organisation's default language must have `field` (at least `min_len`
    characters): everyone falls back to it."""
    text = texts.get(default_locale, {}).get(field, "")
    if text and len(text) < min_len:
        raise Invalid(
            _("Enter at least %(low)d characters.", low=min_len),
            field=field_name(field, default_locale),
        )
    if not text:
        raise Invalid(
            _(
                "Fill this in: %(language)s is your organisation's language.",
                language=LOCALE_LABELS.get(default_locale, default_locale),
            ),
            field=field_name(field, default_locale),
        )


def store(row: Any, texts: Translations, default_locale: str) -> str:
    """Store `texts` on `row` (a Value or Challenge); describe what changed, for the audit."""
    before = texts_of(row, default_locale)
    set_texts(row, texts, default_locale, row.TEXTS)
    after = texts_of(row, default_locale)
    return "; ".join(
        f"{field_name(field, lang)}: {before.get(lang, {}).get(field, '')} → {text}"
        for lang, own in after.items()
        for field, text in own.items()
        if before.get(lang, {}).get(field, "") != text
    )


def texts_of(row: Any, default_locale: str) -> Translations:
    """Every language's text of `row`; the default language's read from the row's own
    columns, so rows written before translations existed show their text too."""
    found: Translations = {lang: dict(t) for lang, t in (row.translations or {}).items()}
    own = found.setdefault(default_locale, {})
    for field, column in row.TEXTS.items():
        if getattr(row, column):
            own[field] = getattr(row, column)
    return found


def follow_default(row: Any, old_locale: str, new_locale: str) -> None:
    """The organisation's default language changed: keep every text, and put the new
    default's in the row's own columns where it has one (else the old text stays)."""
    texts = texts_of(row, old_locale)
    row.translations = texts
    for field, column in row.TEXTS.items():
        if text := texts.get(new_locale, {}).get(field):
            setattr(row, column, text)


def form_data(row: Any, default_locale: str) -> dict[str, str]:
    """`<field>_<language>` values to fill an edit form with."""
    return {
        field_name(field, lang): text
        for lang, own in texts_of(row, default_locale).items()
        for field, text in own.items()
    }


def in_every_language(build: Callable[[], Mapping[str, str]]) -> Translations:
    """Texts that Kizuki itself writes (the demo's challenges), in each of its languages."""
    made: Translations = {}
    for lang in LOCALES:
        with force_locale(lang):
            made[lang] = {field: str(text) for field, text in build().items()}
    return made


def conflicting_name(
    rows: Iterable[Any],
    texts: Translations,
    field: str,
    default_locale: str,
    own_id: int | None = None,
) -> str | None:
    """The `<field>_<language>` whose text another row already has in that language
    (case-insensitive), or None: two values may not share a name in any language."""
    for row in rows:
        if row.id == own_id:
            continue
        theirs = texts_of(row, default_locale)
        for lang, own in texts.items():
            mine = own.get(field, "").casefold()
            if mine and mine == theirs.get(lang, {}).get(field, "").casefold():
                return field_name(field, lang)
    return None
