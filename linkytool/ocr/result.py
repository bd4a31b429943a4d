"""Result types of the photo reader: what a photo of a Linky screen says, and how sure.

A :class:`PhotoReading` is a value object (frozen): the screen kind the title words
decide, the normalised value, a confidence in [0, 1] and whether the value can be used
without asking the user (``confident``). A value that is not confident is "à confirmer":
``candidates`` lists the best alternatives to offer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is loaded where a crop is encoded or opened: the UI, which
    # unpickles readings, never does
    from PIL import Image


class ScreenKind(StrEnum):
    """Which Linky screen a photo shows."""

    PRM = "prm"
    DATE = "date"
    INJECTION_INDEX = "injection_index"
    #: A Linky screen, but not one of the three Enedis asks for (BASE, PUISSANCE APP...).
    OTHER = "other"
    #: No Linky LCD found in the photo (or the screen is off / unreadable).
    NOT_LINKY = "not_linky"


#: French names shown to the user.
SCREEN_LABELS: dict[ScreenKind, str] = {
    ScreenKind.PRM: "numéro PRM",
    ScreenKind.DATE: "date courante",
    ScreenKind.INJECTION_INDEX: "index injection",
    ScreenKind.OTHER: "autre écran Linky",
    ScreenKind.NOT_LINKY: "pas un écran Linky",
}

#: Screens whose value Enedis asks for.
VALUE_SCREENS = (ScreenKind.PRM, ScreenKind.DATE, ScreenKind.INJECTION_INDEX)


@dataclass(frozen=True)
class PhotoReading:
    """What one photo of a Linky screen says.

    ``value`` is normalised: PRM = 14 digits; date = ISO ``YYYY-MM-DD`` or
    ``YYYY-MM-DDTHH:MM``; injection index = integer [kWh] as a decimal string without
    padding. ``lines`` are the two LCD lines as read (best variant, for display).
    ``crop`` is the rectified screen area read, as PNG bytes.
    """

    path: Path
    screen: ScreenKind
    value: str | None = None
    confidence: float = 0.0
    confident: bool = False
    candidates: tuple[str, ...] = ()
    crop: bytes | None = field(default=None, repr=False)
    references: str | None = None
    exif_time: datetime | None = None
    warnings: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    title: str | None = None

    @property
    def screen_label(self) -> str:
        """French name of the screen."""
        return SCREEN_LABELS[self.screen]

    @property
    def to_confirm(self) -> bool:
        """True when the user must confirm or correct the value (or retake the photo)."""
        return self.screen in VALUE_SCREENS and not self.confident

    def crop_image(self) -> Image.Image | None:
        """The screen crop as a Pillow image (``None`` when no screen was found)."""
        if self.crop is None:
            return None
        from PIL import Image

        return Image.open(io.BytesIO(self.crop))

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly view (without the crop bytes)."""
        return {
            "path": str(self.path),
            "screen": self.screen.value,
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "confident": self.confident,
            "to_confirm": self.to_confirm,
            "candidates": list(self.candidates),
            "lines": list(self.lines),
            "title": self.title,
            "references": self.references,
            "exif_time": self.exif_time.isoformat() if self.exif_time else None,
            "warnings": list(self.warnings),
        }


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes of ``image`` (used for crops).

    zlib level 1: a panel crop encodes in a fifth of the default level's time (~20 ms
    instead of ~100 on the busy 2-core machine, every photo read pays it) for a file ~12 %
    larger (~140 KB).
    """
    buffer = io.BytesIO()  # ``image`` is a Pillow image: Pillow is loaded already
    image.save(buffer, format="PNG", optimize=False, compress_level=1)
    return buffer.getvalue()


__all__ = ["SCREEN_LABELS", "VALUE_SCREENS", "PhotoReading", "ScreenKind", "encode_png"]
