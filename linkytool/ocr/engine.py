"""Thin adapter over tesseract (through pytesseract), used for screen titles only.

The dot-matrix values are read by :mod:`linkytool.ocr.dotmatrix`; tesseract reads the
title line, whose words decide the screen kind. The engine check runs once per process.
"""

from __future__ import annotations

import functools

import pytesseract
from PIL import Image

from linkytool.ocr.errors import INSTALL_TESSERACT, OcrEngineMissing

#: Characters a Linky title can hold (upper-case words, a few signs).
TITLE_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:.-"
#: psm 7 = the image is a single text line.
TITLE_CONFIG = f"--psm 7 -c tessedit_char_whitelist={TITLE_WHITELIST}"


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


def read_title(image: Image.Image) -> str:
    """Text of a title-line image (dark text on light background), ``-l fra --psm 7``."""
    ensure_engine()
    try:
        text = pytesseract.image_to_string(image, lang="fra", config=TITLE_CONFIG, timeout=10)
    except pytesseract.TesseractNotFoundError as exc:  # uninstalled while running
        ensure_engine.cache_clear()
        raise OcrEngineMissing(
            "Le moteur tesseract a disparu pendant la lecture.",
            hint=f"Réinstallez-le : {INSTALL_TESSERACT}",
        ) from exc
    except RuntimeError:  # tesseract timeout: treat as an unreadable title
        return ""
    return str(text).strip()


__all__ = ["TITLE_CONFIG", "TITLE_WHITELIST", "ensure_engine", "read_title"]
