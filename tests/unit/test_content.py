"""Organisation content in each language: the one rule that picks the text for a person,
storing and reading the texts, and the default language moving."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from webapp.admin import services as admin
from webapp.domain import Conflict, Invalid
from webapp.extensions import db
from webapp.i18n import pick_text
from webapp.models import Value
from webapp.orgs import content

TEXTS = {
    "nl": {"name": "Vooruitdenken", "description": "Zie het vooraf."},
    "en": {"name": "Anticipate"},
}


@pytest.mark.parametrize(
    ("locale", "field", "default", "shown"),
    [
        ("nl", "name", "Anticipate", "Vooruitdenken"),  # the person's language
        ("en", "name", "Anticipate", "Anticipate"),
        ("de", "name", "Anticipate", "Anticipate"),  # no German: the organisation's default
        ("en", "description", "Think ahead.", "Think ahead."),  # no English: the default
        ("en", "description", "", "Zie het vooraf."),  # nothing in the default: what exists
        ("en", "missing", "", ""),
    ],
)
def test_the_persons_language_then_the_default_then_whatever_exists(locale, field, default, shown):
    assert pick_text(TEXTS, field, default, locale) == shown


def test_no_translations_shows_the_default_column():
    assert pick_text(None, "name", "Anticipate", "nl") == "Anticipate"
    assert pick_text({}, "name", "Anticipate", "nl") == "Anticipate"


def test_a_value_reads_in_the_language_of_the_moment(app, world):
    value = world.values[0]
    content.store(
        value,
        content.texts_from(
            {"name_en": "Anticipate", "name_nl": "Vooruitdenken"}, ("name", "description")
        ),
        "en",
    )
    db.session.flush()
    with force_locale("nl"):
        assert value.name == "Vooruitdenken"
    with force_locale("en"):
        assert value.name == "Anticipate"
    # In SQL the attribute is the default language's column.
    found = db.session.scalar(db.select(Value.id).where(Value.name == "Anticipate"))
    assert found == value.id


def test_storing_keeps_every_language_and_the_default_in_the_columns(app, world):
    value = world.values[0]
    texts = content.texts_from(
        {"name_en": "Anticipate", "name_nl": "Vooruitdenken", "description_nl": "Vooraf."},
        ("name", "description"),
    )
    change = content.store(value, texts, "nl")
    assert value.default_name == "Vooruitdenken" and value.default_description == "Vooraf."
    assert value.translations == {
        "en": {"name": "Anticipate"},
        "nl": {"name": "Vooruitdenken", "description": "Vooraf."},
    }
    assert "name_nl: Anticipate → Vooruitdenken" in change
    assert content.form_data(value, "nl") == {
        "name_en": "Anticipate",
        "name_nl": "Vooruitdenken",
        "description_nl": "Vooraf.",
    }


def test_the_default_language_is_required(app, world):
    texts = content.texts_from({"name_nl": "Vooruitdenken"}, ("name",))
    with pytest.raises(Invalid) as caught:
        content.require_default(texts, "en", "name")
    assert caught.value.field == "name_en"
    content.require_default(texts, "nl", "name")


def test_a_name_taken_in_any_language_is_refused(app, world):
    admin.create_value(db.session, world.admin, {"name_en": "Warmth", "name_nl": "Warmte"})
    with pytest.raises(Conflict) as caught:
        admin.create_value(db.session, world.admin, {"name_en": "Cosy", "name_nl": "warmte"})
    assert caught.value.field == "name_nl"


def test_changing_the_default_language_moves_the_columns_and_keeps_every_text(app, world):
    value = admin.create_value(db.session, world.admin, {"name_en": "Warmth", "name_nl": "Warmte"})
    only_english = admin.create_value(db.session, world.admin, {"name_en": "Calm"})
    admin.update_settings(db.session, world.admin, world.org, {"default_locale": "nl"})
    assert value.default_name == "Warmte"
    assert only_english.default_name == "Calm"  # no Dutch name: the English stays
    assert value.translations["en"]["name"] == "Warmth"
    with force_locale("en"):
        assert value.name == "Warmth"


def test_texts_kizuki_writes_come_in_every_language(app):
    from flask_babel import gettext as _

    made = content.in_every_language(lambda: {"title": _("Golden key")})
    assert made == {"en": {"title": "Golden key"}, "nl": {"title": "Gouden sleutel"}}
