"""Glue between page forms and the single validation path.

Pages render with Flask-WTF forms (labels, CSRF, widgets) but validate with the feature's
marshmallow schema, the same one the API uses, so a rule is never written twice. Domain
errors from services land on the form field they name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from babel import support
from flask import render_template, request
from flask_babel import get_locale, lazy_gettext
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from marshmallow import Schema, ValidationError
from wtforms import Field, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.i18n import messages_path
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.domain import DomainError
from webapp.extensions import db
from webapp.labels import LOCALE_LABELS, content_languages

T = TypeVar("T")

# Service and schema field names that a page form calls differently.
DEFAULT_ALIASES = {"_schema": None}


class FormTranslations:
    """WTForms' own messages (a field's default label, "Not a valid choice.") in the page's
    language, each language's catalogue read once per process. Flask-WTF reads it from disk
    once per request that builds a form (every sign-in page: 0.3 ms)."""

    def __init__(self) -> None:
        self._by_language: dict[str, Any] = {}

    def _for_page(self) -> Any:
        locale = get_locale()
        found = self._by_language.get(str(locale))
        if found is None:
            found = support.Translations.load(messages_path(), [locale], domain="wtforms")
            self._by_language[str(locale)] = found
        return found

    def ugettext(self, string: str) -> str:
        return str(self._for_page().ugettext(string))

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return str(self._for_page().ungettext(singular, plural, n))


FORM_TRANSLATIONS = FormTranslations()


def share_form_translations() -> None:
    """Before each request: hand Flask-WTF the shared catalogues (it looks for them on the
    request before loading its own; should it stop looking, it loads its own, as before)."""
    request.wtforms_translations = FORM_TRANSLATIONS  # type: ignore[attr-defined]


class FilterForm(FlaskForm):
    """A GET form: it only narrows what is shown (no CSRF: it changes nothing; the URL with
    its choices can be bookmarked and shared)."""

    class Meta:
        csrf = False


def load_form(
    schema: Schema,
    form: FlaskForm,
    data: Mapping[str, Any],
    aliases: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """Load `data` with `schema`; on errors put each message on its form field, return None."""
    try:
        return schema.load(dict(data))
    except ValidationError as error:
        attach_errors(form, error.normalized_messages(), aliases)
        return None


def load_filters(schema: Schema, form: FlaskForm, args: Mapping[str, Any]) -> dict[str, Any]:
    """Load a GET form's filters (the query string): a refused value is left out, so the
    list shows what the other filters choose, and its message goes on its field (the page
    answers 422 through `form_status`)."""
    data = dict(args)
    try:
        return dict(schema.load(data))
    except ValidationError as error:
        messages = error.normalized_messages()
    attach_errors(form, messages)
    kept = {key: value for key, value in data.items() if key not in messages}
    try:
        return dict(schema.load(kept))
    except ValidationError:
        return dict(schema.load({}))


def attach_errors(
    form: FlaskForm, messages: Mapping[str, Any], aliases: Mapping[str, str] | None = None
) -> None:
    """Put `{field: [messages]}` onto the matching form fields (or the form as a whole)."""
    for name, field_messages in messages.items():
        target = (aliases or {}).get(name, name)
        texts = _as_texts(field_messages)
        field = getattr(form, target, None) if target else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + texts
        else:
            form.form_errors.extend(texts)


def run_service(
    form: FlaskForm, call: Callable[[], T], aliases: Mapping[str, str] | None = None
) -> T | None:
    """Run a service as the page's one transaction: commit what it staged; when a rule says
    no (a DomainError), roll all of it back and put the message on the field it names."""
    try:
        result = call()
    except DomainError as error:
        db.session.rollback()
        attach_errors(form, {error.field or "_schema": [error.message]}, aliases)
        return None
    db.session.commit()
    return result


def renew_client_id(form: FlaskForm) -> None:
    """After a form's client id was refused (already used for a different entry, or not a
    UUID), give it a new one: submitting the form again then stores it as a new entry."""
    field = getattr(form, "client_id", None)
    if field is not None and field.errors:
        field.data = str(uuid.uuid4())


def _as_texts(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _as_texts(value)]
    if isinstance(messages, list | tuple):
        return [text for value in messages for text in _as_texts(value)]
    return [str(messages)]


def options(labels: Mapping[Any, Any], empty: Any = None) -> list[SelectChoice]:
    """Select options from `{value: label}`, optionally led by an empty choice."""
    first = [SelectChoice("", str(empty))] if empty is not None else []
    return first + [SelectChoice(str(value), label) for value, label in labels.items()]


def add_language_fields(
    form_class: type[FlaskForm], field: str, make: Callable[[str], Any]
) -> None:
    """Give `form_class` one `<field>_<language>` field per language organisation content is
    written in; `make(language name)` builds each (its label names the language)."""
    for lang, language in LOCALE_LABELS.items():
        setattr(form_class, f"{field}_{lang}", make(language))


def language_text_field(
    label: str, maxlength: int, rows: int | None = None, description: Any = ""
) -> Callable[[str], Field]:
    """A maker for `add_language_fields`: an optional text field of at most `maxlength`
    characters (a text area of `rows` rows when given), labelled by the message `label`
    with the language's name in `%(language)s`. `scripts/babel_update.py` extracts the
    label from this call, as it does from `_l(...)`."""

    def make(language: str) -> Field:
        text = lazy_gettext(label, language=language)
        if rows is None:
            limits = {"maxlength": maxlength, "autocomplete": "off"}
            return StringField(text, [Optional()], description=description, render_kw=limits)
        limits = {"maxlength": maxlength, "rows": rows}
        return TextAreaField(text, [Optional()], description=description, render_kw=limits)

    return make


def use_languages(form: FlaskForm, default_locale: str, required: tuple[str, ...]) -> FlaskForm:
    """Ready a form with per-language fields for the organisation: its languages in order
    (`form.content_languages`, the default first, for `language_fields` in `_forms.html`),
    and the `required` fields shown as required in the default language."""
    form.content_languages = content_languages(default_locale)
    for field in required:
        form[f"{field}_{default_locale}"].flags.optional = False
    return form


def posted(form: FlaskForm) -> dict[str, Any]:
    """The raw posted values of `form`'s fields, for the schema to load (lists for
    multi-selects, booleans for checkboxes; absent fields stay absent)."""
    data: dict[str, Any] = {}
    for field in form:
        if field.type in ("CSRFTokenField", "SubmitField"):
            continue
        if field.type in ("SelectMultipleField", "MultiCheckboxField"):
            data[field.name] = request.form.getlist(field.name)
        elif field.type == "BooleanField":
            data[field.name] = field.name in request.form
        elif field.name in request.form:
            data[field.name] = request.form[field.name]
    return data


def form_status(*forms: FlaskForm | None) -> int:
    """422 when any of the forms carries messages, so clients see the input was refused."""
    failed = any(form is not None and (form.errors or form.form_errors) for form in forms)
    return 422 if failed else 200


def render_form(template: str, form: FlaskForm | None, **context: Any) -> tuple[str, int]:
    """Render a page with its form again: 422 with the form's messages, else 200."""
    return render_template(template, form=form, **context), form_status(form)


# Fields a person cannot move focus to: their messages are listed without a link.
UNLINKED_FIELDS = ("HiddenField", "CSRFTokenField")


@pass_context
def error_summary(context: Context) -> list[tuple[str | None, str]]:
    """Every message of every form the page was rendered with, in field order, as
    (`#field-id` or None, text): the summary at the top of a page links to each field."""
    items: list[tuple[str | None, str]] = []
    seen: set[int] = set()
    for value in context.get_all().values():
        if not isinstance(value, FlaskForm) or id(value) in seen:
            continue
        seen.add(id(value))
        items += [(None, text) for text in _as_texts(value.form_errors)]
        for field in value:
            if field.errors:
                href = None if field.type in UNLINKED_FIELDS else f"#{field.id}"
                items += [(href, text) for text in _as_texts(field.errors)]
    return items


@pass_context
def page_has_form(context: Context) -> bool:
    """Whether the page was rendered with a form (no install offer on a form page)."""
    return any(isinstance(value, FlaskForm) for value in context.get_all().values())


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (`_forms.html` renders it as chip toggles)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
