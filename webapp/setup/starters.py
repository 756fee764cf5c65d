"""Starter values for the guided start, per sector, in each language Kizuki speaks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SECTOR_LABELS = {
    "hospitality": _l("Hospitality"),
    "retail": _l("Retail"),
    "transport": _l("Transport"),
    "healthcare": _l("Healthcare"),
}

# (name, description) per sector and language; written by people, not translated strings,
# because they become the organisation's own values, which it then edits freely.
STARTER_VALUES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "hospitality": {
        "en": [
            ("Anticipate before they ask", "Notice what a guest needs before they say it."),
            ("Make it personal", "Remember names, habits and small preferences."),
            ("Own the fix", "When something goes wrong, take it all the way to solved."),
        ],
        "nl": [
            ("Vooruitdenken", "Zie wat een gast nodig heeft voordat die het vraagt."),
            ("Persoonlijk maken", "Onthoud namen, gewoontes en kleine voorkeuren."),
            ("Het oplossen", "Gaat er iets mis, los het dan helemaal op."),
        ],
    },
    "retail": {
        "en": [
            ("Help them find it", "Walk the customer to what they are looking for."),
            ("Honest advice", "Recommend what fits, not what costs most."),
            ("A tidy store", "Leave every shelf better than you found it."),
        ],
        "nl": [
            ("Helpen vinden", "Loop met de klant mee naar wat die zoekt."),
            ("Eerlijk advies", "Raad aan wat past, niet wat het meest kost."),
            ("Een nette winkel", "Laat elk schap beter achter dan je het aantrof."),
        ],
    },
    "transport": {
        "en": [
            ("Safety first", "Notice the risk and act on it, every trip."),
            ("On time, or tell them", "Keep passengers informed when plans change."),
            ("A helping hand", "Help travellers with luggage, prams or the way."),
        ],
        "nl": [
            ("Veiligheid voorop", "Zie het risico en handel ernaar, elke rit."),
            ("Op tijd, of laat het weten", "Houd reizigers op de hoogte als plannen veranderen."),
            ("Een helpende hand", "Help reizigers met bagage, kinderwagens of de weg."),
        ],
    },
    "healthcare": {
        "en": [
            ("See the person", "Notice the patient behind the chart."),
            ("Calm and clear", "Explain what happens next in plain words."),
            ("Look out for each other", "Spot a colleague who needs a hand."),
        ],
        "nl": [
            ("Zie de mens", "Zie de patiënt achter het dossier."),
            ("Rustig en helder", "Leg in gewone woorden uit wat er gaat gebeuren."),
            ("Let op elkaar", "Zie het als een collega hulp nodig heeft."),
        ],
    },
}


def starter_values(sector: str, locale: str) -> list[tuple[str, str]]:
    """The starter values of a sector in a language (English when it has none in `locale`)."""
    by_locale = STARTER_VALUES.get(sector, {})
    return list(by_locale.get(locale) or by_locale.get("en") or [])


def starter_texts(sector: str) -> list[dict[str, str]]:
    """The starter values of a sector as value input: each value's name and description in
    every language it is written in (`name_nl`, `name_en`, ...; the lists run in step)."""
    by_locale = STARTER_VALUES.get(sector, {})
    count = max((len(values) for values in by_locale.values()), default=0)
    return [
        {
            key: text
            for lang, values in by_locale.items()
            for key, text in ((f"name_{lang}", values[i][0]), (f"description_{lang}", values[i][1]))
        }
        for i in range(count)
    ]
