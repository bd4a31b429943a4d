"""The Enedis-Connect submission pack: attestation, three named photos, message, manifest.

:func:`pack_files` is pure (prepared photos + attestation -> file names and bytes);
:func:`build_pack` checks that each photo shows the right screen, then writes the files
to a directory or a ZIP, atomically. The screen check trusts an OCR result recorded in the
dossier when the file's SHA-256 still matches, otherwise asks OCR (``linkytool.ocr``,
imported lazily), and refuses a photo of the wrong screen.
"""

from __future__ import annotations

import importlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from linkytool import __version__
from linkytool.errors import LinkytoolError, OutputError
from linkytool.fileio import atomic_directory, atomic_write_bytes, real_target
from linkytool.mes.errors import DossierFileOutputError, DossierPhotoError
from linkytool.mes.message import enedis_message
from linkytool.mes.model import (
    SCREEN_KINDS,
    SIGNATURE_LABELS,
    Dossier,
    ReadingField,
    SignatureKind,
)
from linkytool.mes.photos import PathNamer, sha256_bytes
from linkytool.mes.rules import (
    CheckSettings,
    ocr_is_sure,
    photo_contradiction,
    recorded_ocr,
)
from linkytool.mes.submission import SubmittedPhoto
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.screen_titles import shows_screen
from linkytool.textfmt import french_megabytes

ATTESTATION_NAME = "attestation-auto-mes.pdf"
PHOTO_STEMS: dict[ReadingField, str] = {
    ReadingField.PRM: "photo-1-numero-prm",
    ReadingField.DATE: "photo-2-date-courante",
    ReadingField.INJECTION_INDEX: "photo-3-index-injection",
}
MESSAGE_NAME = "message.txt"
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"
#: Files stored as they are in a ZIP pack: a JPEG deflates by about 2 %, for 40 ms of CPU
#: per pack of three phone photos (issue 14).
STORED_SUFFIXES = (".jpg", ".jpeg")

#: Reads a photo and returns an object with ``screen`` (``linkytool.ocr.PhotoReading``).
ScreenReader = Callable[[Path], Any]


@dataclass(frozen=True)
class ScreenCheck:
    """How the screen shown on one photo was established."""

    role: ReadingField
    screen: str | None  # what the photo shows ("prm", "date", "injection_index", "other"...)
    how: str  # French: "relevé OCR du dossier", "OCR", "non vérifié"
    ok: bool | None  # None when it could not be verified
    #: The value the OCR read sure on the photo (None: none, or not sure of it).
    value: str | None = None


@dataclass(frozen=True)
class PackedFile:
    """One file of the pack."""

    name: str
    size_bytes: int
    sha256: str
    description: str
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackResult:
    """What ``mes pack`` produced."""

    destination: Path
    zipped: bool
    files: tuple[PackedFile, ...]
    screens: tuple[ScreenCheck, ...]
    warnings: tuple[str, ...]
    signature: SignatureKind | None = None
    replaced: bool = False  # an earlier pack at the same place was replaced as a whole


def default_screen_reader() -> ScreenReader | None:
    """``linkytool.ocr.read_photo`` when the OCR feature is installed, else None."""
    try:
        module = importlib.import_module("linkytool.ocr")
    except ImportError:
        return None
    reader: ScreenReader | None = getattr(module, "read_photo", None)
    if reader is None:  # the OCR package before it exported read_photo
        try:
            reader = getattr(importlib.import_module("linkytool.ocr.reader"), "read_photo", None)
        except ImportError:
            return None
    return reader


def screens_to_read(
    dossier: Dossier, photos: Mapping[ReadingField, SubmittedPhoto]
) -> tuple[ReadingField, ...]:
    """The photos :func:`build_pack` will ask the screen reader about: those whose screen
    no OCR reading recorded for the same file establishes (:func:`check_screen`). None
    when the dossier's readings cover every photo: the reader (numpy, the OCR) need not be
    loaded (``mes pack`` of the demo: 0.14 s of CPU)."""
    return tuple(
        role
        for role in ReadingField
        if (photo := photos[role]).prepared is not None
        and photo.original.path is not None
        and recorded_ocr(dossier, role, photo.original.sha256) is None
    )


def check_screen(
    dossier: Dossier,
    role: ReadingField,
    photo: SubmittedPhoto,
    reader: ScreenReader | None,
    settings: CheckSettings | None = None,
) -> ScreenCheck:
    """Which screen ``photo`` shows: a matching recorded OCR result, else OCR, else unknown."""
    expected = SCREEN_KINDS[role]
    settings = settings or CheckSettings()
    recorded = recorded_ocr(dossier, role, photo.original.sha256)
    if recorded is not None:
        return ScreenCheck(
            role,
            recorded.screen,
            "relevé OCR du dossier",
            recorded.screen == expected,
            recorded.value if ocr_is_sure(recorded, settings) else None,
        )
    if reader is None or photo.original.path is None:
        return ScreenCheck(role, None, "non vérifié (lecture OCR indisponible)", None)
    try:
        result = reader(photo.original.path)
    except LinkytoolError as exc:
        if type(exc).__name__ == "OcrEngineMissing":
            return ScreenCheck(role, None, f"non vérifié ({exc.message})", None)
        return ScreenCheck(role, None, f"illisible : {exc.message}", False)
    except Exception as exc:  # an OCR bug must not lose the pack: report, let the user look
        return ScreenCheck(role, None, f"non vérifié (erreur de la lecture OCR : {exc})", None)
    screen = str(getattr(result.screen, "value", result.screen))
    value = getattr(result, "value", None)
    if not (getattr(result, "confident", False) and isinstance(value, str) and value):
        value = None
    return ScreenCheck(role, screen, "OCR", screen == expected, value)


