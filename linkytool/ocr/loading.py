"""Open a photo safely: formats, size guards, early downscale, EXIF time and orientation.

Every failure becomes a :class:`PhotoError` with a French message saying what to retake
or how to export the photo; no traceback reaches the user. Huge files (48 MP phones) are
decoded at a reduced scale (JPEG draft mode) so a photo costs well under a second. Memory
stays bounded whatever the file claims: only regular files are opened (a FIFO or
``/dev/zero`` would be an endless read), their size is capped, and formats that cannot
be decoded at a reduced scale (PNG, HEIC...) are refused above :data:`MAX_FULL_DECODE_PIXELS`
before any pixel is decoded. HEIC/HEIF (the iPhone's default) is read through
``pillow-heif``, imported only when a HEIF file is met (it costs 0.2 s to import).
"""

from __future__ import annotations

import os
import stat
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from linkytool.ocr.errors import PhotoError

#: JPEGs are decoded at the smallest DCT scale (1/2, 1/4, 1/8) keeping this longest side
#: [px]: a 12 MP phone photo is read at half size, where the LCD's dots stay >= 2 px.
DECODE_SIZE = 2000
#: Longest side [px] the reader works at (larger decoded images are shrunk).
WORKING_SIZE = 2600
#: Largest photo accepted [pixels]: Pillow's own decompression-bomb limit (2 ×
#: ``Image.MAX_IMAGE_PIXELS``, 179 Mpx), above a 108 MP phone camera. JPEGs are decoded at
#: 1/8 scale at most, so this costs under 30 Mpx of memory.
MAX_PIXELS = 2 * 89_478_485
#: Largest photo [pixels] of a format decoded at full size (PNG, HEIC, TIFF, WebP...):
#: 3 bytes a pixel, so at most ~150 MB for the pixels before the early downscale. A 657 KB
#: PNG can claim 169 Mpx (2 GB decoded): refused from its header.
MAX_FULL_DECODE_PIXELS = 50_000_000
#: Largest file accepted [bytes]: a 200 MP phone JPEG is ~60 MB.
MAX_FILE_BYTES = 150_000_000

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 36867
_OFFSET_TIME_ORIGINAL = 36881
_DATETIME = 306
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")

RETAKE_HINT = "Reprenez la photo (JPEG, PNG ou HEIC) ou recopiez le fichier depuis le téléphone."


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


def _nonblocking(path: str, flags: int) -> int:
    """Open without blocking (a FIFO swapped in after the check must not hang the read)."""
    return os.open(path, flags | os.O_NONBLOCK)


def draft_request(size: tuple[int, int], target: int = DECODE_SIZE) -> tuple[int, int]:
    """The size to ask ``Image.draft`` for so the longest side stays >= ``target``."""
    width, height = size
    factor = max(width, height) / target
    if factor <= 1:
        return size
    return (max(1, int(width / factor)), max(1, int(height / factor)))


