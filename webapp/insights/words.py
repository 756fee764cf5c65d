"""Words that carry meaning in a moment's cue or action: lower-cased, without the common
words of English and Dutch (the languages teams write in), so "what guests signal" reads as
umbrella, allergy, birthday rather than the, een, with."""

from __future__ import annotations

import re

MIN_LENGTH = 4
WORD = re.compile(r"[^\W\d_]+")

_COMMON = """
    about above after again against also although always among another anything around
    because been before being below between both came come could does doing done down during
    each even ever every from further gave give given going have having here hers herself
    himself into itself just know last like made make many more most much must myself never
    next only other ought ours ourselves over same should since some still such take than
    that their theirs them themselves then there these they this those through told took
    under until upon very want wanted was were what when where which while whom whose why
    will with within without would your yours yourself yourselves asked said says saying
    told tell guest guests customer customers really something someone already first
    aan achter alle alles als altijd andere bent beter bij binnen daar daarna daarom dan dat
    deze die dit doch doen door dus echter eens eerst eigen elke en enige enkel geen geweest
    haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is jij jou jouw
    juist kan kon konden kunnen later maar meer men met mij mijn moest moet moeten naar niet
    niets nog nooit omdat onder ons onze ook over reeds samen sinds slechts steeds tegen toch
    toen tot tussen veel voor vooraf waar waren wanneer want waren was wat werd werden wie
    wij wilde wil willen worden wordt zelf zich zij zijn zo zonder zou zouden gast gasten
    klant klanten even nadat terwijl zodat eigenlijk gewoon helemaal waarop daarbij
    back went gone gets getting away keep kept right once twice again ready later
    kwam ging liet laten vroeg zei zegt gaf gaan komen maken gemaakt gedaan stond staan zat
    liep weer erg heel wel alleen gelijk nodig even meteen graag
    left brought stood half lagen neergezet neergelegd gezet gelegd gebracht
"""
STOP_WORDS = frozenset(_COMMON.split())


def meaningful_words(text: str) -> set[str]:
    """The distinct meaningful words of `text`."""
    return {
        word
        for word in WORD.findall(text.lower())
        if len(word) >= MIN_LENGTH and word not in STOP_WORDS
    }
