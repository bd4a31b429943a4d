"""Which panel read the locator keeps (pure: reads built by hand, no photo)."""

from __future__ import annotations

import numpy as np

from linkytool.ocr.dotmatrix import CellRead
from linkytool.ocr.lcdgrid import GridSample
from linkytool.ocr.reader import VARIANTS, PanelRead, _rank


def _read(text: tuple[str, str], distance: float, alignment: float) -> PanelRead:
    """A panel read showing ``text``, every cell at ``distance`` [dots] of its glyph."""
    grid = GridSample(
        cells=np.zeros((2, 16, 35)),
        contrast=0.5,
        alignment=alignment,
        offset=(0.0, 0.0),
        scale=(1.0, 1.0),
        darkness=np.zeros((10, 10), dtype=np.float32),
    )
    lines = tuple(
        [CellRead(c, distance, "?", distance + 2.0) for c in line.ljust(16)] for line in text
    )
    return PanelRead(VARIANTS[0], grid, (lines[0], lines[1]))


def test_a_blank_area_does_not_beat_a_real_panel_read_with_errors() -> None:
    # a wall or a blank label: every cell fits the space glyph, no dot grid
    blank = _read(("", "L"), 0.9, 0.005)
    # the real panel under glare: characters on a visible grid, a few cells misread
    panel = _read(("INDLX4INJECTI0N", "         190 kWh"), 2.8, 0.069)
    assert blank.badness < panel.badness  # the plain distance alone would pick the blank
    assert _rank(panel) < _rank(blank)


def test_between_two_readable_panels_the_closer_fit_wins() -> None:
    sharp = _read(("NUMERO PRM", "07861242182801"), 1.0, 0.15)
    blurred = _read(("NUMER0 PRM", "07961242182801"), 2.5, 0.12)
    assert _rank(sharp) < _rank(blurred)
