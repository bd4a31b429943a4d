"""The auto-MES service layer: one function per user action on a dossier file.

Both front ends (``linkytool mes`` and the terminal UI; the photo intake server too)
call these functions and render their frozen results; none prints, none imports click or
Textual. Each action loads what it needs, calls the pure cores (rules, layout, pack
plan), enforces the invariants, writes through :mod:`linkytool.fileio` (atomic, under the
dossier's lock for every read-modify-write) and returns a typed result or raises a
:class:`~linkytool.mes.errors.MesError` carrying fields (file, role, step...), never a
sentence naming a command-line option.

Actions: :func:`new_dossier`, :func:`import_tic`, :func:`record_tic_reading`,
:func:`import_photos`, :func:`record_photo` (the one route from a photo to a dossier
value), :func:`record_reading`, :func:`record_decoupling_test`, :func:`check`,
:func:`attest`, :func:`sign`, :func:`pack`, :func:`verify`.

Invariants: a reading is tied by hash to its photo or capture (stale otherwise, see
:func:`linkytool.mes.rules.reading_staleness`); a final attestation is signed (PAdES or
both signature images) or explicitly "to print and sign by hand"; the attestation
produced is recorded by hash and is exactly the one packed; no output replaces a file of
the dossier; a finished decoupling test is only replaced on request.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from linkytool.errors import InputFileError, LinkytoolError, OutputError, describe_os_error
from linkytool.fileio import (
    atomic_write_bytes,
    atomic_write_text,
    locked,
    read_regular_file,
    real_target,
    sha256_file,
    user_path,
)
from linkytool.mes.attestation_check import (
    AttestationChange,
    check_attestation,
    dossier_changes,
    signature_kind,
    unverifiable,
)
from linkytool.mes.decoupling import DecouplingTestResult, evaluate_decoupling_test, record_test
from linkytool.mes.errors import (
    AttestationError,
    DossierExistsError,
    DossierFileOutputError,
    DossierPhotoError,
    MesError,
    OcrUnavailableError,
    PrerequisitesError,
    TestOverwriteError,
    TicCaptureEmptyError,
    TicForeignCaptureError,
    UnsignedAttestationError,
    VerifyInputError,
)
from linkytool.mes.model import (
    SCREEN_KINDS,
    SIGNATURE_LABELS,
    Attestation,
    DecouplingTest,
    Dossier,
    Reading,
    ReadingField,
    ReadingSource,
    SignatureKind,
)
from linkytool.mes.pack import (
    PackResult,
    ScreenReader,
    build_pack,
    default_screen_reader,
    screens_to_read,
)
from linkytool.mes.photos import (
    MAX_PHOTO_BYTES,
    PathNamer,
    PhotoFacts,
    hash_sources,
    inspect_photos,
    resolve,
    sha256_bytes,
)
from linkytool.mes.readings import (
    TicSummary,
    engraved_meter_id,
    normalise_value,
    readings_from_tic,
)
from linkytool.mes.readings import record_reading as add_reading
from linkytool.mes.rules import (
    NO_REFERENCES,
    CheckSettings,
    RuleOutcome,
    confirmed_values,
    evaluate_rules,
    signing_date_problems,
    source_files,
)
from linkytool.mes.schema import PARIS, to_paris
from linkytool.mes.signing import (
    SignatureReport,
    certificate_warnings,
    french_name,
    load_signer,
    read_embedded_summary,
    sign_pdf,
    verify_signature,
)
from linkytool.mes.store import (
    load_dossier,
    new_dossier_text,
    save_dossier,
    update_dossier,
    validate_dossier,
)
from linkytool.mes.submission import SubmittedPhoto, load_submitted_photos, read_signature_image
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.screen_titles import shows_screen
from linkytool.textfmt import french_datetime

#: Largest attestation PDF read back [bytes] (ours are 0.2–2 MB).
MAX_PDF_BYTES = 50_000_000


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(PARIS)).replace(microsecond=0)


def dossier_relative(base_dir: Path, path: str | os.PathLike[str]) -> str:
    """``path`` as the dossier stores it: relative to the dossier's directory."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))


def dossier_files(dossier: Dossier, dossier_path: Path, *, attestation: bool = True) -> list[Path]:
    """The files that belong to the dossier: itself, photos, signature images, test
    evidence, files readings were taken from, and (``attestation``) the attestation
    produced. No output may replace one of them."""
    base = dossier_path.parent
    names = [getattr(dossier.photos, role.value) for role in ReadingField]
    names += [dossier.signatures.producer_image, dossier.signatures.installer_image]
    names += [dossier.decoupling_test.photo, dossier.decoupling_test.tic_evidence]
    names += sorted(source_files(dossier))
    if attestation:
        names.append(dossier.attestation.file)
    return [dossier_path, *(resolve(base, name) for name in names if name)]


def refuse_overwriting_dossier_files(
    dossier: Dossier, dossier_path: str | Path, output: str | Path, *, attestation: bool = False
) -> None:
    """Raise :class:`DossierFileOutputError` when ``output`` is a file of the dossier."""
    try:
        target = real_target(output)
    except (OSError, ValueError):
        return
    for path in dossier_files(dossier, Path(dossier_path), attestation=attestation):
        try:
            if real_target(path) == target:
                raise DossierFileOutputError(str(output), str(path))
        except (OSError, ValueError):
            continue


# -- new dossier -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDossierResult:
    """A dossier created from the commented template."""

    path: Path
    replaced: bool


