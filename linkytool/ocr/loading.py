"""Open a photo safely: formats, size guard, early downscale, EXIF time and orientation.

Every failure becomes a :class:`PhotoError` with a French message saying what to retake
or how to export the photo; no traceback reaches the user. Huge files (48 MP phones) are
decoded at a reduced scale (JPEG draft mode) so a photo costs well under a second.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from linkytool.ocr.errors import PhotoError

#: JPEGs are decoded at the smallest DCT scale (1/2, 1/4, 1/8) keeping this longest side
#: [px]: a 12 MP phone photo is read at half size, where the LCD's dots stay >= 2 px.
DECODE_SIZE = 2000
#: Longest side [px] the reader works at (larger decoded images are shrunk).
WORKING_SIZE = 2600
#: Largest photo accepted [pixels]: above any phone camera (200 MP), below a memory bomb.
MAX_PIXELS = 210_000_000

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_OFFSET_TIME_ORIGINAL = 36881
_DATETIME = 306
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")

RETAKE_HINT = "Reprenez la photo (JPEG ou PNG) ou recopiez le fichier depuis le téléphone."


@dataclass(frozen=True)
class LoadedPhoto:
    """A photo decoded for reading: RGB at working size, plus what EXIF says."""

    image: Image.Image
    original_size: tuple[int, int]
    exif_time: datetime | None


def _is_heif(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def parse_exif_time(image: Image.Image) -> datetime | None:
    """DateTimeOriginal (with OffsetTimeOriginal when present) of ``image``, else None.

    Cameras store local time without a zone; the result is naive unless the offset tag
    is present.
    """
    try:
        exif = image.getexif()
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:  # malformed EXIF blocks must never stop the reading
        return None
    raw = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(_OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str) and len(offset.strip()) == 6:
        try:
            sign = -1 if offset[0] == "-" else 1
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            moment = moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
        except ValueError:
            pass
    return moment


def draft_request(size: tuple[int, int], target: int = DECODE_SIZE) -> tuple[int, int]:
    """The size to ask ``Image.draft`` for so the longest side stays >= ``target``."""
    width, height = size
    factor = max(width, height) / target
    if factor <= 1:
        return size
    return (max(1, int(width / factor)), max(1, int(height / factor)))


def open_photo(path: str | Path, *, working_size: int = WORKING_SIZE) -> LoadedPhoto:
    """Decode ``path`` at working size; raise :class:`PhotoError` with what to do."""
    file = Path(path)
    name = file.name
    if not file.is_file():
        raise PhotoError(f"Photo introuvable : {file}.", hint="Vérifiez le chemin du fichier.")
    try:
        with file.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise PhotoError(
            f"Impossible de lire {name} : {exc.strerror}.",
            hint="Vérifiez les droits d'accès au fichier.",
        ) from exc
    if not head:
        raise PhotoError(f"{name} est vide (0 octet).", hint=RETAKE_HINT)
    if _is_heif(head) or file.suffix.lower() in {".heic", ".heif"}:
        raise PhotoError(
            f"{name} est au format HEIC/HEIF (iPhone), que linkytool ne lit pas.",
            hint="Exportez la photo en JPEG (iPhone : Réglages > Appareil photo > Formats > "
            "« Le plus compatible », ou partagez-la en JPEG), puis relancez.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            source = Image.open(file)
            width, height = source.size
            if width * height > MAX_PIXELS:
                raise PhotoError(
                    f"{name} est trop grande ({width}×{height} px, "
                    f"{width * height / 1e6:.0f} Mpx).",
                    hint="Réduisez-la (ou reprenez-la à une définition normale) : "
                    "12 Mpx suffisent largement.",
                )
            exif_time = parse_exif_time(source)
            if source.format == "JPEG":
                source.draft("RGB", draft_request(source.size))
            source.load()
            image = ImageOps.exif_transpose(source).convert("RGB")
    except PhotoError:
        raise
    except Image.DecompressionBombError as exc:
        raise PhotoError(
            f"{name} dépasse la taille d'image acceptée.",
            hint="Réduisez-la (12 Mpx suffisent) ou reprenez la photo.",
        ) from exc
    except UnidentifiedImageError as exc:
        raise PhotoError(
            f"{name} n'est pas une image lisible (ni JPEG ni PNG).",
            hint="Choisissez la photo elle-même (JPEG ou PNG), pas un raccourci ou un document.",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(
            f"{name} est incomplète ou endommagée ({exc}).",
            hint=RETAKE_HINT,
        ) from exc
    if max(image.size) > working_size:
        image.thumbnail((working_size, working_size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return LoadedPhoto(image=image, original_size=(width, height), exif_time=exif_time)


__all__ = [
    "DECODE_SIZE",
    "MAX_PIXELS",
    "WORKING_SIZE",
    "LoadedPhoto",
    "draft_request",
    "open_photo",
    "parse_exif_time",
]