def contradicted(
    dossier: Dossier,
    check: ScreenCheck,
    photo: SubmittedPhoto,
    settings: CheckSettings,
    names: PathNamer | None = None,
) -> str | None:
    """French, when the value the OCR read sure on the photo is not the one declared
    (:func:`~linkytool.mes.rules.photo_contradiction`, the rule ``mes check`` applies too);
    None otherwise."""
    if check.value is None or check.ok is False:
        return None
    return photo_contradiction(
        dossier,
        check.role,
        check.value,
        photo_sha256=photo.original.sha256,
        photo_name=(names or PathNamer())(photo.original.declared),
        settings=settings,
    )


def pack_files(
    dossier: Dossier,
    photos: Mapping[ReadingField, SubmittedPhoto],
    attestation_pdf: bytes,
    *,
    generated_at: datetime,
    settings: CheckSettings | None = None,
    signature: SignatureKind | None = None,
) -> tuple[dict[str, bytes], tuple[PackedFile, ...]]:
    """File names -> bytes of the pack, and their descriptions (pure).

    The attestation is described by how it is signed (``signature``); never "signée"
    when it is not.
    """
    settings = settings or CheckSettings()
    contents: dict[str, bytes] = {ATTESTATION_NAME: attestation_pdf}
    how = SIGNATURE_LABELS[signature] if signature else "non signée"
    described: list[PackedFile] = [
        _packed(ATTESTATION_NAME, attestation_pdf, f"attestation d'auto-mise en service {how}")
    ]
    for role in ReadingField:
        photo = photos[role]
        if photo.prepared is None:
            raise DossierPhotoError(
                f"Photo « {SCREEN_TITLES[role]} » inutilisable : {photo.error}.",
                hint="Reprenez la photo et mettez à jour la section [photos] du dossier.",
            )
        name = PHOTO_STEMS[role] + photo.prepared.extension
        contents[name] = photo.prepared.data
        described.append(
            _packed(
                name,
                photo.prepared.data,
                f"photo de l'écran « {SCREEN_TITLES[role]} »",
                photo.prepared.changes,
            )
        )
    for name, data in contents.items():
        if len(data) > settings.max_attachment_bytes:
            raise DossierPhotoError(
                f"{name} pèse {french_megabytes(len(data))}, au-delà des 4 Mo d'Enedis-Connect."
            )
    attachments = [(item.name, item.description) for item in described]
    if signature is SignatureKind.BY_HAND:
        # Enedis receives the printed, signed and scanned attestation in its place (the
        # pack's warning says so); the manifest describes the file as it is in the pack.
        attachments[0] = (
            ATTESTATION_NAME,
            "attestation d'auto-mise en service à signer à la main, jointe imprimée, "
            "signée et numérisée",
        )
    message = enedis_message(
        dossier,
        attachments,
        max_delay_s=settings.max_decoupling_delay_s,
    ).encode("utf-8")
    contents[MESSAGE_NAME] = message
    described.append(
        _packed(MESSAGE_NAME, message, "message à coller dans « Demander une information »")
    )
    originals = {
        PHOTO_STEMS[role] + photos[role].prepared.extension: photos[role].original.sha256  # type: ignore[union-attr]
        for role in ReadingField
    }
    manifest = {
        "format": "linkytool-pack/1",
        "generator": f"linkytool {__version__}",
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "prm": dossier.case.prm,
        "files": [
            {
                "name": item.name,
                "size_bytes": item.size_bytes,
                "sha256": item.sha256,
                "description": item.description,
                "changes": list(item.changes),
                **({"original_sha256": originals[item.name]} if item.name in originals else {}),
            }
            for item in described
        ],
    }
    contents[MANIFEST_NAME] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8"
    )
    contents[SUMS_NAME] = "".join(
        f"{sha256_bytes(data)}  {name}\n" for name, data in contents.items() if name != SUMS_NAME
    ).encode("ascii")
    return contents, tuple(described)


def _packed(name: str, data: bytes, description: str, changes: tuple[str, ...] = ()) -> PackedFile:
    return PackedFile(name, len(data), sha256_bytes(data), description, changes)


