"""Cross-checks between photo readings, the photos' EXIF time and a TIC reading.

Pure functions: the readings and an optional :class:`linkytool.tic.MeterReading` in, a
list of :class:`CrossCheck` (French messages) out.

Tolerances (see docs/ocr.md):

* **PRM**: photo = TIC ``PRM``, exactly (no public check digit exists).
* **Injection index**: the screen shows whole kWh, TIC ``EAIT`` is in Wh. Whether the
  meter truncates or rounds is not documented, and the photo and the capture are not taken
  at the same second, so the photo agrees when ``|kWh - EAIT/1000| <= 1`` (covers floor,
  rounding and one kWh crossed between the two); ``floor(EAIT/1000)`` is quoted.
* **Date vs EXIF** (``DATE_EXIF_TOLERANCE`` = 10 min): the meter clock is set remotely
  and a phone clock by the network; the screen shows minutes (up to 59 s lost) and a
  camera set by hand drifts a few minutes. 10 min tolerates that and still catches a
  wrong day, a wrong hour or a camera left on another time zone / summer time (an offset
  close to whole hours is reported as such). Without a time on the screen, the EXIF time
  must fall inside the displayed day (± the same tolerance).
* **Date vs TIC DATE** (``DATE_TIC_TOLERANCE`` = 12 h): the capture and the photo come
  from the same site visit, which lasts hours, not days; a larger gap means the capture
  belongs to another visit or the date is misread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from linkytool.ocr.result import SCREEN_LABELS, PhotoReading, ScreenKind
from linkytool.ocr.values import ads_number, date_has_time, value_from_date
from linkytool.textfmt import french_index, french_value

if TYPE_CHECKING:
    from linkytool.tic import MeterReading

PARIS = ZoneInfo("Europe/Paris")
DATE_EXIF_TOLERANCE = timedelta(minutes=10)
DATE_TIC_TOLERANCE = timedelta(hours=12)
#: Allowed gap between the photographed index and EAIT [kWh].
INDEX_TOLERANCE_KWH = 1.0


class CheckStatus(StrEnum):
    """Outcome of one cross-check."""

    OK = "ok"
    MISMATCH = "mismatch"
    #: Nothing to compare with (no TIC, no EXIF, consumer mode without EAIT...).
    UNAVAILABLE = "unavailable"
    #: A screen Enedis asks for was not photographed (or not recognised).
    MISSING = "missing"


@dataclass(frozen=True)
class CrossCheck:
    """One comparison and its French message."""

    check: str
    status: CheckStatus
    message: str
    path: Path | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly view."""
        return {
            "check": self.check,
            "status": self.status.value,
            "message": self.message,
            "path": str(self.path) if self.path else None,
        }


def _suffix(reading: PhotoReading) -> str:
    return "" if reading.confident else " (valeur lue à confirmer)"


def _format_delta(delta: timedelta) -> str:
    minutes = round(abs(delta.total_seconds()) / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d}" if rest else f"{hours} h"
    return f"{hours // 24} jours"