def new_dossier(path: str | Path, *, force: bool = False) -> NewDossierResult:
    """Write the commented French template at ``path`` (:class:`DossierExistsError` when a
    file is there, unless ``force``)."""
    target = Path(path)
    with locked(target):
        exists = target.exists()
        if exists and not force:
            raise DossierExistsError(str(target))
        atomic_write_text(target, new_dossier_text())
    return NewDossierResult(target, exists)


# -- TIC ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicImportResult:
    """The readings a TIC capture (or the live TIC) added to the dossier."""

    path: Path
    capture: str | None  # as stored in the dossier (None for the live TIC)
    prm: str | None
    meter_id: str | None
    recorded: tuple[ReadingField, ...]


def record_tic_reading(
    dossier_path: str | Path, summary: TicSummary, *, capture: str | Path | None = None
) -> TicImportResult:
    """Record what the TIC says (PRM, meter date, injection index in producer mode), tied
    to the capture file by its hash when there is one."""
    path = Path(dossier_path)
    declared = dossier_relative(path.parent, capture) if capture is not None else None
    digest = None
    if capture is not None:
        try:
            digest = sha256_file(capture)
        except (OSError, ValueError) as exc:
            raise InputFileError(f"Capture TIC illisible : {capture}.") from exc
    recorded: list[ReadingField] = []

    def change(dossier: Dossier) -> Dossier:
        if dossier.case.prm and summary.prm and summary.prm != dossier.case.prm:
            raise TicForeignCaptureError(
                declared or "TIC en direct", prm=summary.prm, dossier_prm=dossier.case.prm
            )
        updated = readings_from_tic(dossier, summary, capture=declared, sha256=digest)
        for which in ReadingField:
            if len(updated.readings.history(which)) > len(dossier.readings.history(which)):
                recorded.append(which)
        if not recorded:
            raise TicCaptureEmptyError(declared or "TIC en direct")
        return updated

    update_dossier(path, change)
    return TicImportResult(
        path, declared, summary.prm, getattr(summary, "meter_id", None), tuple(recorded)
    )


def import_tic(dossier_path: str | Path, capture: str | Path) -> TicImportResult:
    """Decode a TIC capture file and record its readings (see :func:`record_tic_reading`)."""
    from linkytool.tic.capture_summary import summarize_capture

    return record_tic_reading(dossier_path, summarize_capture(capture), capture=capture)


# -- photos ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoRecordResult:
    """A value recorded from a photo, with its provenance."""

    role: ReadingField
    file: str  # as stored in the dossier
    sha256: str
    value: str
    source: ReadingSource  # photo (as read), or manual (corrected by the user)
    confidence: float | None
    confident: bool
    confirmed: bool
    screen: str | None
    meter_id: str | None
    warnings: tuple[str, ...]  # French

    @property
    def to_confirm(self) -> bool:
        """The OCR value is not sure and the user has not confirmed it."""
        return self.source is ReadingSource.PHOTO and not (self.confident or self.confirmed)


def _screen_of(reading: Any) -> str:
    screen = getattr(reading, "screen", None)
    return str(getattr(screen, "value", screen))


def _check_photo_file(photo: Path) -> None:
    """A photo must be a regular file of sensible size before anything reads it."""
    try:
        info = os.stat(photo)
    except (OSError, ValueError) as exc:
        raise DossierPhotoError(
            f"Photo introuvable ou illisible : {photo}.", file=str(photo)
        ) from exc
    import stat

    if not stat.S_ISREG(info.st_mode):
        raise DossierPhotoError(
            f"{photo} n'est pas un fichier ordinaire (dossier, périphérique ou tube).",
            file=str(photo),
        )
    if info.st_size > MAX_PHOTO_BYTES:
        raise DossierPhotoError(
            f"{photo} est trop volumineux pour une photo ({info.st_size // 1_000_000} Mo).",
            file=str(photo),
        )


#: How far in the future a photo's EXIF time may be (clocks differ a little) [timedelta].
FUTURE_PHOTO_SLACK = timedelta(minutes=5)


