"""Thin adapter over tesseract (through pytesseract): screen titles and references only.

The dot-matrix values are read by :mod:`linkytool.ocr.dotmatrix`; tesseract reads the
title line (a vote on the screen kind) and the references printed above the screen. The
engine check runs once per process.
"""

from __future__ import annotations

import functools

import pytesseract
from PIL import Image

from linkytool.ocr.errors import INSTALL_TESSERACT, OcrEngineMissing

#: Characters of a Linky title and of the references printed above the screen.
WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/:.-,"
#: psm 6 = a uniform block of text: the reader hands tesseract one sheet holding the
#: screen's title line on top and the references area below (one process per photo).
#: The whitelist ends with a space (quoted): without it tesseract glues the words.
BLOCK_CONFIG = f'--psm 6 -c "tessedit_char_whitelist={WHITELIST} "'


@functools.lru_cache(maxsize=1)
def ensure_engine() -> str:
    """Check tesseract and its French data are installed; return tesseract's version.

    Raises :class:`OcrEngineMissing` (exit code 5) with the install command otherwise.
    """
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrEngineMissing(
            "Le moteur de reconnaissance de texte tesseract est introuvable.",
            hint=f"Installez-le : {INSTALL_TESSERACT}",
        ) from exc
    if "fra" not in languages:
        raise OcrEngineMissing(
            "Les données françaises de tesseract (fra) ne sont pas installées.",
            hint=f"Installez-les : {INSTALL_TESSERACT}",
        )
    return version


def read_block(image: Image.Image) -> str:
    """Text of a block image (dark on white), ``-l fra --psm 6``, whitelist; "" if none."""
    ensure_engine()
    try:
        text = pytesseract.image_to_string(image, lang="fra", config=BLOCK_CONFIG, timeout=10)
    except pytesseract.TesseractNotFoundError as exc:  # uninstalled while running
        ensure_engine.cache_clear()
        raise OcrEngineMissing(
            "Le moteur tesseract a disparu pendant la lecture.",
            hint=f"Réinstallez-le : {INSTALL_TESSERACT}",
        ) from exc
    except RuntimeError:  # tesseract timeout: nothing legible
        return ""
    return str(text)


__all__ = ["BLOCK_CONFIG", "WHITELIST", "ensure_engine", "read_block"]