def _local_naive(moment: datetime) -> datetime:
    """Wall-clock time in Paris (aware datetimes converted; naive ones kept)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(PARIS).replace(tzinfo=None)


def _date_gap(value: str, moment: datetime, tolerance: timedelta) -> timedelta:
    """Signed gap between ``moment`` and the displayed date (zero when within it)."""
    shown = value_from_date(value)
    local = _local_naive(moment)
    if date_has_time(value):
        # the screen truncates to the minute: compare with the middle of that minute
        gap = local - (shown + timedelta(seconds=30))
        return timedelta(0) if abs(gap) <= tolerance else gap
    start, end = shown - tolerance, shown + timedelta(days=1) + tolerance
    if start <= local <= end:
        return timedelta(0)
    return local - start if local < start else local - end


def check_prm(reading: PhotoReading, tic: MeterReading | None) -> CrossCheck:
    """Photographed PRM against the TIC ``PRM`` (standard mode only)."""
    if tic is None:
        return CrossCheck(
            "prm_tic",
            CheckStatus.UNAVAILABLE,
            "PRM : pas de lecture TIC pour le vérifier.",
            reading.path,
        )
    if tic.prm is None:
        why = (
            "la TIC est en mode historique (ADCO n'est pas le PRM)"
            if tic.mode == "historique"
            else "la TIC ne donne pas de PRM"
        )
        return CrossCheck(
            "prm_tic", CheckStatus.UNAVAILABLE, f"PRM : non vérifiable, {why}.", reading.path
        )
    if reading.value == tic.prm:
        return CrossCheck(
            "prm_tic",
            CheckStatus.OK,
            f"PRM : la photo ({reading.value}) et la TIC concordent{_suffix(reading)}.",
            reading.path,
        )
    extra = (
        " La valeur TIC figure parmi les lectures possibles : confirmez-la."
        if tic.prm in reading.candidates
        else " Vérifiez que la photo et la TIC viennent du même compteur."
    )
    return CrossCheck(
        "prm_tic",
        CheckStatus.MISMATCH,
        f"PRM : la photo indique {reading.value}, la TIC {tic.prm}.{extra}",
        reading.path,
    )


def check_index(reading: PhotoReading, tic: MeterReading | None) -> CrossCheck:
    """Photographed injection index [kWh] against TIC ``EAIT`` [Wh]."""
    if tic is None or tic.eait_wh is None:
        why = (
            "pas de lecture TIC"
            if tic is None
            else "la TIC ne donne pas EAIT (compteur en mode consommateur, normal "
            "avant la mise en service) : la photo fait foi"
        )
        return CrossCheck(
            "index_tic", CheckStatus.UNAVAILABLE, f"Index injection : {why}.", reading.path
        )
    assert reading.value is not None
    shown = int(reading.value)
    floor_kwh = tic.eait_wh // 1000
    if abs(shown - tic.eait_wh / 1000) <= INDEX_TOLERANCE_KWH:
        return CrossCheck(
            "index_tic",
            CheckStatus.OK,
            f"Index injection : la photo ({shown} kWh) concorde avec EAIT "
            f"({tic.eait_wh} Wh, soit {floor_kwh} kWh){_suffix(reading)}.",
            reading.path,
        )
    return CrossCheck(
        "index_tic",
        CheckStatus.MISMATCH,
        f"Index injection : la photo indique {shown} kWh mais EAIT vaut {tic.eait_wh} Wh "
        f"({floor_kwh} kWh). Vérifiez l'écran photographié (INDEX INJECTION et non un "
        "index de consommation) et le compteur.",
        reading.path,
    )


def check_date_exif(reading: PhotoReading) -> CrossCheck:
    """Photographed date against the photo's EXIF DateTimeOriginal."""
    assert reading.value is not None
    if reading.exif_time is None:
        return CrossCheck(
            "date_exif",
            CheckStatus.UNAVAILABLE,
            "Date : la photo n'indique pas quand elle a été prise (pas d'EXIF) ; "
            "envoyez l'original du téléphone plutôt qu'une copie retouchée.",
            reading.path,
        )
    gap = _date_gap(reading.value, reading.exif_time, DATE_EXIF_TOLERANCE)
    if not gap:
        return CrossCheck(
            "date_exif",
            CheckStatus.OK,
            f"Date : l'écran ({french_value(reading.value)}) concorde avec l'heure de prise de vue "
            f"({_local_naive(reading.exif_time):%d/%m/%Y %H:%M}){_suffix(reading)}.",
            reading.path,
        )
    hours = abs(gap.total_seconds()) / 3600
    hint = (
        " L'écart est proche d'un nombre entier d'heures : l'horloge de l'appareil photo "
        "est sans doute réglée sur un autre fuseau ou sans l'heure d'été."
        if date_has_time(reading.value)
        and 0.8 <= hours <= 3.2
        and abs(hours - round(hours)) * 60 <= DATE_EXIF_TOLERANCE.total_seconds() / 60
        else " Vérifiez que la photo a été prise le jour de la mise en service et que la "
        "date lue est la bonne."
    )
    return CrossCheck(
        "date_exif",
        CheckStatus.MISMATCH,
        f"Date : l'écran indique {french_value(reading.value)} mais la photo a été prise le "
        f"{_local_naive(reading.exif_time):%d/%m/%Y à %H:%M} (écart "
        f"{_format_delta(gap)}).{hint}",
        reading.path,
    )


def check_date_tic(reading: PhotoReading, tic: MeterReading | None) -> CrossCheck:
    """Photographed date against the TIC ``DATE`` (same site visit)."""
    assert reading.value is not None
    if tic is None or tic.meter_time is None:
        why = "pas de lecture TIC" if tic is None else "la TIC ne donne pas DATE"
        return CrossCheck("date_tic", CheckStatus.UNAVAILABLE, f"Date : {why}.", reading.path)
    gap = _date_gap(reading.value, tic.meter_time, DATE_TIC_TOLERANCE)
    tic_text = f"{_local_naive(tic.meter_time):%d/%m/%Y %H:%M}"
    if not gap:
        return CrossCheck(
            "date_tic",
            CheckStatus.OK,
            f"Date : l'écran ({french_value(reading.value)}) concorde avec l'horloge TIC "
            f"({tic_text}){_suffix(reading)}.",
            reading.path,
        )
    return CrossCheck(
        "date_tic",
        CheckStatus.MISMATCH,
        f"Date : l'écran indique {french_value(reading.value)}, l'horloge TIC {tic_text} (écart "
        f"{_format_delta(gap)}, plus de 12 h). La capture TIC vient-elle de la même visite ?",
        reading.path,
    )


