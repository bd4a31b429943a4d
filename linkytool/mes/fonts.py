"""Fonts for the attestation PDF.

reportlab's bundled Bitstream Vera TrueType family covers French accents, « », ’, "≤" and
"–", ships with reportlab itself (no system package needed) and keeps the output the
same on every machine.
"""

from __future__ import annotations

from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: Family name registered with reportlab.
FAMILY = "LinkyVera"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (f"{FAMILY}", f"{FAMILY}-Bold", f"{FAMILY}-It", f"{FAMILY}-BI")

_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}


def register_fonts() -> str:
    """Register the family once (idempotent) and return its regular font name."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return REGULAR
    directory = Path(reportlab.__file__).parent / "fonts"
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(directory / file_name)))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return REGULAR
