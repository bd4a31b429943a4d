"""A guess from tesseract when the panel shows no 5×7 dot grid (pure but for ``read_text``).

The reader's cell classifier only knows dot-matrix characters. A screen it did not
foresee (a segment or plain-font display, a meter model with another panel) still
deserves a reading the installer can confirm: tesseract reads the rectified panel both
ways up (the panel's orientation is chosen from its cells, which mean nothing here), the
title names the screen and the field's grammar finds the value. Such a reading is a guess:
the policy never makes it confident on its own (:attr:`linkytool.ocr.policy.Repair.NO_GRID`);
only evidence from outside the photo (the TIC's PRM) can.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageOps

from linkytool.ocr.grammar import parse_screen
from linkytool.ocr.result import VALUE_SCREENS, ScreenKind
from linkytool.ocr.titles import classify_title

#: Height [px] the panel is scaled to before tesseract reads it (two text lines: about
#: 40 px per line suits tesseract's default model).
READ_HEIGHT = 168


@dataclass(frozen=True)
class TextGuess:
    """What tesseract read on a panel without a dot grid."""

    kind: ScreenKind
    value: str
    #: The panel's text as read, upright (for diagnostics and the UI).
    lines: tuple[str, ...]


def guess_without_grid(
    panel: Image.Image, read_text: Callable[[Image.Image], str]
) -> TextGuess | None:
    """The value screen and value tesseract reads on ``panel`` (None when it reads none).

    ``read_text`` is the OCR engine (``linkytool.ocr.engine.read_block``; injected so the
    rule is testable without tesseract). Both orientations are read; the first whose
    first line names a value screen and whose text holds that screen's value wins.
    """
    grey = ImageOps.autocontrast(panel.convert("L"))
    if grey.height != READ_HEIGHT:
        width = max(1, round(grey.width * READ_HEIGHT / grey.height))
        grey = grey.resize((width, READ_HEIGHT), Image.Resampling.LANCZOS)
    for turn in (0, 180):
        text = read_text(grey.rotate(turn) if turn else grey).upper()
        lines = tuple(line.strip() for line in text.splitlines() if line.strip())
        if not lines:
            continue
        kind = classify_title(lines[0])
        if kind not in VALUE_SCREENS:
            continue
        match = parse_screen(kind, lines)
        if match is not None:
            return TextGuess(kind, match.value, lines)
    return None


__all__ = ["READ_HEIGHT", "TextGuess", "guess_without_grid"]
