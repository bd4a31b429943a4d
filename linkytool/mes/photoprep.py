"""Preparing a screen photo for Enedis-Connect (pure, bytes in -> bytes out).

Two jobs, each done only when needed so the digits stay as sharp as the original:
- privacy: the GPS position is removed from the EXIF data by default. For a JPEG this is
  lossless: the APP1 segment is rewritten and the compressed image data is copied as is.
- size: an attachment is 4 MB at most. A larger photo is re-encoded as JPEG at decreasing
  quality, then downscaled step by step, never below :data:`MIN_LONG_SIDE_PX` on the long
  side (a Linky LCD filling a quarter of a 1600 px frame still shows 5×7-dot digits about
  ten pixels tall per dot row). If that is not enough the photo is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from linkytool.mes.errors import DossierPhotoError

#: EXIF tags: GPS IFD pointer, Exif IFD pointer.
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
#: Smallest long side a downscaled photo may have [px].
MIN_LONG_SIDE_PX = 1600
QUALITY_STEPS = (92, 88, 84, 80)
SCALE_STEP = 0.85


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to attach: bytes, file extension and the French list of changes."""

    data: bytes
    extension: str  # ".jpg" or ".png"
    changes: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        """True when the bytes are the original ones."""
        return not self.changes


def _jpeg_exif_segment(data: bytes) -> tuple[int, int, bytes] | None:
    """(start, end, payload) of the EXIF APP1 segment of a JPEG, if any."""
    if data[:2] != b"\xff\xd8":
        return None
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (0xDA, 0xD9):  # start of scan / end of image: no more headers
            return None
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        payload = data[position + 4 : position + 2 + length]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            return position, position + 2 + length, payload
        position += 2 + length
    return None


def has_gps(data: bytes) -> bool:
    """True when the image's EXIF data carries a GPS block with content."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            return GPS_IFD in exif and bool(exif.get_ifd(GPS_IFD))
    except (OSError, ValueError, SyntaxError):
        return False


def _exif_without_gps(exif: Image.Exif) -> bytes:
    exif.get_ifd(EXIF_IFD)  # load the Exif sub-IFD so that tobytes() writes it back
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    return exif.tobytes()


def strip_gps(data: bytes) -> bytes:
    """``data`` without its GPS EXIF block (lossless for JPEG; PNG re-saved losslessly)."""
    segment = _jpeg_exif_segment(data)
    if segment is not None:
        start, end, payload = segment
        exif = Image.Exif()
        exif.load(payload)
        new_payload = _exif_without_gps(exif)
        header = b"\xff\xe1" + (len(new_payload) + 2).to_bytes(2, "big")
        return data[:start] + header + new_payload + data[end:]
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        buffer = io.BytesIO()
        image.save(buffer, format=image.format or "PNG", exif=_exif_without_gps(exif))
        return buffer.getvalue()


def _encode_jpeg(image: Image.Image, quality: int, exif: bytes) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality, exif=exif, optimize=True)
    return buffer.getvalue()


def shrink(data: bytes, max_bytes: int, *, keep_gps: bool) -> tuple[bytes, str]:
    """Re-encode (then downscale) ``data`` until it fits ``max_bytes``; returns (bytes, how)."""
    with Image.open(io.BytesIO(data)) as source:
        exif = source.getexif()
        exif_bytes = exif.tobytes() if keep_gps else _exif_without_gps(exif)
        image = source.copy()
    for quality in QUALITY_STEPS:
        encoded = _encode_jpeg(image, quality, exif_bytes)
        if len(encoded) <= max_bytes:
            return encoded, f"réencodée en JPEG qualité {quality}"
    width, height = image.size
    scale = 1.0
    while True:
        scale *= SCALE_STEP
        new_size = (round(width * scale), round(height * scale))
        if max(new_size) < MIN_LONG_SIDE_PX:
            break
        resized = image.resize(new_size, Image.Resampling.LANCZOS)
        encoded = _encode_jpeg(resized, QUALITY_STEPS[-1], exif_bytes)
        if len(encoded) <= max_bytes:
            return encoded, (
                f"réduite de {width}×{height} à {new_size[0]}×{new_size[1]} px, "
                f"JPEG qualité {QUALITY_STEPS[-1]}"
            )
    raise DossierPhotoError(
        f"Impossible de ramener la photo sous {max_bytes / 1_000_000:g} Mo sans rendre les "
        f"chiffres illisibles (plus petit côté long autorisé : {MIN_LONG_SIDE_PX} px).",
        hint="Reprenez la photo en qualité normale (pas en RAW ni en très haute résolution).",
    )


def prepare_photo(data: bytes, *, max_bytes: int, keep_gps: bool = False) -> PreparedPhoto:
    """The photo as it will be sent: GPS stripped unless ``keep_gps``, ≤ ``max_bytes``."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
    except (OSError, ValueError, SyntaxError) as exc:
        raise DossierPhotoError(
            "Photo illisible (JPEG ou PNG attendu).",
            hint="Exportez la photo en JPEG depuis le téléphone et recommencez.",
        ) from exc
    changes: list[str] = []
    extension = ".png" if image_format == "PNG" else ".jpg"
    if image_format not in ("JPEG", "PNG"):
        raise DossierPhotoError(
            f"Format de photo {image_format} non accepté (JPEG ou PNG attendu).",
            hint="Exportez la photo en JPEG depuis le téléphone (réglage « le plus compatible »).",
        )
    if not keep_gps and has_gps(data):
        data = strip_gps(data)
        changes.append("position GPS retirée des données EXIF")
    if len(data) > max_bytes:
        data, how = shrink(data, max_bytes, keep_gps=keep_gps)
        changes.append(how)
        extension = ".jpg"
    return PreparedPhoto(data, extension, tuple(changes))
