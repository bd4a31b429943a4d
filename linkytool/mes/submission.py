"""The dossier's photos as they will be sent (thin I/O adapter over :mod:`photoprep`).

Each photo is read once (bounded), described, and prepared for Enedis-Connect (location
stripped, HEIC converted, ≤ 4 MB). The attestation prints the hashes of the prepared
bytes, and the pack sends exactly those bytes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from linkytool.errors import InputFileError
from linkytool.fileio import read_regular_file, user_path
from linkytool.mes.errors import DossierPhotoError
from linkytool.mes.model import Dossier, ReadingField
from linkytool.mes.photoprep import PreparedPhoto, prepare_photo
from linkytool.mes.photos import MAX_PHOTO_BYTES, PhotoFacts, inspect_photos, sha256_bytes
from linkytool.mes.rules import CheckSettings


@dataclass(frozen=True)
class SubmittedPhoto:
    """A dossier photo as found on disk and as it will be sent (location stripped, ≤ 4 MB)."""

    role: ReadingField
    original: PhotoFacts
    prepared: PreparedPhoto | None
    error: str | None  # French, when the photo cannot be sent

    @property
    def sent_facts(self) -> PhotoFacts:
        """Facts of the bytes that will be sent (hash and size of the prepared photo)."""
        if self.prepared is None:
            return self.original
        return dataclasses.replace(
            self.original,
            size_bytes=len(self.prepared.data),
            sha256=sha256_bytes(self.prepared.data),
        )


def load_submitted_photos(
    dossier: Dossier,
    base_dir: Path,
    *,
    keep_gps: bool = False,
    settings: CheckSettings | None = None,
) -> dict[ReadingField, SubmittedPhoto]:
    """Read and prepare the three photos (never raises for a bad photo: see ``error``)."""
    limit = (settings or CheckSettings()).max_attachment_bytes
    facts = inspect_photos(dossier, base_dir)
    result = {}
    for role, fact in facts.items():
        prepared = None
        error = fact.error
        if fact.usable and fact.path is not None:
            try:
                data = read_regular_file(user_path(fact.path), limit=MAX_PHOTO_BYTES, what="photo")
                prepared = prepare_photo(data, max_bytes=limit, keep_gps=keep_gps)
            except (DossierPhotoError, InputFileError) as exc:
                error = exc.message
        result[role] = SubmittedPhoto(role, fact, prepared, error)
    return result


def read_signature_image(path: Path, what: str) -> bytes:
    """The bytes of a signature image (PNG or JPEG), or :class:`DossierPhotoError`."""
    from linkytool.mes.photos import describe_image

    try:
        data = read_regular_file(path, limit=20_000_000, what=f"image de {what}")
    except InputFileError as exc:
        raise DossierPhotoError(
            f"Image de {what} illisible : {exc.message}", file=str(path)
        ) from exc
    if describe_image(data) is None:
        # the PDF would show "(image de signature illisible)" where the signature goes
        raise DossierPhotoError(
            f"Image de {what} illisible : {path} "
            + ("est vide." if not data else "n'est pas une image PNG ou JPEG."),
            hint="Donnez le scan ou la photo de la signature (PNG ou JPEG).",
            file=str(path),
        )
    return data