def record_photo(
    dossier_path: str | Path,
    role: ReadingField | str,
    photo_path: str | Path,
    reading: Any = None,
    *,
    value: str | None = None,
    confirmed: bool = False,
) -> PhotoRecordResult:
    """Record a value read on a photo (or typed from it) in the dossier: the one route
    from a photo to a dossier value, for the command line, the UI and the photo intake.

    ``reading`` is what OCR read (a :class:`linkytool.ocr.PhotoReading`, or None when
    the user typed the value without OCR); ``value`` the value the user confirmed or
    corrected (default: the value read). The photo becomes the dossier's photo for
    ``role``; the reading keeps the photo's SHA-256, screen, confidence and the engraved
    meter number, so that replacing the photo makes it stale. A photo of another screen
    is refused (:class:`DossierPhotoError` with ``file``, ``role``, ``screen``).
    ``confirmed`` records that the user checked an OCR value against the screen.
    """
    field = ReadingField(role)
    path = Path(dossier_path)
    photo = Path(photo_path)
    _check_photo_file(photo)
    file = dossier_relative(path.parent, photo)
    screen = _screen_of(reading) if reading is not None else None
    expected = SCREEN_KINDS[field]
    if screen is not None and screen != expected:
        raise DossierPhotoError(
            f"La photo {photo.name} {shows_screen(screen)} (attendu : "
            f"« {SCREEN_TITLES[field]} ») : valeur non enregistrée.",
            hint="Reprenez la photo du bon écran (touche + du compteur).",
            file=file,
            role=field.value,
            screen=screen,
        )
    read_value = getattr(reading, "value", None) if reading is not None else None
    final = value if value is not None and value.strip() else read_value
    if not final:
        raise DossierPhotoError(
            f"Aucune valeur lisible sur la photo {photo.name}.",
            hint="Reprenez la photo de face, sans reflet, ou saisissez la valeur.",
            file=file,
            role=field.value,
        )
    normalised = normalise_value(field, final)
    corrected = read_value is None or normalise_value(field, read_value) != normalised
    try:
        digest = sha256_file(photo)
    except (OSError, ValueError) as exc:
        raise DossierPhotoError(f"Photo illisible : {photo}.", file=file) from exc
    references = getattr(reading, "references", None) if reading is not None else None
    confident = corrected or bool(getattr(reading, "confident", True))
    source = ReadingSource.MANUAL if corrected else ReadingSource.PHOTO
    confidence = None
    if not corrected and reading is not None:
        confidence = round(float(getattr(reading, "confidence", 1.0)), 3)
    warnings: list[str] = []
    if field is ReadingField.PRM and reading is not None and not (references or "").strip():
        warnings.append(NO_REFERENCES)
    if source is ReadingSource.PHOTO and not (confident or confirmed):
        warnings.append(f"« {SCREEN_TITLES[field]} » = {normalised} est à confirmer")
    note = "valeur corrigée à la main d'après la photo" if corrected and reading else ""
    meter_id = engraved_meter_id(references)
    taken = getattr(reading, "exif_time", None) if reading is not None else None
    if isinstance(taken, datetime) and taken > _now(None) + FUTURE_PHOTO_SLACK:
        raise DossierPhotoError(
            f"La photo {photo.name} est datée par l'appareil du "
            f"{french_datetime(to_paris(taken))}, dans l'avenir : l'horloge du téléphone "
            "n'est pas à l'heure ; valeur non enregistrée.",
            hint="Mettez le téléphone à l'heure et reprenez la photo, ou saisissez la valeur "
            f"affichée en nommant la photo (linkytool mes reading DOSSIER {field.value} VALEUR "
            "--file PHOTO) : sans elle, la lecture sûre de la photo l'emporterait.",
            file=file,
            role=field.value,
        )

    def change(dossier: Dossier) -> Dossier:
        updated = add_reading(
            dossier,
            field,
            normalised,
            source,
            at=taken,
            confidence=confidence,
            file=file,
            sha256=digest,
            screen=screen,
            note=note,
            meter_id=meter_id,
            references=references,
            confirmed=confirmed and not corrected,
        )
        setattr(updated.photos, field.value, file)
        return updated

    update_dossier(path, change)
    return PhotoRecordResult(
        field,
        file,
        digest,
        normalised,
        source,
        confidence,
        confident,
        confirmed and not corrected,
        screen,
        meter_id,
        tuple(warnings),
    )


@dataclass(frozen=True)
class PhotoProblem:
    """A dossier photo that could not give its value."""

    role: ReadingField
    file: str  # as declared ("" when not filled in)
    message: str  # French


@dataclass(frozen=True)
class PhotoImportResult:
    """What :func:`import_photos` recorded and what must be retaken or confirmed."""

    path: Path
    recorded: tuple[PhotoRecordResult, ...]
    problems: tuple[PhotoProblem, ...]

    @property
    def complete(self) -> bool:
        """Every photo gave a sure value."""
        return not self.problems and not any(item.to_confirm for item in self.recorded)


def import_photos(
    dossier_path: str | Path, *, reader: ScreenReader | None = None
) -> PhotoImportResult:
    """Read the three photos the dossier names with OCR and record each value through
    :func:`record_photo` (a wrong screen or an unreadable photo is a problem, the other
    photos are still recorded)."""
    read = reader or default_screen_reader()
    if read is None:
        raise OcrUnavailableError(
            "La lecture des photos (OCR) n'est pas disponible dans cette installation."
        )
    from linkytool.ocr.errors import read_guarded  # with the reader: OCR is optional

    path = Path(dossier_path)
    dossier = load_dossier(path)
    recorded: list[PhotoRecordResult] = []
    problems: list[PhotoProblem] = []
    for role in ReadingField:
        declared = getattr(dossier.photos, role.value)
        if not declared:
            problems.append(PhotoProblem(role, "", "photo non renseignée"))
            continue
        photo = resolve(path.parent, declared)
        try:
            _check_photo_file(photo)
            recorded.append(record_photo(path, role, photo, read_guarded(read, photo)))
        except OutputError:
            raise  # the dossier cannot be written: no photo to retake, one error for all
        except LinkytoolError as exc:
            problems.append(PhotoProblem(role, declared, exc.message))
    return PhotoImportResult(path, tuple(recorded), tuple(problems))


# -- typed readings ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingResult:
    """A reading added to the dossier's history (the new current value)."""

    path: Path
    which: ReadingField
    reading: Reading