def check_ads(readings: Sequence[PhotoReading], tic: MeterReading | None) -> list[CrossCheck]:
    """Meter address engraved above the screen (ADS) vs TIC ADSC/ADCO, and between photos.

    The 12-digit ADS is read (tesseract) from the references when legible: every photo
    should show the same meter, the one the TIC capture comes from.
    """
    seen = {(r.path, ads) for r in readings if (ads := ads_number(r.references)) is not None}
    checks: list[CrossCheck] = []
    numbers = sorted({ads for _, ads in seen})
    if len(numbers) > 1:
        checks.append(
            CrossCheck(
                "ads_photos",
                CheckStatus.MISMATCH,
                "Les références gravées ne désignent pas le même compteur sur toutes les "
                f"photos (ADS {', '.join(numbers)}). Photographiez un seul compteur.",
            )
        )
    if tic is not None and tic.meter_id:
        for number in numbers:
            if number == tic.meter_id:
                checks.append(
                    CrossCheck(
                        "ads_tic",
                        CheckStatus.OK,
                        f"Compteur : l'adresse gravée (ADS {number}) est celle de la TIC.",
                    )
                )
            elif sum(a != b for a, b in zip(number, tic.meter_id, strict=False)) <= 2:
                checks.append(
                    CrossCheck(
                        "ads_tic",
                        CheckStatus.UNAVAILABLE,
                        f"Compteur : l'adresse gravée lue ({number}) ressemble à celle de la "
                        f"TIC ({tic.meter_id}) à un ou deux chiffres près : lecture des "
                        "références incertaine.",
                    )
                )
            else:
                checks.append(
                    CrossCheck(
                        "ads_tic",
                        CheckStatus.MISMATCH,
                        f"Compteur : l'adresse gravée lue sur la photo (ADS {number}) diffère "
                        f"de celle de la TIC ({tic.meter_id}). Vérifiez qu'il s'agit du même "
                        "compteur (la lecture des références peut aussi être fautive).",
                    )
                )
    return checks


def check_consistency(readings: Sequence[PhotoReading]) -> list[CrossCheck]:
    """Screens photographed twice with different values, and screens missing."""
    checks: list[CrossCheck] = []
    for kind in (ScreenKind.PRM, ScreenKind.DATE, ScreenKind.INJECTION_INDEX):
        of_kind = [r for r in readings if r.screen == kind]
        label = SCREEN_LABELS[kind]
        if not of_kind:
            checks.append(
                CrossCheck(
                    f"photo_{kind.value}",
                    CheckStatus.MISSING,
                    f"Aucune photo de l'écran {label} : Enedis demande les trois écrans "
                    "(PRM, date courante, index injection).",
                )
            )
            continue
        values = {r.value for r in of_kind if r.value is not None}
        if len(values) > 1:
            checks.append(
                CrossCheck(
                    f"photos_{kind.value}",
                    CheckStatus.MISMATCH,
                    f"Les photos de l'écran {label} ne disent pas la même chose : "
                    + ", ".join(_shown_values(kind, values))
                    + ". Vérifiez-les.",
                )
            )
    return checks


def _shown_values(kind: ScreenKind, values: set[str]) -> list[str]:
    """The values as the installer reads them (« 20/11/2026 14:32 », « 12 kWh »), in their
    order (an index by its number, not as text: 9 before 12)."""
    if kind is ScreenKind.INJECTION_INDEX:
        ordered = sorted(values, key=lambda v: (not v.isdigit(), int(v) if v.isdigit() else 0, v))
        return [french_index(value) for value in ordered]
    return [french_value(value) for value in sorted(values)]


def cross_check(
    readings: Iterable[PhotoReading], tic: MeterReading | None = None
) -> list[CrossCheck]:
    """Every cross-check for a set of photo readings and an optional TIC reading."""
    items = list(readings)
    checks: list[CrossCheck] = []
    for reading in items:
        if reading.value is None:
            continue
        if reading.screen == ScreenKind.PRM:
            checks.append(check_prm(reading, tic))
        elif reading.screen == ScreenKind.INJECTION_INDEX:
            checks.append(check_index(reading, tic))
        elif reading.screen == ScreenKind.DATE:
            checks.append(check_date_exif(reading))
            checks.append(check_date_tic(reading, tic))
    checks.extend(check_ads(items, tic))
    checks.extend(check_consistency(items))
    return checks


__all__ = [
    "DATE_EXIF_TOLERANCE",
    "DATE_TIC_TOLERANCE",
    "INDEX_TOLERANCE_KWH",
    "CheckStatus",
    "CrossCheck",
    "check_ads",
    "check_consistency",
    "check_date_exif",
    "check_date_tic",
    "check_index",
    "check_prm",
    "cross_check",
]
