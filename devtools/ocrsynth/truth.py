"""Ground truth of synthetic photos and its ``truth.json`` file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from linkytool.fileio import atomic_write_text
from ocrsynth.degrade import GENERATOR_NAME

TRUTH_VERSION = 1


@dataclass
class PhotoTruth:
    """Ground truth of one synthetic photo (serialised in ``truth.json``).

    ``kind``/``value`` are what ``linkytool.ocr.read_photo`` must return as ``screen`` /
    ``value``; ``lcd_quad`` = the LCD panel's corners TL, TR, BR, BL in stored-pixel
    coordinates (None without a LCD), ``text_quad`` the same for the dot area (margins
    excluded: 95 × 16 dot pitches); ``params`` = every degradation drawn.
    """

    kind: str
    value: str | None
    level: str
    scene: str
    lines: list[str]
    screen: dict[str, Any]
    references: list[str]
    ads: str | None
    legible: bool
    width: int
    height: int
    format: str = "JPEG"
    jpeg_quality: int | None = None
    exif_orientation: int | None = None
    exif_datetime: str | None = None
    lcd_quad: list[list[float]] | None = None
    text_quad: list[list[float]] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    seed: list[int] = field(default_factory=list)
    expect_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (field order as declared)."""
        return asdict(self)


def write_truth(path: Path, truths: Sequence[PhotoTruth], **meta: Any) -> None:
    """Write ``truth.json``: generator metadata and one entry per photo."""
    document = {
        "generator": GENERATOR_NAME,
        "version": TRUTH_VERSION,
        **meta,
        "count": len(truths),
        "photos": [t.to_dict() for t in truths],
    }
    atomic_write_text(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def load_truth(path: str | Path) -> list[PhotoTruth]:
    """Read a ``truth.json`` written by :func:`write_truth`."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return [PhotoTruth(**entry) for entry in document["photos"]]
