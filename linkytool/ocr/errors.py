"""Errors of the photo reader (``linkytool.ocr``), each with its exit code.

Messages are French and say what to retake or install; the CLI prints them without a
traceback (see :mod:`linkytool.cli`).
"""

from __future__ import annotations

from linkytool.errors import ExitCode, LinkytoolError


class OcrError(LinkytoolError):
    """Root of the photo reader's errors."""


class PhotoError(OcrError):
    """A photo cannot be read at all (missing, truncated, HEIC, too large, not an image)."""

    exit_code = ExitCode.BAD_INPUT


class OcrEngineMissing(OcrError):  # noqa: N818  (name fixed by CONTRACTS.md)
    """tesseract (or its French data) is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


INSTALL_TESSERACT = "sudo apt-get install tesseract-ocr tesseract-ocr-fra"

__all__ = ["INSTALL_TESSERACT", "OcrEngineMissing", "OcrError", "PhotoError"]
