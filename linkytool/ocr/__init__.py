"""Read the Linky's PRM, current-date and injection-index screens from photos.

Public API: :func:`read_photo` / :func:`read_image` -> :class:`PhotoReading`,
:func:`cross_check` -> list of :class:`CrossCheck`. Errors: :class:`PhotoError` (what to
retake), :class:`OcrEngineMissing` (tesseract absent).
"""

from __future__ import annotations

from linkytool.ocr.crosscheck import CheckStatus, CrossCheck, cross_check
from linkytool.ocr.errors import OcrEngineMissing, OcrError, PhotoError
from linkytool.ocr.reader import read_image, read_photo
from linkytool.ocr.result import PhotoReading, ScreenKind

__all__ = [
    "CheckStatus",
    "CrossCheck",
    "OcrEngineMissing",
    "OcrError",
    "PhotoError",
    "PhotoReading",
    "ScreenKind",
    "cross_check",
    "read_image",
    "read_photo",
]
