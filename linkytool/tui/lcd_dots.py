"""The meter's LCD as dots, and as braille text: the pure part of the LCD preview.

The Linky's screen is a 2 × 16 character dot-matrix LCD: 101 × 22 dots with its margins
(5 × 7 dots a character, 6-dot character pitch, 9-dot line pitch). A braille character
holds 2 × 4 dots, so the whole panel is 51 × 6 terminal cells: small enough for 80
columns, fine enough that every digit can be read and compared with the value proposed.

:func:`lcd_view` is the only place that reads the OCR's result for this (its public
fields ``crop``, ``lines``, ``value``, ``candidates``); the rest works on plain arrays.
The dot grid is found in the crop itself (its size gives the dot pitch and border, a
small search aligns the sampling points on the dots), so the preview does not depend on
the reader's internals.

The photo workers draw the picture (:func:`braille_picture`) next to their reading, where
numpy, Pillow and the OCR are loaded anyway, and :func:`remember` it: the UI process then
only styles ready-made text (:func:`picture_of` finds it by the crop), without importing
numpy nor the OCR nor sampling the crop on the thread that draws the screen. numpy and
the LCD layout are imported inside the functions that need them, for that reason.
"""

from __future__ import annotations

import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    BoolGrid = npt.NDArray[np.bool_]
    Levels = npt.NDArray[np.float64]

#: Braille cell [dots] and its code points: bit of dot (column, row) in U+2800.
BRAILLE_BASE = 0x2800
BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
#: Below this spread of the sampled grey levels [0-255] the crop shows no dots.
MIN_CONTRAST = 12.0
#: Pictures kept by :func:`remember` (three slots, a few replaced photos).
PICTURES_KEPT = 16


@dataclass(frozen=True)
class LcdView:
    """What to draw: the panel's dots (True = dark dot lit on the LCD) and the unsure
    characters as (line, column) positions of the 2 × 16 grid."""

    dots: BoolGrid
    unsure: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class BraillePicture:
    """The panel as braille text: one string per terminal row, and the (row, column)
    cells to highlight (the characters the reader was unsure of). Plain data: it is
    pickled from the photo worker to the UI."""

    rows: tuple[str, ...]
    unsure: frozenset[tuple[int, int]] = frozenset()


def lcd_view(reading: Any) -> LcdView | None:
    """The adapter from an OCR result (``linkytool.ocr.PhotoReading``) to the preview.

    Uses only the result's public fields: ``crop`` (PNG of the rectified panel),
    ``lines``, ``value``, ``candidates``. ``None`` when the reader found no panel.
    """
    crop = getattr(reading, "crop", None)
    if not crop:
        return None
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(crop)) as image:
        grey = np.asarray(image.convert("L"), dtype=np.float64)
    dots = sample_dots(grey)
    if dots is None:
        return None
    unsure = unsure_cells(
        tuple(getattr(reading, "lines", ()) or ()),
        getattr(reading, "value", None),
        tuple(getattr(reading, "candidates", ()) or ()),
    )
    return LcdView(dots, unsure)


def sample_dots(grey: Levels) -> BoolGrid | None:
    """The 22 × 101 dot grid of a rectified panel image (panel + equal border all round).

    The image size gives the pitch ``p`` and the border ``b`` [dots]: ``W = (101 + 2b) p``
    and ``H = (22 + 2b) p``. The sampling grid is then shifted and scaled by a few
    pixels to where the sampled levels spread most (the centres on the dots, not between).
    """
    import numpy as np

    from linkytool.ocr.lcd_layout import PANEL_H, PANEL_W

    height, width = grey.shape
    pitch = (width - height) / (PANEL_W - PANEL_H)
    if pitch < 2:
        return None
    border = (width / pitch - PANEL_W) / 2
    best: tuple[float, Levels] | None = None
    steps = np.linspace(-0.45, 0.45, 7)
    for scale in (0.98, 1.0, 1.02):
        levels = _sample(grey, pitch, border, scale, steps)  # every (dy, dx) at once
        scores = levels.std(axis=(2, 3))
        dy, dx = np.unravel_index(int(np.argmax(scores)), scores.shape)
        if best is None or float(scores[dy, dx]) > best[0]:
            best = (float(scores[dy, dx]), levels[dy, dx])
    assert best is not None
    spread, chosen = best
    if spread < MIN_CONTRAST / 3:
        return None
    return _threshold(chosen)