def record_reading(
    dossier_path: str | Path,
    which: ReadingField | str,
    value: str,
    *,
    source: ReadingSource | str = ReadingSource.MANUAL,
    at: datetime | None = None,
    confidence: float | None = None,
    file: str | None = None,
    note: str = "",
) -> ReadingResult:
    """Append a reading; ``file`` (relative to the dossier, or absolute) must exist: the
    reading is tied to its content by hash, and the file is named as the dossier names its
    photos (relative to the dossier, normalised), so that a photo given by another path
    is still recognised as the one the dossier declares."""
    field = ReadingField(which)
    path = Path(dossier_path)
    digest = None
    if file:
        try:
            digest = sha256_file(resolve(path.parent, file))
        except (OSError, ValueError) as exc:
            where = (
                ""
                if os.path.isabs(file)
                else f" (relatif au dossier, soit {user_path(resolve(path.parent, file))})"
            )
            raise InputFileError(f"Fichier lu introuvable ou illisible : {file}{where}.") from exc
        file = dossier_relative(path.parent, resolve(path.parent, file))
    updated = update_dossier(
        path,
        lambda dossier: add_reading(
            dossier,
            field,
            value,
            source,
            at=at,
            confidence=confidence,
            file=file,
            sha256=digest,
            note=note,
        ),
    )
    current = updated.readings.current(field)
    assert current is not None
    return ReadingResult(path, field, current)


# -- decoupling test ---------------------------------------------------------------------


@dataclass(frozen=True)
class DecouplingTestChanges:
    """Steps of the decoupling test to record (None: unchanged). ``restart`` starts a new
    test (every earlier step forgotten) before applying the others."""

    coupled_at: datetime | None = None
    injecting_w: float | None = None
    breaker_opened_at: datetime | None = None
    decoupled_at: datetime | None = None
    delay_s: float | None = None
    decoupling_seen: bool | None = None
    message: str | None = None
    photo: str | None = None
    tic_evidence: str | None = None
    restart: bool = False

    def fields(self) -> dict[str, Any]:
        """The changes as keyword arguments of :func:`linkytool.mes.decoupling.record_test`."""
        values = dataclasses.asdict(self)
        values.pop("restart")
        return values


#: French names of the test fields (for "would change ...").
TEST_FIELD_LABELS: dict[str, str] = {
    "coupled_at": "heure de couplage",
    "injecting_w": "puissance injectée",
    "breaker_opened_at": "ouverture du disjoncteur",
    "decoupled_at": "heure du découplage",
    "delay_s": "délai",
    "decoupling_seen": "découplage constaté",
    "message": "message de l'onduleur",
    "photo": "photo du message",
    "tic_evidence": "capture TIC",
}


@dataclass(frozen=True)
class DecouplingTestRecord:
    """The decoupling test as recorded, and its verdict."""

    path: Path
    test: DecouplingTest
    result: DecouplingTestResult
    replaced: bool  # a finished test was replaced (on request)


