"""Extract UI strings, update the Dutch and English catalogs, and compile them.

English is the source language: its catalog is filled with the source strings, so both
catalogs are complete. Dutch strings are translated by hand in
webapp/translations/nl/LC_MESSAGES/messages.po.

    .venv/bin/python scripts/babel_update.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"
POT = TRANSLATIONS / "messages.pot"
BIN = Path(sys.executable).parent


def pybabel(*args: str) -> None:
    subprocess.run([str(BIN / "pybabel"), "-q", *args], check=True, cwd=ROOT)


def ensure_locale(locale: str) -> None:
    if not (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").exists():
        pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


def fill_english() -> None:
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100)


def main() -> None:
    TRANSLATIONS.mkdir(exist_ok=True)
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "language_text_field",  # its label is a message id (webapp/forms.py)
        "--no-location",
        "--sort-output",
        "-o",
        str(POT),
        ".",
    )
    for locale in ("nl", "en"):
        ensure_locale(locale)
    pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "-w",
        "100",
    )
    fill_english()
    pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


if __name__ == "__main__":
    main()
