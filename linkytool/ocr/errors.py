"""Errors of the photo reader (``linkytool.ocr``), each with its exit code.

Messages are French and say what to retake or install; the CLI prints them without a
traceback (see :mod:`linkytool.cli`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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

T = TypeVar("T")


def read_guarded(read: Callable[[Path], T], photo: Path) -> T:
    """``read(photo)``, an unexpected exception of the reader (a bug, not a bad photo)
    raised as a :class:`PhotoError` naming it: a batch of photos loses that photo only,
    never the others' readings, and the user is told what to do instead of a traceback
    (stop 49: a lattice fit raised ``ValueError`` on two hard photos before it was mended)."""
    try:
        return read(photo)
    except LinkytoolError:
        raise
    except Exception as error:  # the reader's own bug: that photo is lost, not the batch
        raise PhotoError(
            "Le lecteur de photos a échoué sur cette photo (erreur interne : "
            f"{type(error).__name__}).",
            hint="Saisissez la valeur à la main ou reprenez la photo, et signalez ce cas "
            "aux développeurs de linkytool avec la photo.",
        ) from error


__all__ = ["INSTALL_TESSERACT", "OcrEngineMissing", "OcrError", "PhotoError", "read_guarded"]