def _is_file(path: Path) -> bool:
    """True for an existing file; False for anything else, never an exception."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def record_decoupling_test(
    dossier_path: str | Path,
    changes: DecouplingTestChanges,
    *,
    overwrite: bool = False,
    settings: CheckSettings | None = None,
) -> DecouplingTestRecord:
    """Record steps of the decoupling test and judge it (delay, message, during this
    commissioning). Changing a test that is already finished raises
    :class:`TestOverwriteError` (nothing saved) unless ``overwrite``."""
    path = Path(dossier_path)
    settings = settings or CheckSettings()
    replaced = False
    for label, given in (
        ("photo du message", changes.photo),
        ("capture TIC", changes.tic_evidence),
    ):
        if given and not _is_file(resolve(path.parent, given)):
            raise InputFileError(
                f"Fichier introuvable pour la {label} de l'essai : {given} (chemin relatif au "
                f"dossier, soit {user_path(resolve(path.parent, given))}). Rien n'a été "
                "enregistré.",
                hint="Donnez le chemin d'un fichier existant, relatif au dossier (.toml).",
            )

    def change(dossier: Dossier) -> Dossier:
        nonlocal replaced
        current = dossier.decoupling_test
        start = DecouplingTest() if changes.restart else current
        new = record_test(start, **changes.fields())
        finished = evaluate_decoupling_test(current).complete
        altered = [
            TEST_FIELD_LABELS[name]
            for name in TEST_FIELD_LABELS
            if getattr(current, name) not in (None, "", False)
            and getattr(new, name) != getattr(current, name)
        ]
        updated = copy.deepcopy(dossier)
        updated.decoupling_test = new
        if finished and altered:
            validate_dossier(updated, path)  # never ask to replace with an invalid value
            if not overwrite:
                raise TestOverwriteError(altered)
            replaced = True
        return updated

    updated = update_dossier(path, change)
    result = evaluate_decoupling_test(
        updated.decoupling_test,
        max_delay_s=settings.max_decoupling_delay_s,
        commissioned_at=updated.commissioning.at,
        clock_tolerance_min=settings.max_commissioning_gap_min,
    )
    return DecouplingTestRecord(path, updated.decoupling_test, result, replaced)


# -- check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """Every prerequisite of the dossier with its verdict."""

    path: Path
    outcomes: tuple[RuleOutcome, ...]
    #: What changed in the dossier since its recorded attestation was produced (a field
    #: it prints, a photo it hashed; empty when none is recorded or it still matches): it
    #: must be produced again. The pack refuses it for the same reasons.
    attestation_changes: tuple[AttestationChange, ...] = ()
    #: What keeps ``mes attest`` from producing the attestation besides the prerequisites
    #: (French; the signing date: :func:`linkytool.mes.rules.signing_date_problems`).
    attestation_blockers: tuple[str, ...] = ()

    @property
    def satisfied(self) -> bool:
        """Every prerequisite is satisfied."""
        return all(outcome.satisfied for outcome in self.outcomes)

    @property
    def attestable(self) -> bool:
        """``mes attest`` would produce a final attestation from the dossier as it is."""
        return self.satisfied and not self.attestation_blockers

    @property
    def failing(self) -> tuple[RuleOutcome, ...]:
        """The prerequisites not (yet) satisfied."""
        return tuple(outcome for outcome in self.outcomes if not outcome.satisfied)

    @property
    def warnings(self) -> tuple[str, ...]:
        """French warnings that do not change a verdict (engraved references...)."""
        return tuple(warning for outcome in self.outcomes for warning in outcome.warnings)


def _outcomes(
    dossier: Dossier,
    base: Path,
    photos: Mapping[ReadingField, SubmittedPhoto] | Mapping[ReadingField, PhotoFacts] | None,
    settings: CheckSettings,
) -> list[RuleOutcome]:
    facts = (
        {
            role: photo.original if isinstance(photo, SubmittedPhoto) else photo
            for role, photo in photos.items()
        }
        if photos is not None
        else inspect_photos(dossier, base)
    )
    return evaluate_rules(
        dossier,
        facts,
        settings,
        sources=hash_sources(source_files(dossier), base),
        names=PathNamer(base),
    )


def check(
    dossier_path: str | Path,
    *,
    settings: CheckSettings | None = None,
    now: datetime | None = None,
) -> CheckResult:
    """Evaluate every prerequisite (stale readings are reported, not counted), what
    changed since the recorded attestation, and what else would keep the attestation
    from being produced (its signing date)."""
    path = Path(dossier_path)
    dossier = load_dossier(path)
    settings = settings or CheckSettings()
    photos = inspect_photos(dossier, path.parent)
    return CheckResult(
        path,
        tuple(_outcomes(dossier, path.parent, photos, settings)),
        _attestation_changes(dossier, path.parent, photos, settings),
        tuple(signing_date_problems(dossier, _now(now))),
    )


def attestation_changes(dossier_path: str | Path) -> tuple[AttestationChange, ...]:
    """What changed in the dossier since its recorded attestation was produced (empty when
    none is recorded or it still matches): what ``check`` reports, alone (the UI's
    stale-attestation line, without evaluating the prerequisites)."""
    path = Path(dossier_path)
    dossier = load_dossier(path)
    return _attestation_changes(
        dossier, path.parent, inspect_photos(dossier, path.parent), CheckSettings()
    )


def _attestation_changes(
    dossier: Dossier,
    base: Path,
    photos: Mapping[ReadingField, PhotoFacts],
    settings: CheckSettings,
) -> tuple[AttestationChange, ...]:
    """What changed since the recorded attestation (:func:`dossier_changes`: the fields
    it prints, the photos it hashed, compared by file hash, or prepared as the pack
    sends them for an attestation that did not record those)."""
    if not dossier.attestation.file:
        return ()
    source = resolve(base, dossier.attestation.file)
    try:
        pdf = source.read_bytes()
    except OSError as exc:
        text = (
            f"l'attestation enregistrée {user_path(source)} est illisible "
            f"({describe_os_error(exc)})"
        )
        return (unverifiable(text),)

    def prepare(keep_gps: bool) -> dict[ReadingField, SubmittedPhoto]:
        return load_submitted_photos(dossier, base, keep_gps=keep_gps, settings=settings)

    return dossier_changes(pdf, dossier, photos, prepare)


def confirmed_photo_values(dossier_path: str | Path) -> dict[str, str]:
    """The values the installer confirmed on the dossier's current photos (or typed
    without one), per field name (``prm``, ``date``, ``injection_index``): what the
    Photos screen of a reopened dossier shows as confirmed. A photo changed since its
    confirmation is hashed again here and voids it (:func:`linkytool.mes.rules.
    confirmed_values`)."""
    path = Path(dossier_path)
    dossier = load_dossier(path)
    sources = hash_sources(source_files(dossier), path.parent)
    return {which.value: value for which, value in confirmed_values(dossier, sources).items()}


# -- attestation -------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    """A PKCS#12 key (file bytes) and its password."""

    data: bytes
    password: bytes | None = None


@dataclass(frozen=True)
class AttestationRequest:
    """How to produce the attestation."""

    draft: bool = False
    producer_signature: Path | None = None
    installer_signature: Path | None = None
    key: SigningKey | None = None
    #: Make a final attestation meant to be printed and signed by hand (says so on its
    #: face) when neither signature images nor a key are given.
    by_hand: bool = False
    keep_gps: bool = False
    settings: CheckSettings = dataclasses.field(default_factory=CheckSettings)
    now: datetime | None = None


@dataclass(frozen=True)
class BuiltAttestation:
    """An attestation laid out (and signed) in memory."""

    pdf: bytes
    outcomes: list[RuleOutcome]
    draft: bool
    signature: SignatureKind | None
    photos: dict[ReadingField, SubmittedPhoto]
    warnings: tuple[str, ...]

    @property
    def signed(self) -> bool:
        """True when the PDF carries a PAdES signature."""
        return self.signature is SignatureKind.PADES


def _signature_path(given: Path | None, declared: str, base: Path) -> Path | None:
    if given is not None:
        return Path(given)
    return resolve(base, declared) if declared else None


