"""Each way up of a quad is also read at the dots the other way up was read at (ocrG,
:func:`linkytool.ocr.panel.read_turned`, ``Settings.read_turned``).

The photo is ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 115001``, photo
5, the X11 5x8 set held out, regenerated from its seed: an index screen (``112362 kWh``)
with the backlight off, the lowest ink contrast of the level and motion blur. Its dot
lattice barely shows (alignment 0.07): the standard layout's search put the upright
panel's grid half a pitch off, the blank cells read as noise, and the panel turned 180°
(read on a grid of its own) ranked better: noise read as a PRM, ``00113910149901``.
Read on the mirror of the turned panel's grid, the upright panel reads its title and
its index.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr import panel, read_photo
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.lcdgrid import dot_centres, mirrored, sample_grid
from linkytool.ocr.rectify import rectified_size
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import bench_photo


def test_the_mirrored_grid_samples_the_same_dots_turned() -> None:
    rng = np.random.default_rng(5)
    image = rng.uniform(0, 255, rectified_size()[::-1]).astype(np.uint8)
    upright = Image.fromarray(image, "L")
    turned = upright.rotate(180)
    grid = sample_grid(upright)
    again = sample_grid(turned, at=mirrored(grid))
    assert again.placed and again.offset == (-grid.offset[0], -grid.offset[1])
    width = rectified_size()[0]
    xs, _ = dot_centres(grid.offset, grid.scale)
    xs_turned, _ = dot_centres(again.offset, again.scale)
    assert np.allclose(np.sort(width - xs), np.sort(xs_turned))


def test_a_dim_panel_read_upside_down_is_read_upright(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 5, seed=115001)
    assert truth == "112362"
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x8")):
        reading = read_photo(photo)
        assert (reading.screen, reading.value) == (ScreenKind.INJECTION_INDEX, truth)
        assert not reading.confident
        monkeypatch.setattr(panel, "SETTINGS", dataclasses.replace(SETTINGS, read_turned=False))
        before = read_photo(photo)
    assert before.screen is not ScreenKind.INJECTION_INDEX
