"""The user action "read these photos of the Linky's screens", as one service function.

:func:`read_photos` loads a TIC capture when given one, reads every photo (an unreadable
photo does not stop the others), cross-checks the readings with each other, their EXIF
time and the TIC, lets that outside evidence withdraw confidence (see
:func:`linkytool.ocr.evidence.with_evidence`), writes the screen crops when asked, and
returns a typed :class:`PhotoBatch` that the CLI and the UI only render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from linkytool.errors import ExitCode
from linkytool.fileio import atomic_write_bytes
from linkytool.ocr.crosscheck import CheckStatus, CrossCheck, cross_check
from linkytool.ocr.errors import PhotoError, read_guarded
from linkytool.ocr.evidence import with_evidence
from linkytool.ocr.reader import read_photo
from linkytool.ocr.result import PhotoReading


@dataclass(frozen=True)
class PhotoFailure:
    """A photo that could not be read at all (French message and hint)."""

    path: Path
    message: str
    hint: str | None

    def as_dict(self) -> dict[str, object]:
        """JSON view."""
        return {"path": str(self.path), "error": self.message, "hint": self.hint}


@dataclass(frozen=True)
class PhotoBatch:
    """What a batch of photos says: readings, failures, cross-checks, crops written."""

    readings: tuple[PhotoReading, ...]
    failures: tuple[PhotoFailure, ...]
    checks: tuple[CrossCheck, ...]
    crops: tuple[Path, ...] = ()

    @property
    def exit_code(self) -> ExitCode:
        """3 a photo is unreadable; 1 a value to confirm, a photo without one of the three
        values, or a cross-check disagreement; 0 every value usable as is."""
        if self.failures:
            return ExitCode.BAD_INPUT
        unsure = any(r.to_confirm or r.value is None for r in self.readings)
        if unsure or any(c.status == CheckStatus.MISMATCH for c in self.checks):
            return ExitCode.NOT_SATISFIED
        return ExitCode.OK

    def as_dict(self) -> dict[str, object]:
        """JSON view (``photos``, ``errors``, ``cross_checks``)."""
        return {
            "photos": [r.as_dict() for r in self.readings],
            "errors": [f.as_dict() for f in self.failures],
            "cross_checks": [c.as_dict() for c in self.checks],
        }


def crop_name(directory: Path, photo: Path, used: set[str]) -> Path:
    """``<photo>-ecran.png`` in ``directory``, numbered when two photos share a stem."""
    name = f"{photo.stem}-ecran.png"
    index = 2
    while name in used:
        name = f"{photo.stem}-{index}-ecran.png"
        index += 1
    used.add(name)
    return directory / name


def read_photos(
    photos: Sequence[Path],
    *,
    tic_capture: Path | None = None,
    crops_dir: Path | None = None,
    reader: Callable[[Path], PhotoReading] | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> PhotoBatch:
    """Read ``photos`` (see module doc). Raises the TIC reader's error for a bad capture
    and :class:`~linkytool.ocr.errors.OcrEngineMissing` without tesseract; a bad photo
    is a :class:`PhotoFailure` of the result. ``reader`` defaults to
    :func:`~linkytool.ocr.reader.read_photo`."""
    read = reader or read_photo
    tic = None
    if tic_capture is not None:
        from linkytool.tic.capture_summary import summarize_capture
        from linkytool.tic.errors import CaptureError

        if "\x00" in str(tic_capture):
            raise CaptureError(
                f"Chemin de capture TIC invalide (caractère nul) : {str(tic_capture)!r}."
            )
        tic = summarize_capture(tic_capture)
    readings: list[PhotoReading] = []
    failures: list[PhotoFailure] = []
    for number, photo in enumerate(photos, start=1):
        if progress is not None:
            progress(number, len(photos), photo)
        try:
            readings.append(read_guarded(read, photo))
        except PhotoError as error:
            failures.append(PhotoFailure(photo, error.message, error.hint))
    checks = cross_check(readings, tic) if readings else []
    readings = [with_evidence(r, checks) for r in readings]
    written: list[Path] = []
    if crops_dir is not None:
        used: set[str] = set()
        for reading in readings:
            if reading.crop is not None:
                target = crop_name(crops_dir, reading.path, used)
                atomic_write_bytes(target, reading.crop)
                written.append(target)
    return PhotoBatch(tuple(readings), tuple(failures), tuple(checks), tuple(written))


__all__ = ["PhotoBatch", "PhotoFailure", "crop_name", "read_photos"]
