"""Preparing a screen photo for Enedis-Connect (pure, bytes in -> bytes out).

Three jobs, each done only when needed so the digits stay as sharp as the original:
- privacy: every trace of the place is removed by default, from every metadata block a
  phone writes: the EXIF GPS directory (in each EXIF segment, a JPEG may carry two), the
  maker notes (phone makers store places there too), XMP packets naming a position or a
  place, and IPTC/Photoshop blocks (city, country). The capture time (EXIF
  DateTimeOriginal) is kept: the date cross-check needs it. For a JPEG this is lossless:
  only metadata segments are rewritten or dropped, the compressed image is copied as is.
- format: a HEIC/HEIF photo (iPhone) is converted to JPEG, its EXIF kept but location.
- size: an attachment is 4 MB at most. A larger photo is re-encoded as JPEG at decreasing
  quality, then downscaled step by step, never below :data:`MIN_LONG_SIDE_PX` on the long
  side (a Linky LCD filling a quarter of a 1600 px frame still shows 5×7-dot digits about
  ten pixels tall per dot row). If that is not enough the photo is refused.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image

from linkytool.mes.errors import DossierPhotoError
from linkytool.mes.heif import register_heif
from linkytool.textfmt import french_number

#: EXIF tags: GPS IFD pointer, Exif IFD pointer, maker note (inside the Exif IFD).
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
MAKER_NOTE = 0x927C
#: Smallest long side a downscaled photo may have [px].
MIN_LONG_SIDE_PX = 1600
QUALITY_STEPS = (92, 88, 84, 80)
SCALE_STEP = 0.85
#: Quality of a HEIC photo converted to JPEG (then reduced if over the limit).
HEIF_JPEG_QUALITY = 92

_EXIF_HEADER = b"Exif\x00\x00"
_XMP_HEADERS = (b"http://ns.adobe.com/xap/1.0/\x00", b"http://ns.adobe.com/xmp/extension/\x00")
_IPTC_HEADER = b"Photoshop 3.0\x00"
#: XMP properties that give a place (EXIF GPS mirrored in XMP, IPTC location fields).
_XMP_PLACE = re.compile(
    rb"(?i)(exif:GPS|Iptc4xmpExt:Location|Iptc4xmpCore:Location|photoshop:City|"
    rb"photoshop:State|photoshop:Country|Iptc4xmpCore:CountryCode|LocationCreated|"
    rb"LocationShown|drone-dji:GpsL)"
)


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


@dataclass(frozen=True)
class _Segment:
    marker: int
    start: int
    end: int
    payload: bytes


def _jpeg_segments(data: bytes) -> list[_Segment] | None:
    """The metadata segments of a JPEG before its image data (None: not a JPEG)."""
    if data[:2] != b"\xff\xd8":
        return None
    segments = []
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (0xDA, 0xD9):  # start of scan / end of image: no more headers
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > len(data):
            return None  # a damaged header: leave the photo to the generic path
        end = position + 2 + length
        segments.append(_Segment(marker, position, end, data[position + 4 : end]))
        position = end
    return segments


def _exif_location(exif: Image.Exif) -> list[str]:
    """What in ``exif`` gives a place (French), without changing it."""
    found = []
    if GPS_IFD in exif and exif.get_ifd(GPS_IFD):
        found.append("position GPS (EXIF)")
    if MAKER_NOTE in exif.get_ifd(EXIF_IFD):
        found.append("notes du fabricant (EXIF)")
    return found


def _exif_without_location(exif: Image.Exif) -> bytes:
    exif_ifd = exif.get_ifd(EXIF_IFD)  # loaded so that tobytes() writes it back
    if MAKER_NOTE in exif_ifd:
        del exif_ifd[MAKER_NOTE]
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    return exif.tobytes()


def _load_exif(payload: bytes) -> Image.Exif | None:
    exif = Image.Exif()
    try:
        exif.load(payload)
        exif.get_ifd(EXIF_IFD)
        exif.get_ifd(GPS_IFD)
    except Exception:  # a damaged EXIF block: treated as unreadable, dropped whole
        return None
    return exif


def location_blocks(data: bytes) -> list[str]:
    """French names of the metadata blocks of ``data`` that locate the photo."""
    segments = _jpeg_segments(data)
    if segments is None:
        return _generic_location(data)
    found: list[str] = []
    for segment in segments:
        found += _segment_location(segment)
    return found


def _segment_location(segment: _Segment) -> list[str]:
    payload = segment.payload
    if segment.marker == 0xE1 and payload.startswith(_EXIF_HEADER):
        exif = _load_exif(payload)
        return ["bloc EXIF illisible"] if exif is None else _exif_location(exif)
    if segment.marker == 0xE1 and payload.startswith(_XMP_HEADERS):
        return ["lieu dans les métadonnées XMP"] if _XMP_PLACE.search(payload) else []
    if segment.marker == 0xED and payload.startswith(_IPTC_HEADER):
        return ["bloc IPTC/Photoshop (lieu)"]
    return []


def _generic_location(data: bytes) -> list[str]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = _exif_location(image.getexif())
            xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
            if isinstance(xmp, str):
                xmp = xmp.encode("utf-8", "replace")
            if isinstance(xmp, bytes) and _XMP_PLACE.search(xmp):
                found.append("lieu dans les métadonnées XMP")
            return found
    except Exception:
        return []


def has_gps(data: bytes) -> bool:
    """True when any metadata block of the image gives its place."""
    return bool(location_blocks(data))


def strip_location(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``data`` without any block giving its place, and the French list of what was
    removed (lossless for JPEG; PNG re-saved losslessly without its metadata but EXIF)."""
    segments = _jpeg_segments(data)
    if segments is None:
        return _strip_generic(data)
    removed: list[str] = []
    parts: list[bytes] = [data[:2]]
    cursor = 2
    for segment in segments:
        parts.append(data[cursor : segment.start])
        cursor = segment.end
        found = _segment_location(segment)
        if not found:
            parts.append(data[segment.start : segment.end])
            continue
        removed += found
        if segment.marker == 0xE1 and segment.payload.startswith(_EXIF_HEADER):
            exif = _load_exif(segment.payload)
            if exif is not None:  # keep the rest of the EXIF (capture time, orientation)
                payload = _exif_without_location(exif)
                if len(payload) + 2 <= 0xFFFF:
                    parts.append(b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload)
        # XMP with a place, IPTC/Photoshop blocks, unreadable EXIF: dropped whole
    parts.append(data[cursor:])
    return b"".join(parts), tuple(dict.fromkeys(removed))


