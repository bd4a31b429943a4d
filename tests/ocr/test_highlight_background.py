"""Dots under a phone's highlight read from their own background (issue 13, ocr51b, stop 51).

A highlight is screen-blended: a level g becomes 1 - (1 - g)(1 - h), so a dot's ink and
the headroom above its background both shrink by 1 - h, and the darkness map (relative
to a smooth background) dims the dots under it, most where it varies within a cell.
``lcdgrid._highlight_undone`` reads each dot's background at the blank columns beside
its cell, at the dot's own row, and gives the dimmed dots their headroom back; on a
blank panel those columns are the panel itself, so nothing turns to ink at the
highlight's fringe, where ocr49a's gain from a smooth map read 0.18 dark (stop 49).
Drawn panels (HD44780 digits, square dots of 5 px at 6 px a pitch, three box blurs):
no photo read."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr import lcdgrid
from linkytool.ocr.font5x7 import COLS, ROWS, glyph_bits
from linkytool.ocr.imaging import box_blur
from linkytool.ocr.lcdgrid import BLANK_CONTRAST, GridSample, sample_grid
from linkytool.ocr.rectify import PX_PER_DOT, dot_centres, rectified_size

PANEL, INK = 150.0, 60.0  # grey levels of the blank panel and of a lit dot
LINES = ("INDEX 0123456789", "0123456789012345")


def _panel(lines: tuple[str, str], strength: float) -> tuple[Image.Image, np.ndarray]:
    """``lines`` drawn on the standard layout under a highlight of ``strength`` (0: none)
    over the second line's middle (1/e² half-widths 12 and 5 pitches, as
    ``ocrsynth.camera`` draws a phone's), and which dots are lit (2, 16, 35)."""
    width, height = rectified_size()
    grey = np.full((height, width), PANEL, dtype=np.float32)
    xs, ys = dot_centres()
    lit = np.zeros((2, 16, ROWS * COLS), dtype=bool)
    for line, text in enumerate(lines):
        for cell, char in enumerate(text.ljust(16)):
            bits = glyph_bits(char)[:ROWS] if char != " " else np.zeros((ROWS, COLS))
            for row, col in zip(*np.nonzero(bits), strict=True):
                x, y = int(xs[cell * COLS + col]), int(ys[line * ROWS + row])
                grey[y - 2 : y + 3, x - 2 : x + 3] = INK
                lit[line, cell, row * COLS + col] = True
    for _ in range(3):
        grey = box_blur(grey, 1)
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    centre_y = ys[ROWS + 3]
    field = strength * np.exp(
        -2.0
        * (
            ((cols - width / 2) / (12 * PX_PER_DOT)) ** 2
            + ((rows - centre_y) / (5 * PX_PER_DOT)) ** 2
        )
    )
    lifted = 255.0 - (255.0 - grey) * (1.0 - field)
    return Image.fromarray(lifted.astype(np.float32)).convert("L"), lit


def _sampled(image: Image.Image, cap: float, monkeypatch: pytest.MonkeyPatch) -> GridSample:
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(lcdgrid.SETTINGS, highlight_gain_cap=cap)
    )
    return sample_grid(image)


@pytest.mark.parametrize("strength", [0.4, 0.6])
def test_dots_under_a_highlight_keep_their_contrast(
    strength: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the darkness map alone the palest lit dot under a highlight of 0.6 reads 0.30
    (0.68 under 0.4), the darkest unlit one 0.17; read from their own background the lit
    dots stay over 0.85, and no unlit dot reads darker than on the map."""
    image, lit = _panel(LINES, strength)
    before = _sampled(image, 1.0, monkeypatch).cells
    after = _sampled(image, SETTINGS_CAP, monkeypatch).cells
    assert before[lit].min() < 0.7
    assert after[lit].min() > 0.85
    assert after[~lit].max() <= before[~lit].max()


def test_a_blank_panel_under_a_highlight_shows_no_ink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fringe: a blank panel under a highlight of 0.8 reads a contrast of 0.084 on
    the darkness map alone (over ``BLANK_CONTRAST``: a screen off reads as a panel with
    characters), 0.02 from the dots' own background (0.009 where every gain applies)."""
    image, _ = _panel(("", ""), 0.8)
    assert _sampled(image, 1.0, monkeypatch).contrast > BLANK_CONTRAST
    assert _sampled(image, SETTINGS_CAP, monkeypatch).contrast < 0.03


def test_without_a_highlight_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No background above the panel's: the samples are the darkness map's, bit for bit."""
    image, _ = _panel(LINES, 0.0)
    before = _sampled(image, 1.0, monkeypatch)
    after = _sampled(image, SETTINGS_CAP, monkeypatch)
    assert np.array_equal(before.cells, after.cells)


SETTINGS_CAP = lcdgrid.SETTINGS.highlight_gain_cap