def build_attestation(
    dossier: Dossier, base_dir: str | Path, request: AttestationRequest | None = None
) -> BuiltAttestation:
    """Check the prerequisites, lay out the attestation and sign it (no file written).

    Raises :class:`PrerequisitesError` while a prerequisite fails, unless a draft is
    asked for, and :class:`UnsignedAttestationError` for a final attestation that would
    carry no signature at all.
    """
    request = request or AttestationRequest()
    base = Path(base_dir)
    settings = request.settings
    photos = load_submitted_photos(dossier, base, keep_gps=request.keep_gps, settings=settings)
    outcomes = _outcomes(dossier, base, photos, settings)
    problems = [f"{o.title} : {o.detail}" for o in outcomes if not o.satisfied]
    problems += [f"photo {p.role.value} : {p.error}" for p in photos.values() if p.error]
    signing_date = signing_date_problems(dossier, _now(request.now))
    if (problems or signing_date) and not request.draft:
        raise PrerequisitesError(problems, what="Attestation", signing_date=signing_date)
    producer_path = _signature_path(
        request.producer_signature, dossier.signatures.producer_image, base
    )
    installer_path = _signature_path(
        request.installer_signature, dossier.signatures.installer_image, base
    )
    producer = (
        read_signature_image(producer_path, "signature du producteur") if producer_path else None
    )
    installer = (
        read_signature_image(installer_path, "signature de l'installateur")
        if installer_path
        else None
    )
    moment = _now(request.now)
    warnings: tuple[str, ...] = ()
    signer = None
    if request.key is not None:
        signer = load_signer(request.key.data, request.key.password)
        warnings = key_warnings(signer, moment)
    signature: SignatureKind | None = None
    if not request.draft:
        if signer is not None:
            signature = SignatureKind.PADES
        elif request.by_hand:  # asked for explicitly: wins over images kept in the dossier
            signature = SignatureKind.BY_HAND
        elif producer and installer:
            signature = SignatureKind.IMAGES
        else:
            absent = []
            if not producer:
                absent.append("image de la signature du producteur")
            if not installer:
                absent.append("image de la signature de l'installateur")
            absent.append("clé de signature électronique")
            raise UnsignedAttestationError(absent)
    from linkytool.mes.attestation import AttestationInputs, build_attestation_pdf  # reportlab

    inputs = AttestationInputs(
        dossier=dossier,
        outcomes=outcomes,
        photos={role: p.sent_facts for role, p in photos.items()},
        photo_bytes={role: p.prepared.data for role, p in photos.items() if p.prepared},
        generated_at=moment,
        producer_signature=producer,
        installer_signature=installer,
        draft=request.draft,
        max_delay_s=settings.max_decoupling_delay_s,
        signature=signature,
        keep_gps=request.keep_gps,
        original_sha256={role: p.original.sha256 for role, p in photos.items()},
    )
    pdf = build_attestation_pdf(inputs)
    if request.key is not None:
        pdf = sign_pdf(
            pdf,
            request.key.data,
            request.key.password,
            location=dossier.commissioning.place or None,
        )
    return BuiltAttestation(pdf, outcomes, request.draft, signature, photos, warnings)


def signer_name(signer: Any) -> str | None:
    """The signing certificate's subject in French (:func:`signing.french_name`)."""
    certificate = getattr(signer, "signing_cert", None)
    return french_name(certificate.subject) if certificate is not None else None


def key_warnings(signer: Any, now: datetime) -> tuple[str, ...]:
    """French warnings about the signing certificate (expired, not yet valid)."""
    from linkytool.mes.signing import _native_validity

    certificate = getattr(signer, "signing_cert", None)
    if certificate is None:
        return ()
    return certificate_warnings(_native_validity(certificate), now)


@dataclass(frozen=True)
class AttestationResult:
    """An attestation written to ``path`` (and, for a final one, recorded in the dossier)."""

    path: Path
    size_bytes: int
    sha256: str
    draft: bool
    signature: SignatureKind | None
    outcomes: tuple[RuleOutcome, ...]
    warnings: tuple[str, ...]  # French (expired certificate...)

    @property
    def signed(self) -> bool:
        """True when the PDF carries a PAdES signature."""
        return self.signature is SignatureKind.PADES


def attest(
    dossier_path: str | Path, output: str | Path, request: AttestationRequest | None = None
) -> AttestationResult:
    """Produce the attestation at ``output``. A final one is recorded in the dossier
    (file, hash, how it is signed) and signature images given are remembered there; a
    draft is never recorded. ``output`` may not be a file of the dossier."""
    request = request or AttestationRequest()
    path = Path(dossier_path)
    target = Path(output)
    base = path.parent
    with locked(path):
        dossier = load_dossier(path)
        refuse_overwriting_dossier_files(dossier, path, target)
        built = build_attestation(dossier, base, request)
        atomic_write_bytes(target, built.pdf)
        digest = sha256_bytes(built.pdf)
        if not built.draft:
            updated = copy.deepcopy(dossier)
            if request.producer_signature is not None:
                updated.signatures.producer_image = dossier_relative(
                    base, request.producer_signature
                )
            if request.installer_signature is not None:
                updated.signatures.installer_image = dossier_relative(
                    base, request.installer_signature
                )
            updated.attestation = Attestation(
                file=dossier_relative(base, target),
                sha256=digest,
                signature=built.signature,
                produced_at=_now(request.now),
            )
            try:
                save_dossier(updated, path)
            except OutputError as exc:
                raise OutputError(
                    f"L'attestation est écrite ({target}), mais le dossier ne peut pas "
                    f"l'enregistrer : {exc.message}",
                    hint="mes pack ne l'enverra pas tant que le dossier ne l'enregistre pas : "
                    "rendez le dossier modifiable (ou copiez-le ailleurs avec ses photos) et "
                    "relancez mes attest.",
                ) from exc
    return AttestationResult(
        target,
        len(built.pdf),
        digest,
        built.draft,
        built.signature,
        tuple(built.outcomes),
        built.warnings,
    )