def strip_gps(data: bytes) -> bytes:
    """``data`` without location metadata (see :func:`strip_location`)."""
    return strip_location(data)[0]


def _strip_generic(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    with Image.open(io.BytesIO(data)) as image:
        found = tuple(_generic_location(data))
        if not found:
            return data, ()
        exif = image.getexif()
        buffer = io.BytesIO()
        image.save(buffer, format=image.format or "PNG", exif=_exif_without_location(exif))
        return buffer.getvalue(), found


def _encode_jpeg(image: Image.Image, quality: int, exif: bytes) -> bytes:
    buffer = io.BytesIO()
    # convert() copies the whole image even when it is RGB already: only when needed
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    rgb.save(buffer, format="JPEG", quality=quality, exif=exif, optimize=True)
    return buffer.getvalue()


def _exif_bytes(source: Image.Image, keep_gps: bool) -> bytes:
    exif = source.getexif()
    return exif.tobytes() if keep_gps else _exif_without_location(exif)


def shrink(data: bytes, max_bytes: int, *, keep_gps: bool) -> tuple[bytes, str]:
    """Re-encode (then downscale) ``data`` until it fits ``max_bytes``; returns (bytes, how)."""
    with Image.open(io.BytesIO(data)) as source:
        exif_bytes = _exif_bytes(source, keep_gps)
        source.load()  # the pixels stay when the file closes: no copy of them
        image: Image.Image = source
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
        f"Impossible de ramener la photo sous {french_number(max_bytes / 1_000_000)} Mo sans "
        f"rendre les chiffres illisibles (plus petit côté long autorisé : {MIN_LONG_SIDE_PX} px).",
        hint="Reprenez la photo en qualité normale (pas en RAW ni en très haute résolution).",
    )


def heif_to_jpeg(data: bytes, *, keep_gps: bool) -> bytes:
    """A HEIC/HEIF photo as JPEG (quality 92), EXIF kept but its location."""
    with Image.open(io.BytesIO(data)) as source:
        exif_bytes = _exif_bytes(source, keep_gps)
        return _encode_jpeg(source, HEIF_JPEG_QUALITY, exif_bytes)


def prepare_photo(data: bytes, *, max_bytes: int, keep_gps: bool = False) -> PreparedPhoto:
    """The photo as it will be sent: location stripped unless ``keep_gps``, HEIC converted
    to JPEG, ≤ ``max_bytes``."""
    register_heif()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
    except Image.DecompressionBombError as exc:
        raise DossierPhotoError(
            "Photo trop grande pour être décodée sans risque (nombre de pixels).",
            hint="Reprenez la photo avec l'appareil en résolution normale.",
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise DossierPhotoError(
            "Photo illisible (JPEG, PNG ou HEIC attendu).",
            hint="Exportez la photo en JPEG depuis le téléphone et recommencez.",
        ) from exc
    changes: list[str] = []
    extension = ".png" if image_format == "PNG" else ".jpg"
    try:
        if image_format in ("HEIF", "HEIC", "AVIF"):
            data = heif_to_jpeg(data, keep_gps=keep_gps)
            changes.append(
                "convertie de HEIC en JPEG"
                + ("" if keep_gps else " (position et notes du fabricant retirées)")
            )
        elif image_format not in ("JPEG", "PNG"):
            raise DossierPhotoError(
                f"Format de photo {image_format} non accepté (JPEG, PNG ou HEIC attendu).",
                hint="Exportez la photo en JPEG depuis le téléphone (réglage « le plus "
                "compatible »).",
            )
        elif not keep_gps:
            data, removed = strip_location(data)
            if removed:
                changes.append("retiré : " + ", ".join(removed))
        if len(data) > max_bytes:
            data, how = shrink(data, max_bytes, keep_gps=keep_gps)
            changes.append(how)
            extension = ".jpg"
    except DossierPhotoError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DossierPhotoError(
            f"Photo illisible ou endommagée ({type(exc).__name__}).",
            hint="Reprenez la photo ou exportez-la à nouveau en JPEG.",
        ) from exc
    return PreparedPhoto(data, extension, tuple(changes))