def _sample(grey: Levels, pitch: float, border: float, scale: float, steps: Levels) -> Levels:
    """Mean grey level around each dot centre (a window half a pitch wide), for each
    shift of the grid by (``steps[i]``, ``steps[j]``) dots: shape (dy, dx, 22, 101)."""
    import numpy as np

    from linkytool.ocr.lcd_layout import PANEL_H, PANEL_W

    height, width = grey.shape
    centre_x, centre_y = width / 2, height / 2
    shifts = steps[:, None]
    cols = np.arange(PANEL_W)[None, :] + 0.5 + border + shifts - (PANEL_W / 2 + border)
    rows = np.arange(PANEL_H)[None, :] + 0.5 + border + shifts - (PANEL_H / 2 + border)
    xs = np.clip(np.round(cols * pitch * scale + centre_x).astype(int), 0, width - 1)
    ys = np.clip(np.round(rows * pitch * scale + centre_y).astype(int), 0, height - 1)
    half = max(1, int(pitch / 4))
    total = np.zeros((len(steps), len(steps), PANEL_H, PANEL_W))
    count = 0
    for oy in range(-half + 1, half):
        for ox in range(-half + 1, half):
            yy = np.clip(ys + oy, 0, height - 1)
            xx = np.clip(xs + ox, 0, width - 1)
            total += grey[yy[:, None, :, None], xx[None, :, None, :]]
            count += 1
    levels: Levels = total / max(1, count)
    return levels


def _threshold(levels: Levels) -> BoolGrid:
    """Dark dots = lit, by Otsu's threshold over the character areas; a flat panel
    (blank screen) has no lit dot."""
    import numpy as np

    mask = character_mask()
    values = levels[mask]
    if float(values.max() - values.min()) < MIN_CONTRAST:
        return np.zeros_like(levels, dtype=bool)
    candidates = np.linspace(values.min(), values.max(), 64)[1:-1]
    best_t, best_var = float(candidates[0]), -1.0
    for t in candidates:
        dark, light = values[values <= t], values[values > t]
        if not len(dark) or not len(light):
            continue
        between = len(dark) * len(light) * (dark.mean() - light.mean()) ** 2
        if between > best_var:
            best_t, best_var = float(t), float(between)
    lit: BoolGrid = (levels <= best_t) & mask
    return lit


def character_mask() -> BoolGrid:
    """True on the dots that belong to a character cell (5 × 7 of each of the 32)."""
    import numpy as np

    from linkytool.ocr.lcd_layout import (
        CHAR_H,
        CHAR_PITCH,
        CHAR_W,
        CHARS,
        LINE_PITCH,
        LINES,
        MARGIN_X,
        MARGIN_Y,
        PANEL_H,
        PANEL_W,
    )

    mask = np.zeros((PANEL_H, PANEL_W), dtype=bool)
    for line in range(LINES):
        top = MARGIN_Y + line * LINE_PITCH
        for column in range(CHARS):
            left = MARGIN_X + column * CHAR_PITCH
            mask[top : top + CHAR_H, left : left + CHAR_W] = True
    return mask