@dataclass(frozen=True)
class SignResult:
    """An attestation signed electronically (PAdES) and recorded as such."""

    path: Path
    signer: str | None
    warnings: tuple[str, ...]


def _read_pdf(path: Path) -> bytes:
    try:
        return read_regular_file(path, limit=MAX_PDF_BYTES, what="attestation")
    except InputFileError as exc:
        raise AttestationError(f"Attestation illisible : {exc.message}", file=str(path)) from exc


def sign(
    dossier_path: str | Path,
    key: SigningKey,
    *,
    attestation: str | Path | None = None,
    output: str | Path | None = None,
    now: datetime | None = None,
) -> SignResult:
    """Add a PAdES signature to the dossier's attestation (or ``attestation``, which must
    be a final one for this dossier) and record the signed file in the dossier."""
    path = Path(dossier_path)
    base = path.parent
    with locked(path):
        dossier = load_dossier(path)
        source = _attestation_path(dossier, base, attestation)
        pdf = _read_pdf(source)
        photos = load_submitted_photos(
            dossier, base, keep_gps=_keeps_gps(pdf), settings=CheckSettings()
        )
        verdict = check_attestation(
            pdf, dossier, photos, recorded_sha256=dossier.attestation.sha256
        )
        if verdict.ok and verdict.signature is SignatureKind.BY_HAND:
            verdict = dataclasses.replace(
                verdict,
                problems=(
                    "elle est à imprimer et signer à la main (chaque page le dit) : signée "
                    "électroniquement, elle se contredirait ; produisez-la pour une signature "
                    f"électronique (linkytool mes attest {path} -o ... --sign-p12 CLE.p12)",
                ),
            )
        if not verdict.ok:
            raise AttestationError(
                f"L'attestation {user_path(source)} ne peut pas être signée :",
                file=str(source),
                problems=verdict.problems,
            )
        target = Path(output) if output is not None else source
        refuse_overwriting_dossier_files(dossier, path, target)
        signer = load_signer(key.data, key.password)
        signed = sign_pdf(pdf, key.data, key.password, location=dossier.commissioning.place or None)
        atomic_write_bytes(target, signed)
        updated = copy.deepcopy(dossier)
        updated.attestation = Attestation(
            file=dossier_relative(base, target),
            sha256=sha256_bytes(signed),
            signature=SignatureKind.PADES,
            produced_at=_now(now),
        )
        save_dossier(updated, path)
    # the name as verify reports it (the same certificate), without validating the
    # signature just made against the system's trust roots (issue 14: 0.1 s of CPU)
    return SignResult(target, signer_name(signer), key_warnings(signer, _now(now)))


# -- pack --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackRequest:
    """How to build the submission pack."""

    #: The attestation to send instead of the one recorded in the dossier.
    attestation: Path | None = None
    settings: CheckSettings = dataclasses.field(default_factory=CheckSettings)
    now: datetime | None = None
    #: Reads a photo's screen when the dossier has no matching OCR result (default:
    #: ``linkytool.ocr.read_photo`` when installed).
    screen_reader: ScreenReader | None = None
    use_ocr: bool = True


@dataclass(frozen=True)
class PackOutcome:
    """The pack written, and which attestation it carries."""

    pack: PackResult
    attestation: Path


def _attestation_path(dossier: Dossier, base: Path, given: str | Path | None) -> Path:
    if given is not None:
        return Path(given)
    if not dossier.attestation.file:
        raise AttestationError(
            "Aucune attestation finale n'a encore été produite pour ce dossier.", file=None
        )
    return resolve(base, dossier.attestation.file)


def _keeps_gps(pdf: bytes) -> bool:
    try:
        summary = read_embedded_summary(pdf)
    except MesError:
        return False
    return bool(summary and summary.get("keep_gps"))


#: Archive suffixes the pack is not written as (a folder named so would be made).
OTHER_ARCHIVES = frozenset({".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar"})