def write_pack(contents: Mapping[str, bytes], destination: Path, *, stamp: datetime) -> bool:
    """Write the files into a directory, or a ZIP when ``destination`` ends in .zip.

    Either way the whole set appears at once (:func:`linkytool.fileio.atomic_directory`
    or one atomic file): on failure the previous pack is intact and nothing partial
    remains. Returns True for a ZIP.
    """
    if destination.suffix.lower() == ".zip":
        buffer = io.BytesIO()
        moment = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in contents.items():
                info = zipfile.ZipInfo(name, date_time=moment)
                info.compress_type = (
                    zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
                )
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        atomic_write_bytes(destination, buffer.getvalue())
        return True
    with atomic_directory(destination) as staged:
        for name, data in contents.items():
            staged.write(name, data)
    return False


def refuse_foreign_folder(destination: Path, names: Iterable[str]) -> None:
    """Raise :class:`OutputError` when ``destination`` is a folder holding files that are
    not those of a pack: replacing the folder as a whole would delete them."""
    if destination.suffix.lower() == ".zip" or not destination.is_dir():
        return
    ours = set(names)
    try:
        foreign = sorted(entry.name for entry in destination.iterdir() if entry.name not in ours)
    except OSError:
        return  # the write reports an unreadable folder
    if foreign:
        shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise OutputError(
            f"{destination} contient d'autres fichiers que ceux d'un dossier d'envoi ({shown}) : "
            "il n'a pas été remplacé.",
            hint="Choisissez un nouveau dossier de sortie, ou déplacez ces fichiers.",
        )


def refuse_overwriting(destination: Path, protected: Iterable[Path]) -> None:
    """Raise :class:`DossierFileOutputError` when writing the pack at ``destination``
    would replace a file of the dossier: the ZIP itself, or any file inside the folder
    that the new pack replaces as a whole."""
    target = real_target(destination)
    for path in protected:
        try:
            own = real_target(path)
        except (OSError, ValueError):
            continue
        if own == target or target in own.parents:
            raise DossierFileOutputError(str(destination), str(path), inside=own != target)


def build_pack(
    dossier: Dossier,
    photos: Mapping[ReadingField, SubmittedPhoto],
    attestation_pdf: bytes,
    destination: str | Path,
    *,
    screen_reader: ScreenReader | None = None,
    generated_at: datetime,
    settings: CheckSettings | None = None,
    signature: SignatureKind | None = None,
    protected: Iterable[Path] = (),
    names: PathNamer | None = None,
) -> PackResult:
    """Check the screens, then write the pack (:class:`DossierPhotoError` on a wrong screen).

    ``protected`` are the dossier's own files: a destination that would replace one of
    them is refused before anything is written.
    """
    target = Path(destination)
    settings = settings or CheckSettings()
    names = names or PathNamer()
    refuse_overwriting(target, protected)
    screens = tuple(
        check_screen(dossier, role, photos[role], screen_reader, settings)
        for role in ReadingField
        if photos[role].prepared is not None
    )
    wrong = [check for check in screens if check.ok is False]
    if wrong:
        raise DossierPhotoError(
            "Photo refusée : "
            + " ; ".join(
                f"« {SCREEN_TITLES[c.role]} » ({names(photos[c.role].original.declared)}) "
                f"{shows_screen(c.screen)} ({c.how})"
                for c in wrong
            )
            + ".",
            hint="Reprenez la photo du bon écran (touche + du compteur) en englobant les "
            "références gravées au-dessus, puis mettez à jour la section [photos].",
            file=wrong[0].role.value and photos[wrong[0].role].original.declared,
            role=wrong[0].role.value,
            screen=wrong[0].screen,
        )
    conflicts = [
        (c, conflict)
        for c in screens
        if (conflict := contradicted(dossier, c, photos[c.role], settings, names)) is not None
    ]
    if conflicts:
        first = conflicts[0][0]
        raise DossierPhotoError(
            "Photo refusée : " + " ; ".join(text for _, text in conflicts) + ".",
            hint="Reprenez la photo de l'écran tel qu'il est au moment de la MES, ou, si la "
            "lecture est fausse, saisissez la valeur affichée sur cette photo (linkytool mes "
            "reading DOSSIER CHAMP VALEUR --file PHOTO).",
            file=photos[first.role].original.declared,
            role=first.role.value,
        )
    warnings = tuple(
        f"Écran de la photo « {SCREEN_TITLES[c.role]} » {c.how} : vérifiez-la vous-même."
        for c in screens
        if c.ok is None
    )
    if signature is SignatureKind.BY_HAND:
        warnings += (
            "L'attestation est à imprimer et à signer à la main : joignez sa version signée "
            "(scan) à la place de attestation-auto-mes.pdf dans Enedis-Connect.",
        )
    contents, described = pack_files(
        dossier,
        photos,
        attestation_pdf,
        generated_at=generated_at,
        settings=settings,
        signature=signature,
    )
    refuse_foreign_folder(target, contents)
    replaced = target.exists()
    zipped = write_pack(contents, target, stamp=generated_at)
    return PackResult(target, zipped, described, screens, warnings, signature, replaced)