def display_digits(value: str) -> str:
    """The digits of a value in the order the LCD shows them (an ISO date -> JJMMAAAA)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?", value)
    if match:
        year, month, day, hour, minute = match.groups()
        return day + month + year + (hour or "") + (minute or "")
    return "".join(char for char in value if char.isdigit())


def unsure_cells(
    lines: tuple[str, ...], value: str | None, candidates: tuple[str, ...]
) -> frozenset[tuple[int, int]]:
    """The LCD characters where another reading differs from the value proposed.

    The digits of the value and of each alternative are compared from the right (an
    index is shown zero-padded); a digit that differs marks the character cell where
    the value's line shows that digit.
    """
    from linkytool.ocr.lcd_layout import CHARS

    if not value or not candidates or not lines:
        return frozenset()
    shown = display_digits(value)
    line_index = max(range(len(lines)), key=lambda i: sum(c.isdigit() for c in lines[i]))
    positions = [i for i, char in enumerate(lines[line_index]) if char.isdigit()]
    unsure: set[tuple[int, int]] = set()
    for candidate in candidates:
        other = display_digits(candidate)
        for k in range(1, max(len(shown), len(other)) + 1):
            mine = shown[-k] if k <= len(shown) else None
            theirs = other[-k] if k <= len(other) else None
            if mine != theirs and k <= len(positions):
                unsure.add((line_index, positions[-k]))
    return frozenset(cell for cell in unsure if cell[1] < CHARS)


def _cells_of_char(line: int, column: int) -> tuple[range, range]:
    """The braille cells (rows, columns) covering one LCD character."""
    from linkytool.ocr.lcd_layout import CHAR_H, CHAR_PITCH, CHAR_W, LINE_PITCH, MARGIN_X, MARGIN_Y

    top = MARGIN_Y + line * LINE_PITCH
    left = MARGIN_X + column * CHAR_PITCH
    return (
        range(top // 4, (top + CHAR_H - 1) // 4 + 1),
        range(left // 2, (left + CHAR_W - 1) // 2 + 1),
    )


def braille_picture(view: LcdView) -> BraillePicture:
    """``view`` as 6 rows of 51 braille characters, with the unsure characters' cells."""
    import numpy as np

    from linkytool.ocr.lcd_layout import PANEL_H, PANEL_W

    cells_w, cells_h = (PANEL_W + 1) // 2, (PANEL_H + 3) // 4
    padded = np.zeros((cells_h * 4, cells_w * 2), dtype=bool)
    padded[:PANEL_H, :PANEL_W] = view.dots
    rows = []
    for row in range(cells_h):
        chars = []
        for col in range(cells_w):
            code = BRAILLE_BASE
            block = padded[row * 4 : row * 4 + 4, col * 2 : col * 2 + 2]
            for dx in range(2):
                for dy in range(4):
                    if block[dy, dx]:
                        code |= BRAILLE_BITS[dx][dy]
            chars.append(chr(code))
        rows.append("".join(chars))
    unsure: set[tuple[int, int]] = set()
    for line, column in view.unsure:
        cell_rows, cell_cols = _cells_of_char(line, column)
        unsure.update((r, c) for r in cell_rows for c in cell_cols)
    return BraillePicture(tuple(rows), frozenset(unsure))


def draw(reading: Any) -> BraillePicture | None:
    """The braille picture of ``reading``'s panel (``None``: no panel found or an
    unreadable crop: the preview says so, the screen goes on)."""
    try:
        view = lcd_view(reading)
    except Exception:
        return None
    return None if view is None else braille_picture(view)


_pictures: OrderedDict[bytes, BraillePicture | None] = OrderedDict()
_pictures_lock = threading.Lock()


def remember(crop: bytes, picture: BraillePicture | None) -> None:
    """Keep the picture drawn (in the photo worker) for the panel image ``crop``."""
    with _pictures_lock:
        _pictures[crop] = picture
        _pictures.move_to_end(crop)
        while len(_pictures) > PICTURES_KEPT:
            _pictures.popitem(last=False)


def picture_of(reading: Any) -> BraillePicture | None:
    """The picture of ``reading``'s panel: the one remembered for its crop, else drawn
    here (a reading from an injected reader, or the phone intake's)."""
    crop = getattr(reading, "crop", None)
    if not crop:
        return None
    with _pictures_lock:
        if crop in _pictures:
            return _pictures[crop]
    picture = draw(reading)
    remember(crop, picture)
    return picture


__all__ = [
    "BraillePicture",
    "LcdView",
    "braille_picture",
    "display_digits",
    "draw",
    "lcd_view",
    "picture_of",
    "remember",
    "sample_dots",
    "unsure_cells",
]
