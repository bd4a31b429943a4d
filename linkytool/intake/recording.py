"""The ONE adapter between the intake and the dossier: read a stored photo with the
project's OCR and record the reading into the dossier.

Today it calls what ``linkytool mes import-photos`` calls (``linkytool.ocr.read_photo``
through ``mes.pack.default_screen_reader``, then ``mes.readings.reading_from_photo``,
``mes.store.load_dossier``/``save_dossier``). When the service function "record a photo
reading into the dossier" lands, only :func:`record_photo` changes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from linkytool.errors import LinkytoolError, describe_os_error
from linkytool.intake.slots import Slot


@dataclass(frozen=True)
class PhotoOutcome:
    """What became of one stored photo: what OCR read and whether the dossier took it."""

    value: str | None  # normalised as linkytool.ocr reports it
    confidence: float  # 0..1
    confident: bool  # "sûr" (True) or "à confirmer" (False) when recorded
    recorded: bool  # the reading and the photo are now in the dossier
    problem: str | None  # French, why the photo must be retaken (not recorded)
    screen: str | None  # the screen kind OCR saw


def record_photo(dossier_path: Path, slot: Slot, photo: Path) -> PhotoOutcome:
    """Read ``photo`` (already in the dossier's folder) and record it for ``slot``.

    The dossier's ``[photos]`` entry points at the photo only when its reading is recorded
    (right screen, a value): a wrong photo never replaces a good one there. Never raises
    for a bad photo; a dossier that cannot be saved raises its :class:`LinkytoolError`.
    """
    from linkytool.mes.pack import default_screen_reader
    from linkytool.mes.photos import sha256_file
    from linkytool.mes.readings import reading_from_photo
    from linkytool.mes.store import load_dossier, save_dossier

    reader = default_screen_reader()
    if reader is None:
        return PhotoOutcome(None, 0.0, False, False, "Lecture des photos indisponible.", None)
    try:
        reading = reader(photo)
    except LinkytoolError as exc:
        return PhotoOutcome(None, 0.0, False, False, exc.message, None)
    except OSError as exc:
        return PhotoOutcome(None, 0.0, False, False, describe_os_error(exc), None)
    screen = str(getattr(reading.screen, "value", reading.screen))
    confidence = float(reading.confidence)
    confident = bool(getattr(reading, "confident", False))
    declared = os.path.relpath(photo, dossier_path.parent)
    dossier = load_dossier(dossier_path)
    try:
        updated = reading_from_photo(
            dossier, slot.field, reading, file=declared, sha256=sha256_file(photo)
        )
    except LinkytoolError as exc:
        warning = next(iter(getattr(reading, "warnings", ())), None)
        return PhotoOutcome(reading.value, confidence, False, False, warning or exc.message, screen)
    setattr(updated.photos, slot.field.value, declared)
    save_dossier(updated, dossier_path)
    return PhotoOutcome(reading.value, confidence, confident, True, None, screen)


__all__ = ["PhotoOutcome", "record_photo"]
