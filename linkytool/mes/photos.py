"""Facts about the dossier's photos (thin I/O adapter): present, readable, size, SHA-256.

The prerequisite rules and the attestation work on these snapshots, so they stay pure.
Every read is bounded (:func:`linkytool.fileio.read_regular_file`): a FIFO, a device or a
huge file is reported as a bad photo, never read forever.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from linkytool.errors import InputFileError, describe_os_error
from linkytool.fileio import read_regular_file, sha256_file, user_path
from linkytool.mes.heif import register_heif
from linkytool.mes.model import Dossier, ReadingField

#: Attachment limit of Enedis-Connect ("pièces jointes (de 4 MO maximum)") [bytes]. The
#: decimal reading (4 000 000) is the stricter of the two possible meanings of "4 Mo".
MAX_ATTACHMENT_BYTES = 4_000_000
#: Largest photo file linkytool reads [bytes]: a phone photo is 2–15 MB, a RAW 25–80 MB.
MAX_PHOTO_BYTES = 100_000_000


@dataclass(frozen=True)
class PhotoFacts:
    """What is known about one photo file of the dossier."""

    role: ReadingField
    declared: str  # path as written in the dossier ("" when not filled in)
    path: Path | None  # resolved against the dossier's directory
    exists: bool
    size_bytes: int | None
    sha256: str | None
    image_format: str | None  # "JPEG", "PNG"... when the file is a readable image
    width: int | None
    height: int | None
    error: str | None  # French, when the file is missing or unreadable

    @property
    def usable(self) -> bool:
        """The file exists and is a readable image."""
        return self.exists and self.image_format is not None


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def hash_sources(files: Iterable[str], base_dir: Path) -> dict[str, str | None]:
    """File as named in the dossier -> SHA-256 of its content now (None: missing, not a
    regular file, or unreadable)."""
    result: dict[str, str | None] = {}
    for name in files:
        try:
            result[name] = sha256_file(resolve(base_dir, name))
        except (OSError, ValueError):
            result[name] = None
    return result


@dataclass(frozen=True)
class PathNamer:
    """Names a file of the dossier (as the dossier writes it: relative to its folder, or
    absolute) in a message: :func:`linkytool.fileio.user_path` from the dossier's folder
    ``base``. Without ``base`` (pure evaluations of a dossier held in memory, whose
    folder is unknown), the name is left as the dossier writes it."""

    base: Path | None = None
    cwd: Path | None = None

    def __call__(self, declared: str | os.PathLike[str]) -> str:
        if self.base is None:
            return os.fspath(declared)
        return user_path(declared, base=self.base, cwd=self.cwd)


def resolve(base_dir: Path, declared: str) -> Path:
    """A dossier path (relative to the dossier file) as a usable path."""
    candidate = Path(declared).expanduser()
    return candidate if candidate.is_absolute() else base_dir / candidate


def describe_image(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) when ``data`` is an image Pillow can decode, else None
    (a decompression bomb, over Pillow's pixel limit, is not an image we decode)."""
    register_heif()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            return (image.format or "?", image.width, image.height)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def inspect_photo(role: ReadingField, declared: str, base_dir: Path) -> PhotoFacts:
    """Read one declared photo and describe it (never raises for a bad file)."""
    if not declared:
        return _absent(role, "", None, "photo non renseignée")
    path = resolve(base_dir, declared)
    if not path.exists() and "\x00" not in declared:
        return _absent(role, declared, path, f"fichier introuvable : {user_path(path)}")
    try:
        # read by the name its messages give (user_path: the same file, normalised)
        data = read_regular_file(user_path(path), limit=MAX_PHOTO_BYTES, what="photo")
    except InputFileError as exc:
        return _absent(role, declared, path, exc.message.rstrip("."))
    except OSError as exc:  # pragma: no cover - read_regular_file wraps OSError
        reason = describe_os_error(exc)
        return _absent(role, declared, path, f"fichier illisible : {user_path(path)} ({reason})")
    described = describe_image(data)
    digest = sha256_bytes(data)
    if described is None:
        error = f"{path.name} n'est pas une image lisible (JPEG, PNG ou HEIC attendu)"
        if _is_bomb(data):
            error = f"{path.name} est une image trop grande pour être décodée sans risque"
        return PhotoFacts(role, declared, path, True, len(data), digest, None, None, None, error)
    image_format, width, height = described
    return PhotoFacts(
        role, declared, path, True, len(data), digest, image_format, width, height, None
    )


def _is_bomb(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)):
            return False
    except Image.DecompressionBombError:
        return True
    except Exception:
        return False


def _absent(role: ReadingField, declared: str, path: Path | None, error: str) -> PhotoFacts:
    """Facts of a photo that cannot be read at all."""
    return PhotoFacts(role, declared, path, False, None, None, None, None, None, error)


def inspect_photos(dossier: Dossier, base_dir: Path) -> dict[ReadingField, PhotoFacts]:
    """Facts about the three screen photos of ``dossier``."""
    return {
        role: inspect_photo(role, getattr(dossier.photos, role.value), base_dir)
        for role in ReadingField
    }
