"""Which panel read the locator keeps (pure: reads built by hand, no photo)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from linkytool.ocr.dotmatrix import CellRead
from linkytool.ocr.lcdgrid import GridSample
from linkytool.ocr.panel import VARIANTS, PanelRead
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.screenkind import spot_title
from ocrsynth.font5x7 import FONTS, glyph_bits

FONT = next(iter(FONTS))


def _cells(text: tuple[str, str]) -> np.ndarray:
    """The dot samples (2, 16, 35) of a clean panel showing ``text``."""
    return np.array(
        [
            [glyph_bits(c, FONT).astype(np.float64).reshape(-1) for c in line.ljust(16)]
            for line in text
        ]
    )


def _read(text: tuple[str, str], distance: float, alignment: float) -> PanelRead:
    """A panel read showing ``text``, every cell at ``distance`` [dots] of its glyph."""
    grid = GridSample(
        cells=_cells(text),
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
    assert panel.rank < blank.rank


def test_between_two_readable_panels_the_closer_fit_wins() -> None:
    sharp = _read(("NUMERO PRM", "07861242182801"), 1.0, 0.15)
    blurred = _read(("NUMER0 PRM", "07961242182801"), 2.5, 0.12)
    assert sharp.rank < blurred.rank


def test_a_periodic_pattern_without_a_title_word_loses_to_a_screen() -> None:
    # a row of breakers: marks and a few letters on a dot-like grid, no title word
    breakers = _read(("-----  4BBBk +=-", "*==        ---=-"), 2.5, 0.07)
    screen = _read(("=6HLR0 PRM(", "02355339526274"), 2.9, 0.076)
    assert breakers.badness < screen.badness
    assert screen.rank < breakers.rank


def _damaged(read: PanelRead, cells: range, dots: int) -> PanelRead:
    """``read`` with ``dots`` dots of each of the title ``cells`` inverted."""
    samples = read.grid.cells.copy()
    for cell in cells:
        samples[0, cell, :dots] = 1.0 - samples[0, cell, :dots]
    return replace(read, grid=replace(read.grid, cells=samples))


def test_a_value_keyword_glued_to_noise_still_counts_as_a_title() -> None:
    # whole-word spotting needs blank cells around "PRM" (and its dots are blurred);
    # the cell text still names it
    glued = _damaged(_read(("NUMEROTPRMK:GJH+", "D36206957445289'"), 7.5, 0.088), range(7, 10), 2)
    noise = _read(("  2P      74L   ", " WF          4L "), 5.1, 0.015)
    assert glued.title_spotted
    assert not noise.title_spotted
    assert glued.rank < noise.rank


def test_another_screen_word_beside_the_value_word_does_not_veto_it() -> None:
    # "DATE ET HEURE": a blurred DATE fits worse than the sharp HEURE next to it, but
    # HEURE sits on other cells, so it is not a competing reading of the title
    read = _damaged(_read(("DATE ET HEURE", "09/05/2026 08:15"), 1.0, 0.15), range(4), 4)
    kind, cost, _ = spot_title(read)
    assert kind is ScreenKind.DATE
    assert cost > 1.5  # the veto would have applied had HEURE overlapped DATE


def test_another_screen_word_on_the_same_cells_still_vetoes() -> None:
    read = _read(("HEURE CREUSE", "001234 kWh"), 1.0, 0.15)
    assert spot_title(read)[0] is ScreenKind.OTHER