def pack(
    dossier_path: str | Path, output: str | Path, request: PackRequest | None = None
) -> PackOutcome:
    """Write the Enedis-Connect pack: exactly the attestation produced (recorded in the
    dossier, or the one given if it still matches the dossier), the three photos as the
    attestation hashed them, message.txt, manifest and SHA256SUMS. Nothing replaces a
    file of the dossier; the whole set appears at once or not at all."""
    request = request or PackRequest()
    path = Path(dossier_path)
    base = path.parent
    destination = Path(output)
    if destination.suffix.lower() in OTHER_ARCHIVES:
        raise OutputError(
            f"{destination} : le dossier d'envoi s'écrit dans un dossier ou une archive .zip, "
            f"pas en {destination.suffix} (un dossier de ce nom aurait été créé).",
            hint=f"Donnez {destination.with_suffix('.zip')} ou un nom de dossier.",
        )
    if destination.suffix.lower() != ".zip" and destination.exists() and not destination.is_dir():
        raise OutputError(
            f"{destination} est un fichier, pas un dossier : le dossier d'envoi ne peut pas y "
            "être écrit.",
            hint="Donnez le nom d'un dossier (créé au besoin) ou d'une archive .zip.",
        )
    dossier = load_dossier(path)
    source = _attestation_path(dossier, base, request.attestation)
    pdf = _read_pdf(source)
    settings = request.settings
    photos = load_submitted_photos(dossier, base, keep_gps=_keeps_gps(pdf), settings=settings)
    outcomes = _outcomes(dossier, base, photos, settings)
    problems = [f"{o.title} : {o.detail}" for o in outcomes if not o.satisfied]
    problems += [f"photo {p.role.value} : {p.error}" for p in photos.values() if p.error]
    if problems:
        raise PrerequisitesError(problems, what="Dossier d'envoi")
    verdict = check_attestation(pdf, dossier, photos, recorded_sha256=dossier.attestation.sha256)
    if not verdict.ok:
        raise AttestationError(
            f"L'attestation {user_path(source)} ne peut pas être envoyée pour ce dossier :",
            file=str(source),
            problems=verdict.problems,
        )
    reader = request.screen_reader
    if reader is None and request.use_ocr and screens_to_read(dossier, photos):
        reader = default_screen_reader()
    packed = build_pack(
        dossier,
        photos,
        pdf,
        Path(output),
        screen_reader=reader,
        generated_at=_now(request.now),
        settings=settings,
        signature=verdict.signature,
        protected=dossier_files(dossier, path),
        names=PathNamer(base),
    )
    return PackOutcome(packed, source)


# -- verify ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoMatch:
    """One photo given to verify, compared with the hashes in the attestation."""

    path: Path
    sha256: str
    role: str | None  # which screen it matches, None when it matches none

    @property
    def matches(self) -> bool:
        """True when the file's hash is one of the attestation's photo hashes."""
        return self.role is not None

    @property
    def title(self) -> str | None:
        """The French title of the screen it matches ("Index Injection")."""
        if self.role is None:
            return None
        try:
            return SCREEN_TITLES[ReadingField(self.role)]
        except ValueError:
            return self.role


@dataclass(frozen=True)
class VerificationResult:
    """The answer of verify: signatures, embedded data, photos."""

    signature: SignatureReport
    summary: dict[str, Any] | None
    photos: list[PhotoMatch]

    @property
    def signature_kind(self) -> SignatureKind | None:
        """How the attestation says it is signed (None: not said, or not a linkytool one)."""
        return signature_kind(self.summary) if self.summary is not None else None

    @property
    def draft(self) -> bool:
        """True for a draft ("BROUILLON – NON CONFORME"), never to be sent."""
        return bool(self.summary and self.summary.get("draft"))

    @property
    def signed_without_certificate(self) -> bool:
        """A final attestation signed with signature images or by hand, and no PAdES
        signature: nothing to verify cryptographically, which is not a failure."""
        return (
            not self.signature.signed
            and not self.draft
            and self.signature_kind in (SignatureKind.IMAGES, SignatureKind.BY_HAND)
        )

    @property
    def problems(self) -> list[str]:
        """French list of what does not verify (empty when everything holds)."""
        problems = [] if self.signed_without_certificate else list(self.signature.problems)
        if self.summary is None:
            problems.append("données linkytool absentes du PDF : empreintes des photos inconnues")
        elif self.draft:
            problems.append("c'est un brouillon (« BROUILLON – NON CONFORME »), pas l'attestation")
        problems += [
            f"{photo.path.name} : empreinte {photo.sha256[:16]}… absente de l'attestation"
            for photo in self.photos
            if not photo.matches
        ]
        return problems

    @property
    def warnings(self) -> tuple[str, ...]:
        """French warnings (expired certificate, no electronic signature...), not failures."""
        if self.signed_without_certificate:
            how = SIGNATURE_LABELS[self.signature_kind or SignatureKind.IMAGES]
            return (
                *self.signature.warnings,
                f"attestation {how}, sans signature électronique : une modification du "
                "fichier ne serait pas détectable (signez-la avec une clé PKCS#12 : "
                "linkytool mes sign, pour qu'elle le soit)",
            )
        return self.signature.warnings

    @property
    def ok(self) -> bool:
        """Every signature holds and every given photo is one of the attested ones."""
        return not self.problems


def verify(pdf_path: str | Path, photos: Sequence[str | Path] = ()) -> VerificationResult:
    """Verify a signed attestation file (every signature, what each covers) and the
    given photo files against its hashes."""
    path = Path(pdf_path)
    try:
        pdf = read_regular_file(path, limit=MAX_PDF_BYTES, what="attestation")
    except InputFileError as exc:
        raise VerifyInputError(exc.message, hint="Donnez le chemin de l'attestation PDF.") from exc
    try:
        report = verify_signature(pdf)
        summary = read_embedded_summary(pdf)
    except VerifyInputError as exc:  # the pure check knows bytes, not the file's name
        raise VerifyInputError(f"{path} : {exc.message}", hint=exc.hint) from exc
    by_hash: dict[Any, Any] = {}
    if summary is not None:
        by_hash = {
            item.get("sha256"): item.get("role")
            for item in summary.get("photos", [])
            if isinstance(item, dict)
        }
    matches = []
    for photo in photos:
        photo_path = Path(photo)
        try:
            digest = sha256_bytes(
                read_regular_file(photo_path, limit=MAX_PHOTO_BYTES, what="photo")
            )
        except InputFileError as exc:
            raise VerifyInputError(exc.message) from exc
        matches.append(PhotoMatch(photo_path, digest, by_hash.get(digest)))
    return VerificationResult(report, summary, matches)


#: Kept for scripts written against the first API.
verify_attestation = verify
