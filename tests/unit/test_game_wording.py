"""Protection against overwork, as a rule: no streaks and no message that urges anyone to
do more, anywhere in the app's templates, Python strings or translations."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# English and Dutch: streaks and the phrases of pressure.
FORBIDDEN = (
    "streak",
    "falling behind",
    "fall behind",
    "don't break",
    "do not break",
    "you're behind",
    "you are behind",
    "hurry",
    "last chance",
    "don't miss out",
    "keep up",
    "work harder",
    "reeks",
    "loopt achter",
    "achterop",
    "schiet op",
    "niet verbreken",
    "laatste kans",
)
# Whole words only: "rechtstreeks" (directly) is not "reeks" (a streak).
PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in FORBIDDEN) + r")", re.IGNORECASE)


def _python_strings(path: Path) -> str:
    # Only string literals: a comment explaining why there are no streaks is fine.
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return "\n".join(t.string for t in tokens if t.type == tokenize.STRING)


def _sources() -> list[tuple[Path, str]]:
    found = [(p, p.read_text(encoding="utf-8")) for p in (ROOT / "templates").rglob("*.html")]
    found += [(p, _python_strings(p)) for p in (ROOT / "webapp").rglob("*.py")]
    found += [(p, p.read_text(encoding="utf-8")) for p in (ROOT / "webapp").rglob("*.po")]
    found += [(p, p.read_text(encoding="utf-8")) for p in (ROOT / "static").rglob("*.js")]
    return found


def test_sources_were_found():
    kinds = {p.suffix for p, _text in _sources()}
    assert {".html", ".py"} <= kinds


@pytest.mark.parametrize("phrase", ["Keep your streak!", "You're falling behind", "Hurry up"])
def test_the_check_catches_pressure(phrase):
    assert PATTERN.search(phrase)


def test_no_streaks_and_no_pressure_anywhere():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path, text in _sources()
        for match in PATTERN.finditer(text)
    ]
    assert offenders == []