#: Modes ``Image.reduce`` accepts (a palette or 1-bit image is converted first).
REDUCIBLE_MODES = ("L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "I", "F")
TOO_LARGE_HINT = "Réduisez-la (ou reprenez-la à une définition normale) : 12 Mpx suffisent."


def _check_regular_file(file: Path) -> int:
    """The size [bytes] of ``file`` if it is a regular file; else a :class:`PhotoError`.

    A directory, a FIFO or a device (``/dev/zero``) is refused before it is opened: reading
    one would never end or block.
    """
    try:
        info = file.stat()
    except ValueError as exc:  # "embedded null byte"
        raise PhotoError(
            f"Chemin de photo invalide (caractère nul) : {str(file)!r}.",
            hint="Vérifiez le chemin du fichier.",
        ) from exc
    except FileNotFoundError as exc:
        raise PhotoError(
            f"Photo introuvable : {file}.", hint="Vérifiez le chemin du fichier."
        ) from exc
    except OSError as exc:
        raise PhotoError(
            f"Impossible de lire {file.name} : {exc.strerror}.",
            hint="Vérifiez le chemin et les droits d'accès au fichier.",
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise PhotoError(
            f"{file} est un dossier, pas une photo.",
            hint="Donnez les fichiers des photos eux-mêmes (par exemple dossier/*.jpg).",
        )
    if not stat.S_ISREG(info.st_mode):
        raise PhotoError(
            f"{file} n'est pas un fichier ordinaire (périphérique, tube ou socket).",
            hint="Donnez le fichier de la photo (JPEG, PNG ou HEIC).",
        )
    if info.st_size > MAX_FILE_BYTES:
        raise PhotoError(
            f"{file.name} est trop volumineuse ({info.st_size / 1e6:.0f} Mo).",
            hint=TOO_LARGE_HINT,
        )
    return info.st_size


def register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF (pillow-heif), once, on the first HEIF met."""
    try:
        import pillow_heif
    except ImportError as exc:  # a broken installation: pillow-heif is a dependency
        raise PhotoError(
            "La lecture des photos HEIC/HEIF nécessite le module pillow-heif, absent.",
            hint="Réinstallez linkytool, ou exportez la photo en JPEG.",
        ) from exc
    pillow_heif.register_heif_opener()


def _too_large(name: str, width: int, height: int) -> PhotoError:
    return PhotoError(
        f"{name} est trop grande ({width}×{height} px, {width * height / 1e6:.0f} Mpx).",
        hint=TOO_LARGE_HINT,
    )


def open_photo(path: str | Path, *, working_size: int = WORKING_SIZE) -> LoadedPhoto:
    """Decode ``path`` at working size; raise :class:`PhotoError` with what to do."""
    file = Path(path)
    name = file.name
    size = _check_regular_file(file)
    if size == 0:
        raise PhotoError(f"{name} est vide (0 octet).", hint=RETAKE_HINT)
    try:
        handle = open(file, "rb", opener=_nonblocking)  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise PhotoError(
            f"Impossible de lire {name} : {exc.strerror}.",
            hint="Vérifiez les droits d'accès au fichier.",
        ) from exc
    with handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
            raise PhotoError(f"{file} n'est pas un fichier ordinaire.", hint=RETAKE_HINT)
        if _is_heif(handle.read(16)):
            register_heif()
        handle.seek(0)
        image, original_size, exif_time = _decode(handle, name, working_size)
    return LoadedPhoto(image=image, original_size=original_size, exif_time=exif_time)


def _decode(
    handle: BinaryIO, name: str, working_size: int
) -> tuple[Image.Image, tuple[int, int], datetime | None]:
    """(upright RGB image at most ``working_size``, stored size, EXIF time) of ``handle``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            source: Image.Image = Image.open(handle)
            width, height = source.size
            if width * height > MAX_PIXELS or (
                source.format != "JPEG" and width * height > MAX_FULL_DECODE_PIXELS
            ):
                raise _too_large(name, width, height)
            exif_time = parse_exif_time(source)
            if source.format == "JPEG":
                source.draft("RGB", draft_request(source.size))
            source.load()
            factor = max(source.size) // working_size
            if factor >= 2:  # shrink before any copy (transpose, RGB conversion)
                if source.mode not in REDUCIBLE_MODES:
                    source = source.convert("RGB")
                source = source.reduce(factor)
            # in place, and no RGB conversion of an RGB image: each copy of a 12 MP
            # decode costs 20-70 ms, and the decoded image is ours alone
            ImageOps.exif_transpose(source, in_place=True)
            image = source if source.mode == "RGB" else source.convert("RGB")
    except PhotoError:
        raise
    except Image.DecompressionBombError as exc:
        raise PhotoError(
            f"{name} dépasse la taille d'image acceptée ({MAX_PIXELS / 1e6:.0f} Mpx).",
            hint=TOO_LARGE_HINT,
        ) from exc
    except MemoryError as exc:
        raise PhotoError(
            f"{name} est trop grande pour la mémoire disponible.", hint=TOO_LARGE_HINT
        ) from exc
    except UnidentifiedImageError as exc:
        raise PhotoError(
            f"{name} n'est pas une image lisible (ni JPEG, ni PNG, ni HEIC).",
            hint="Choisissez la photo elle-même (JPEG, PNG ou HEIC), pas un raccourci ou un "
            "document.",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(
            f"{name} est incomplète ou endommagée (le fichier image est tronqué ou abîmé).",
            hint=RETAKE_HINT,
        ) from exc
    if max(image.size) > working_size:
        image.thumbnail((working_size, working_size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return image, (width, height), exif_time


__all__ = [
    "DECODE_SIZE",
    "MAX_FILE_BYTES",
    "MAX_FULL_DECODE_PIXELS",
    "MAX_PIXELS",
    "WORKING_SIZE",
    "LoadedPhoto",
    "draft_request",
    "open_photo",
    "parse_exif_time",
    "register_heif",
]
