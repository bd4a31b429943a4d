"""How legible a drawn photo's digits are: their contrast over the photo's noise.

The levels up to ``hard`` promise photos a person can read, but no draw is checked: a
level's ``legible`` flag holds for the level, not for each photo. At a few pixels a
dot, under noise, a dark exposure or a glare, some draws show no readable digit (lead,
stop 44: wide hard photo 41 of seed 87602 shows a blank panel even with its contrast
stretched). Such a photo measures the generator, not the reader.

:func:`digit_contrast` is told what a reader has to find: where the dot area is (the
truth's ``text_quad``), its lattice (columns, cell rows, gaps: the truth's ``params``),
the glyph set and the text. For every digit cell it averages each dot's pixels and
takes the lit dots' mean darkness minus the unlit ones'; the noise is the spread of the
dots around those two means over all the digit cells. The weakest digit's contrast, in
noise standard deviations, is the photo's: a value is as legible as its least legible
digit. :data:`LEGIBLE_CONTRAST` says where a person stops reading (see its note).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

from ocrsynth import geometry
from ocrsynth.font5x7 import COLS, font_rows, glyph_bits
from ocrsynth.render import STANDARD_GEOMETRY, LcdGeometry

Array = npt.NDArray[np.float64]

#: A dot's pixels are averaged over a box of this share of the pitch around its centre.
DOT_BOX = 0.25
#: Weakest digit's contrast [noise standard deviations] from which a value counts as
#: legible. Set by eye (lead, stop 44), blind to the contrast and to the reader: 22
#: crops of value screens (wide hard seed 87602, default hard seed 85431; 19 scenes),
#: each read by eye and the reading compared with the truth afterwards. Under 2.0, 1
#: of 12 read right (contrasts 0.15-1.96); from 2.0 on, 5 of 10 (2.24-3.54). A lower
#: bound: a photo under it is one a person does not read; one over it may still be.
LEGIBLE_CONTRAST = 2.0


def drawn_geometries(params: Mapping[str, Any], font: str) -> list[LcdGeometry]:
    """The lattices the photo may have been drawn with, from its ``params``: one, or two
    when a 5 × 8 glyph set met a wide panel whose drawn cell height the params do not
    keep (``meter._fit_font`` shortens a 5 × 7 panel's line gap and overwrites
    ``cell_5x8``)."""
    if "columns_20" not in params:  # the default geometry (its margins aside)
        panel = STANDARD_GEOMETRY
    else:
        panel = LcdGeometry(
            columns=20 if params["columns_20"] else 16,
            cell_rows=8 if params.get("cell_5x8") else 7,
            char_gap=int(params.get("char_gap", STANDARD_GEOMETRY.char_gap)),
            line_gap=int(params.get("line_gap", STANDARD_GEOMETRY.line_gap)),
        )
    rows = font_rows(font)
    if rows <= 7:
        return [panel]
    fitted = replace(panel, cell_rows=rows, line_gap=max(1, panel.line_gap - 1))
    return [fitted] if "columns_20" not in params else [replace(panel, cell_rows=rows), fitted]


def _digit_cells(lines: Sequence[str], panel: LcdGeometry) -> list[tuple[int, int, str]]:
    """(line, column, digit) of every digit drawn on ``lines`` (a line narrower than
    the panel centred on it, as ``render.lcd_dot_grids`` draws it)."""
    cells = []
    for line, text in enumerate(lines):
        shift = max(0, (panel.columns - len(text)) // 2)
        cells += [(line, shift + i, c) for i, c in enumerate(text) if c.isdigit()]
    return [cell for cell in cells if cell[1] < panel.columns]


def bilinear(grey: Array, points: Array) -> Array:
    """``grey`` sampled at ``points`` (n, 2) [px, x then y], interpolated bilinearly."""
    x = np.clip(points[:, 0], 0, grey.shape[1] - 2)
    y = np.clip(points[:, 1], 0, grey.shape[0] - 2)
    x0, y0 = x.astype(int), y.astype(int)
    fx, fy = x - x0, y - y0
    return np.asarray(
        grey[y0, x0] * (1 - fx) * (1 - fy)
        + grey[y0, x0 + 1] * fx * (1 - fy)
        + grey[y0 + 1, x0] * (1 - fx) * fy
        + grey[y0 + 1, x0 + 1] * fx * fy
    )


def _contrast_on(
    grey_photo: Image.Image, quad: Array, panel: LcdGeometry, font: str, lines: Sequence[str]
) -> tuple[float, float]:
    """(weakest digit's contrast [noise sd], mean darkness of the lit dots) with the
    dots on lattice ``panel``."""
    corners = np.array([[0, 0], [panel.text_w, 0], [panel.text_w, panel.text_h], [0, panel.text_h]])
    to_image = geometry.homography(corners.astype(np.float64), quad)
    pitch = float(np.linalg.norm(quad[1] - quad[0])) / panel.text_w
    low = np.maximum(0, np.floor(quad.min(axis=0) - 4 * pitch)).astype(int)
    high = np.ceil(quad.max(axis=0) + 4 * pitch).astype(int)
    crop = grey_photo.crop((int(low[0]), int(low[1]), int(high[0]), int(high[1])))
    grey = np.asarray(crop.filter(ImageFilter.BoxBlur(DOT_BOX * pitch)), dtype=np.float64)
    contrasts: list[float] = []
    residuals: list[Array] = []
    lit_darkness: list[float] = []
    for line, column, digit in _digit_cells(lines, panel):
        row0, col0 = line * panel.line_pitch, column * panel.char_pitch
        dots = np.array(
            [[col0 + k + 0.5, row0 + r + 0.5] for r in range(panel.cell_rows) for k in range(COLS)]
        )
        darkness = -bilinear(grey, geometry.apply_homography(to_image, dots) - low)
        bits = np.zeros((panel.cell_rows, COLS), dtype=np.bool_)
        glyph = glyph_bits(digit, font)
        bits[: min(panel.cell_rows, glyph.shape[0])] = glyph[: panel.cell_rows]
        on, off = darkness[bits.ravel()], darkness[~bits.ravel()]
        contrasts.append(float(on.mean() - off.mean()))
        residuals += [on - on.mean(), off - off.mean()]
        lit_darkness.append(float(on.mean()))
    if not contrasts:
        return 0.0, -np.inf
    noise = max(float(np.concatenate(residuals).std()), 1e-6)
    return min(contrasts) / noise, float(np.mean(lit_darkness))


def digit_contrast(image: Image.Image, truth: Mapping[str, Any]) -> float | None:
    """The weakest digit's contrast [noise standard deviations] of a drawn photo's
    screen, on the lattice its params allow whose lit dots are darkest; None for a
    photo without a dot area or without digits (a title screen, a real photo)."""
    quad = truth.get("text_quad")
    lines = truth.get("lines") or []
    if not quad or not any(c.isdigit() for line in lines for c in line):
        return None
    font = str(truth["screen"]["font"])
    grey = image.convert("L")
    fits = [
        _contrast_on(grey, np.array(quad, dtype=np.float64), panel, font, lines)
        for panel in drawn_geometries(truth.get("params", {}), font)
    ]
    return max(fits, key=lambda fit: fit[1])[0]


def value_legible(image: Image.Image, truth: Mapping[str, Any]) -> bool:
    """False when the photo's weakest digit is under :data:`LEGIBLE_CONTRAST` (no person
    reads it); True otherwise, and for a photo the measure does not apply to."""
    contrast = digit_contrast(image, truth)
    return contrast is None or contrast >= LEGIBLE_CONTRAST


__all__ = ["LEGIBLE_CONTRAST", "bilinear", "digit_contrast", "drawn_geometries", "value_legible"]
