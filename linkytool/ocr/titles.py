"""Title words of the Linky screens: which screen a title names (pure, no numpy).

The kind is decided by keywords, never by exact strings (:func:`classify_title`, for
text: the cells' or tesseract's); the words spotted on the dot cells themselves are
listed here too (:data:`SPOT_WORDS`, used by :mod:`linkytool.ocr.panel`).
"""

from __future__ import annotations

import re

from linkytool.ocr.result import ScreenKind
from linkytool.ocr.values import normalise_text


def _words(text: str) -> tuple[str, ...]:
    """The blank-separated words of ``text`` (word lists written as one string)."""
    return tuple(text.split())


#: Digits read in a word, mapped back to their letter (titles are upper-case words).
LETTER_CONFUSIONS: dict[str, str] = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}

#: Title keywords -> screen kind (checked in this order; substrings of the folded title).
TITLE_KEYWORDS: tuple[tuple[str, ScreenKind], ...] = (
    ("PRM", ScreenKind.PRM),
    ("INJ", ScreenKind.INJECTION_INDEX),
    ("DATE", ScreenKind.DATE),
)

#: Whole title words spotted on the dot cells (keyword spotting), per screen kind.
SPOT_WORDS: tuple[tuple[str, ScreenKind], ...] = (
    ("PRM", ScreenKind.PRM),
    ("DATE", ScreenKind.DATE),
    ("INJECTION", ScreenKind.INJECTION_INDEX),
)
#: Title words of other Linky screens, spotted too: a value word must beat them (so
#: "BASE" is not taken for a blurred "DATE"). Not "INDEX" (in "INDEX INJECTION").
SPOT_OTHER_WORDS: tuple[str, ...] = _words(
    "BASE HEURE CREUSE PLEINE PUISSANCE CONSO TIC CONTACT TEMPO SERIE PRODUCTEUR "
    "CONSOMMATEUR BLEU ROUGE BLANC"
)
#: Letters whose look-alike glyphs count as the letter when spotting title words.
SPOT_EQUIVALENTS: dict[str, str] = {"O": "0", "I": "1"}

#: Words of other Linky screens (supplier indexes, powers, TIC mode, contract...).
OTHER_SCREEN_WORDS: frozenset[str] = frozenset(
    _words(
        "BASE HEURE HEURES CREUSE CREUSES PLEINE PLEINES HC HP BLEU BLANC ROUGE PUISSANCE "
        "APP MAX TIC STANDARD HISTORIQUE INDEX NON CONSO CONTRAT KVA TARIF TENSION "
        "INTENSITE COURANT PRODUCTEUR CONSOMMATEUR RELAIS TOTAL ENERGIE FOURNISSEUR "
        "DISTRIBUTEUR CONTACT SEC OUVERT FERME TEMPO SERIE HC/HP"
    )
)

#: Words of a value screen's title that another screen's title shows too ("INDEX
#: INJECTION", "INDEX NON CONSO"): alone they name neither screen.
SHARED_TITLE_WORDS: dict[str, ScreenKind] = {"INDEX": ScreenKind.INJECTION_INDEX}


def fold_letters(text: str) -> str:
    """Replace digits read inside words by their look-alike letters."""
    return "".join(LETTER_CONFUSIONS.get(c, c) for c in text)


def classify_title(text: str) -> ScreenKind | None:
    """Screen kind from the title words; ``None`` when no word is recognisable.

    Keywords, not exact strings: "NUMERO PRM", "N PRM" -> PRM; "DATE COURANTE", "DATE"
    -> DATE; "INDEX INJECTION", "INJ." -> injection index. Another known Linky word
    (BASE, PUISSANCE APP, INDEX NON CONSO...) -> OTHER.
    """
    folded = fold_letters(normalise_text(text))
    words = re.findall(r"[A-Z]+", folded)
    joined = " ".join(words)
    for keyword, kind in TITLE_KEYWORDS:
        # substrings: tesseract often glues words ("NUMEROPRM", "DATECOURANTE")
        if any(keyword in word for word in words):
            return kind
        if keyword == "INJ" and re.search(r"\bIN[JI]EC|IN[A-Z ]?ECTI", joined):
            return kind
        if keyword == "PRM" and re.search(r"\bNUMERO ?PR", joined):
            return kind  # "NUMERO PRh": not "NUMERO SERIE"
    if any(word in OTHER_SCREEN_WORDS for word in words):
        return ScreenKind.OTHER
    return None


def other_by_shared_word(text: str, kind: ScreenKind) -> bool:
    """Whether ``text`` names another screen (:func:`classify_title`) only by words the
    title of ``kind`` shows too (:data:`SHARED_TITLE_WORDS`): "INDEX TMIECTTON", the
    X11 J and N misread, is no other screen's title more than the injection index's."""
    words = re.findall(r"[A-Z]+", fold_letters(normalise_text(text)))
    others = {word for word in words if word in OTHER_SCREEN_WORDS}
    return (
        classify_title(text) is ScreenKind.OTHER
        and bool(others)
        and all(SHARED_TITLE_WORDS.get(word) is kind for word in others)
    )


__all__ = [
    "LETTER_CONFUSIONS",
    "OTHER_SCREEN_WORDS",
    "SHARED_TITLE_WORDS",
    "SPOT_EQUIVALENTS",
    "SPOT_OTHER_WORDS",
    "SPOT_WORDS",
    "TITLE_KEYWORDS",
    "classify_title",
    "fold_letters",
    "other_by_shared_word",
]
