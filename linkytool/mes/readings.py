"""Recording meter readings in a dossier, with provenance and history (pure).

A reading is appended, never overwritten: the dossier keeps who read what, how and when
(TIC capture, photo + OCR confidence, or typed by hand). Values are normalised the way
:mod:`linkytool.ocr` reports them: PRM 14 digits, date ``YYYY-MM-DD`` or
``YYYY-MM-DDTHH:MM``, injection index an integer number of kWh without padding.
Adapters turn a TIC :class:`~linkytool.tic.MeterReading` or an OCR
:class:`~linkytool.ocr.PhotoReading` into readings without importing those packages.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from linkytool.mes.errors import MesError
from linkytool.mes.identifiers import is_valid_prm, normalise_digits
from linkytool.mes.model import SCREEN_KINDS, Dossier, Reading, ReadingField, ReadingSource
from linkytool.mes.schema import PARIS, to_paris
from linkytool.screen_titles import SCREEN_TITLES_BY_NAME, shows_screen
from linkytool.textfmt import french_index, french_value, parse_french_date


class ReadingValueError(MesError):
    """A reading value does not have the expected shape."""


def normalise_value(which: ReadingField, value: str) -> str:
    """The canonical text of ``value`` for ``which``; raises :class:`ReadingValueError`."""
    text = value.strip()
    if which is ReadingField.PRM:
        digits = normalise_digits(text)
        if not is_valid_prm(digits):
            raise ReadingValueError(
                f"PRM « {value} » invalide : 14 chiffres attendus.",
                hint="Exemple : 30002345678901 (écran « NUMERO PRM »).",
            )
        return digits
    if which is ReadingField.INJECTION_INDEX:
        # spaces may group thousands; a dot, a comma or a minus sign is refused, never
        # dropped: "12.5" must not become 125 kWh, nor "-5" become 5
        digits = re.sub(r"\s", "", re.sub(r"(?i)\s*kwh$", "", text))
        if not re.fullmatch(r"[0-9]+", digits):
            raise ReadingValueError(
                f"Index d'injection « {value} » invalide : nombre entier de kWh attendu "
                "(ni virgule, ni point, ni signe).",
                hint="Exemple : 12 (écran « INDEX INJECTION », sans décimales).",
            )
        return str(int(digits))
    return _normalise_date(text, value)


def _normalise_date(text: str, original: str) -> str:
    typed = parse_french_date(text)
    if typed is not None:
        text = typed.isoformat(timespec="minutes") if isinstance(typed, datetime) else str(typed)
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            return moment.strftime("%Y-%m-%dT%H:%M")
        return datetime.fromisoformat(text).strftime("%Y-%m-%d")
    except ValueError:
        raise ReadingValueError(
            f"Date « {original} » invalide.",
            hint="Formats acceptés : 20/11/2026 14:32, 20/11/2026, 2026-11-20T14:32.",
        ) from None


def shown_value(which: ReadingField, value: str) -> str:
    """A reading's value as the installer reads it (``20/11/2026 14:32``, ``12 kWh``,
    the PRM as is); the dossier keeps the normalised text."""
    if which is ReadingField.INJECTION_INDEX:
        return french_index(value)
    return french_value(value)


def record_reading(
    dossier: Dossier,
    which: ReadingField | str,
    value: str,
    source: ReadingSource | str,
    *,
    at: datetime | None = None,
    confidence: float | None = None,
    file: str | Path | None = None,
    sha256: str | None = None,
    screen: str | None = None,
    note: str = "",
    meter_id: str | None = None,
    references: str | None = None,
    confirmed: bool = False,
) -> Dossier:
    """A copy of ``dossier`` with one more reading of ``which`` (the new current value).

    ``at`` defaults to now (Europe/Paris). ``file`` is stored as given (keep it relative to
    the dossier file). The input dossier is left untouched.
    """
    field = ReadingField(which)
    origin = ReadingSource(source)
    reading = Reading(
        value=normalise_value(field, value),
        source=origin,
        at=to_paris(at) if at is not None else datetime.now(PARIS).replace(microsecond=0),
        confidence=confidence,
        file=str(file) if file is not None else "",
        sha256=sha256 or "",
        screen=screen or "",
        note=note,
        meter_id=meter_id or "",
        references=(references or "").strip()[:300],
        confirmed=confirmed,
    )
    updated = copy.deepcopy(dossier)
    updated.readings.history(field).append(reading)
    return updated


class TicSummary(Protocol):
    """What the MES feature uses of :class:`linkytool.tic.MeterReading`."""

    @property
    def prm(self) -> str | None: ...

    @property
    def meter_time(self) -> datetime | None: ...

    @property
    def eait_wh(self) -> int | None: ...

    @property
    def meter_id(self) -> str | None: ...


def readings_from_tic(
    dossier: Dossier,
    tic: TicSummary,
    *,
    capture: str | Path | None = None,
    sha256: str | None = None,
) -> Dossier:
    """Record the PRM, the meter's date and (producer mode only) the injection index read by TIC."""
    at = tic.meter_time
    updated = dossier
    kwargs: dict[str, Any] = {
        "at": at,
        "file": capture,
        "sha256": sha256,
        "meter_id": getattr(tic, "meter_id", None),
    }
    if tic.prm:
        updated = record_reading(updated, ReadingField.PRM, tic.prm, ReadingSource.TIC, **kwargs)
    if tic.meter_time is not None:
        shown = to_paris(tic.meter_time).strftime("%Y-%m-%dT%H:%M")
        updated = record_reading(updated, ReadingField.DATE, shown, ReadingSource.TIC, **kwargs)
    if tic.eait_wh is not None:
        updated = record_reading(
            updated,
            ReadingField.INJECTION_INDEX,
            str(tic.eait_wh // 1000),
            ReadingSource.TIC,
            note=f"EAIT {tic.eait_wh} Wh",
            **kwargs,
        )
    return updated


class PhotoResult(Protocol):
    """What the MES feature uses of :class:`linkytool.ocr.PhotoReading`."""

    @property
    def screen(self) -> Any: ...

    @property
    def value(self) -> str | None: ...

    @property
    def confidence(self) -> float: ...

    @property
    def exif_time(self) -> datetime | None: ...


def reading_from_photo(
    dossier: Dossier,
    which: ReadingField,
    photo: PhotoResult,
    *,
    file: str | Path,
    sha256: str,
    at: datetime | None = None,
) -> Dossier:
    """Record what OCR read on a photo (its screen kind, value and confidence).

    Raises :class:`ReadingValueError` when the photo shows another screen or no value.
    """
    screen = str(getattr(photo.screen, "value", photo.screen))
    expected = SCREEN_KINDS[which]
    if screen != expected:
        raise ReadingValueError(
            f"La photo {file} {shows_screen(screen)} (attendu : "
            f"« {SCREEN_TITLES_BY_NAME[expected]} »).",
            hint="Reprenez la photo du bon écran (touche + du compteur).",
        )
    if not photo.value:
        raise ReadingValueError(
            f"Aucune valeur lisible sur la photo {file}.",
            hint="Reprenez la photo de face, sans reflet, ou saisissez la valeur.",
        )
    return record_reading(
        dossier,
        which,
        photo.value,
        ReadingSource.PHOTO,
        at=at or photo.exif_time,
        confidence=round(float(photo.confidence), 3),
        file=file,
        sha256=sha256,
        screen=screen,
        meter_id=engraved_meter_id(getattr(photo, "references", None)),
        references=getattr(photo, "references", None),
    )


def engraved_meter_id(references: str | None) -> str | None:
    """The 12-digit meter address in the text engraved above the screen, when legible."""
    if not references:
        return None
    match = re.search(r"(?<!\d)\d{12}(?!\d)", normalise_digits(references))
    return match.group(0) if match else None
