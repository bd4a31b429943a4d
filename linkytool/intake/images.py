"""Image types accepted by the intake, recognised by content (magic bytes), never by name."""

from __future__ import annotations

#: Type -> file extension.
EXTENSIONS: dict[str, str] = {"jpeg": ".jpg", "png": ".png", "heic": ".heic"}

#: ISO-BMFF brands of HEIC/HEIF still images (iPhone: heic; some Android: mif1, heix).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def sniff_image(head: bytes) -> str | None:
    """``"jpeg"``, ``"png"`` or ``"heic"`` from the first bytes of a file, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


__all__ = ["EXTENSIONS", "sniff_image"]
