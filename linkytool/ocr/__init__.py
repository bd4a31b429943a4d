"""Read the Linky's PRM, current-date and injection-index screens from photos.

Public API: :func:`read_photo` / :func:`read_image` -> :class:`PhotoReading`,
:func:`cross_check` -> list of :class:`CrossCheck`. Errors: :class:`PhotoError` (what to
retake), :class:`OcrEngineMissing` (tesseract absent).

The names are loaded on first use (PEP 562): the UI unpickles the readings its photo
workers send (``linkytool.ocr.result``) and cross-checks them, and must not pay for the
reader (numpy, Pillow: ~0.3 s) to do so. ``import linkytool.ocr.reader`` loads the
reader itself (the photo workers' fork server does).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linkytool.ocr.crosscheck import CheckStatus, CrossCheck, cross_check
    from linkytool.ocr.errors import OcrEngineMissing, OcrError, PhotoError
    from linkytool.ocr.reader import read_image, read_photo
    from linkytool.ocr.result import PhotoReading, ScreenKind

#: Public name -> the module that defines it.
_WHERE = {
    "CheckStatus": "linkytool.ocr.crosscheck",
    "CrossCheck": "linkytool.ocr.crosscheck",
    "cross_check": "linkytool.ocr.crosscheck",
    "OcrEngineMissing": "linkytool.ocr.errors",
    "OcrError": "linkytool.ocr.errors",
    "PhotoError": "linkytool.ocr.errors",
    "read_image": "linkytool.ocr.reader",
    "read_photo": "linkytool.ocr.reader",
    "PhotoReading": "linkytool.ocr.result",
    "ScreenKind": "linkytool.ocr.result",
}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


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
