"""The ONE adapter between the intake and the dossier: read a stored photo with the
project's OCR and record its value through ``linkytool.mes.service.record_photo``, the
route ``linkytool mes import-photos`` and the UI's Photos screen take too.

Only the outcome is shaped here, as the phone page shows it (:class:`PhotoOutcome`); the
screen check, the hash, the engraved meter number and the save are the service's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkytool.errors import LinkytoolError, describe_os_error
from linkytool.intake.slots import Slot

#: Reads one photo (``linkytool.ocr.read_photo``'s signature); the UI passes one that
#: reads in its worker processes.
PhotoReader = Callable[[Path], Any]


@dataclass(frozen=True)
class PhotoOutcome:
    """What became of one stored photo: what OCR read and whether the dossier took it."""

    value: str | None  # normalised as the dossier stores it (as OCR read it when refused)
    confidence: float  # 0..1
    confident: bool  # "sûr" (True) or "à confirmer" (False) when recorded
    recorded: bool  # the reading and the photo are now in the dossier
    problem: str | None  # French, why the photo must be retaken (not recorded)
    screen: str | None  # the screen kind OCR saw
    #: French, what to check or change for a value recorded to confirm: the reader's
    #: first remark past the generic one (a screen too small in the photo, digits of
    #: an unusual design...); None when it gave none
    advice: str | None = None


def _refused(problem: str) -> PhotoOutcome:
    return PhotoOutcome(None, 0.0, False, False, problem, None)


def record_photo(
    dossier_path: Path, slot: Slot, photo: Path, *, reader: PhotoReader | None = None
) -> PhotoOutcome:
    """Read ``photo`` (already in the dossier's folder) and record it for ``slot``.

    ``reader`` reads the photo (default: ``linkytool.ocr.read_photo`` when installed).
    The dossier's ``[photos]`` entry points at the photo only when its value is recorded
    (right screen, a value): a wrong photo never replaces a good one there. Never raises
    for a bad photo; a dossier that cannot be loaded or saved raises its
    :class:`LinkytoolError`.
    """
    from linkytool.mes import service
    from linkytool.mes.errors import DossierPhotoError
    from linkytool.mes.pack import default_screen_reader
    from linkytool.ocr.candidate import TO_CONFIRM_REMARK  # says nothing the status does not

    read = reader or default_screen_reader()
    if read is None:
        return _refused("Lecture des photos indisponible.")
    try:
        reading = read(photo)
    except LinkytoolError as exc:
        return _refused(exc.message)
    except OSError as exc:
        return _refused(describe_os_error(exc))
    screen = getattr(reading, "screen", None)
    screen = None if screen is None else str(getattr(screen, "value", screen))
    confidence = float(getattr(reading, "confidence", 0.0))
    try:
        result = service.record_photo(dossier_path, slot.field, photo, reading)
    except DossierPhotoError as exc:
        # Another screen: the service's sentence says which. No value: the reader's own
        # warning (blur, glare...) tells best what to change when retaking it.
        warning = next(iter(getattr(reading, "warnings", ())), None)
        problem = exc.message if exc.screen is not None else (warning or exc.message)
        value = getattr(reading, "value", None)
        return PhotoOutcome(value, confidence, False, False, problem, screen)
    advice = None
    if not result.confident:
        remarks = (w for w in getattr(reading, "warnings", ()) if w != TO_CONFIRM_REMARK)
        advice = next(remarks, None)
    return PhotoOutcome(result.value, confidence, result.confident, True, None, screen, advice)


__all__ = ["PhotoOutcome", "PhotoReader", "record_photo"]
