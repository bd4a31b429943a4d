"""A panel read on a measured lattice is sampled again at the photo's own resolution
(issue 13, ocr43a; ``panel._at_photo_resolution``, ``lcdgrid.scaled_lattice``).

Every panel is rectified at 6 px a standard pitch (``rectify.PX_PER_DOT``); a wide panel
holds more pitches, so its lattice measures 4-6 px a pitch while the photo often shows
its dots larger. The quad is warped again so that the lattice measures about 6 px (never
more than the photo's own pitch), and the dots sampled there.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr import panel, read_photo
from linkytool.ocr.lcdgrid import (
    Lattice,
    darkness_map,
    measure_lattice,
    resample,
    sample_grid,
    scaled_lattice,
)
from linkytool.ocr.loading import open_photo
from linkytool.ocr.panel import VARIANTS, classify_grid, find_panel, read_panel, rewarp_px_per_dot
from linkytool.ocr.rectify import PANEL_H, PANEL_W, PX_PER_DOT, rectified_size, rectify
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import clean_panel, wide_photo

LINES = ("NUMERO PRM", "12345678901234")
SCREEN = Screen("prm", (LINES[0].ljust(16), LINES[1].center(16)), None)
#: What the cells read (HD44780's O and 0 are one glyph apart: the title keeps either).
READ = ("NUMER0 PRM", LINES[1])
#: A wide panel: 20 columns, two blank columns between cells, wide margins (its lattice
#: measures under 4.5 px a pitch at 6 px a standard pitch).
WIDE = LcdGeometry(margin_x=6.0, margin_y=3.0, columns=20, char_gap=2, line_gap=2)


def _lattice(pitch: tuple[float, float]) -> Lattice:
    empty = np.zeros(1)
    return Lattice(empty, empty, empty, empty, 1, (7, 1), pitch, 0.0)


def _quad(width: float, height: float) -> np.ndarray:
    return np.array([[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]])


def test_the_quad_is_warped_again_so_the_lattice_measures_the_designed_pitch() -> None:
    """A lattice of 4.5 px a pitch on a quad the photo shows at twice the rectified
    size: warped again at 8 px a standard pitch (4.5 × 8 / 6 = 6 px a dot pitch)."""
    quad = _quad(2 * PANEL_W * PX_PER_DOT, 2 * PANEL_H * PX_PER_DOT)
    assert rewarp_px_per_dot(_lattice((4.5, 5.0)), quad) == 8
    # the smaller pitch decides: the 5 px window must not span either
    assert rewarp_px_per_dot(_lattice((5.5, 4.0)), quad) == 9


def test_the_warp_never_draws_a_pitch_larger_than_the_photo_shows_it() -> None:
    """Capped at the photo's own resolution: a quad shown at 1.2 times the rectified
    size allows 7 px a standard pitch, one shown smaller than it allows no new warp
    (:data:`PX_PER_DOT`), and a lattice already at 6 px wants none."""
    lattice = _lattice((4.0, 4.0))
    assert (
        rewarp_px_per_dot(lattice, _quad(1.2 * PANEL_W * PX_PER_DOT, 1.2 * PANEL_H * PX_PER_DOT))
        == 7
    )
    assert (
        rewarp_px_per_dot(lattice, _quad(0.8 * PANEL_W * PX_PER_DOT, 3 * PANEL_H * PX_PER_DOT)) == 6
    )
    big = _quad(3 * PANEL_W * PX_PER_DOT, 3 * PANEL_H * PX_PER_DOT)
    assert rewarp_px_per_dot(_lattice((6.0, 6.5)), big) == PX_PER_DOT


def _photo(geometry: LcdGeometry) -> tuple[Image.Image, np.ndarray]:
    """``SCREEN`` drawn on a clean panel of ``geometry`` at 9 px a pitch (the photo), and
    the panel's quad in it."""
    panel = clean_panel(geometry, SCREEN, font="hd44780", dot_fill=0.85)
    photo = Image.new("RGB", (panel.width + 80, panel.height + 80), (30, 30, 30))
    photo.paste(panel, (40, 40))
    return photo, _quad(panel.width, panel.height) + 40.0


@pytest.mark.parametrize("px_per_dot", [8, 9])
def test_the_lattice_scaled_reads_the_panel_warped_again(px_per_dot: int) -> None:
    """The lattice measured at 6 px a standard pitch, scaled (:func:`scaled_lattice`),
    puts the dots of the same quad rectified at ``px_per_dot`` where they are: the wide
    panel's cells read the drawn text there, and every variant (the 5 px window of the
    same grey, the green channel sampled like it) keeps that resolution."""
    photo, quad = _photo(WIDE)
    grey = np.asarray(rectify(photo, quad).convert("L"), dtype=np.float32)
    lattice = measure_lattice(darkness_map(grey))
    assert min(lattice.pitch) < 4.5  # the wide panel: below the designed 6 px
    panel = rectify(photo, quad, px_per_dot)
    scaled = scaled_lattice(lattice, px_per_dot / PX_PER_DOT)
    assert min(scaled.pitch) > 5.0
    grid = sample_grid(panel.convert("L"), px_per_dot, window=3, lattice=scaled)
    first = classify_grid(grid, VARIANTS[0])
    assert tuple(line.strip() for line in first.text) == READ
    assert grid.px_per_dot == px_per_dot
    assert resample(grid, window=5).px_per_dot == px_per_dot
    green = read_panel(panel, VARIANTS[2], like=grid)
    assert green.grid.px_per_dot == px_per_dot
    assert tuple(line.strip() for line in green.text) == READ


def test_a_wide_photo_read_on_its_lattice_is_sampled_at_its_own_resolution(
    tmp_path: Path,
) -> None:
    """``bench/ocr_accuracy.py --geometry wide --level normal --seed 148001`` (ocr43a's
    tuning seed), HD44780 glyphs, photo 2: a PRM panel whose lattice measures 5.0 × 4.5
    px a pitch at 6 px a standard pitch, shown at 1.5 times that size in the photo. The
    panel chosen is warped again at 8 px a standard pitch (its lattice at 6.6 × 6.1 px),
    its first line still names the screen, and the PRM reads right and sure; with the
    re-warp off it is sampled at 6 px."""
    path, truth = wide_photo(tmp_path, "normal", 2, 148001, "hd44780")
    image = open_photo(path).image
    choice = find_panel(image)
    assert choice is not None and choice.first.grid.lattice is not None
    assert choice.first.grid.px_per_dot == 8
    assert choice.panel.size == rectified_size(8)
    assert choice.first.title_spotted
    reading = read_photo(path)
    assert (reading.value, reading.confident) == (truth, True)
    off = dataclasses.replace(panel.SETTINGS, rewarp_lattice=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(panel, "SETTINGS", off)
        before = find_panel(image)
    assert before is not None and before.first.grid.px_per_dot == PX_PER_DOT
