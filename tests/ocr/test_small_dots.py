"""Dots sampled at their centres between pixels (Catmull-Rom) on the panels whose
measured dots are small only (``Settings.small_dot_width``, ocr46a): a small dot covers
about 3 px of the rectified panel, and half a pixel of rounding costs its sample up to a
tenth; every panel with ordinary dots (the default geometry's 78-92 % of the pitch) is
sampled at the nearest pixel, as before (ocr45a's sampling of every panel lost on hard
photos)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import lcdgrid, reader
from linkytool.ocr.imaging import box_blur
from linkytool.ocr.lcdgrid import dot_width, sample_grid, small_dots
from linkytool.ocr.screenkind import ScreenKind
from linkytool.ocr.settings import SETTINGS
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import drawn_panel, held_out_verdict, wide_photo

PITCH = 4.6  # rectified px a pitch: a wide panel's lattice, centres between pixels
PANEL = Screen("prm", ("NUMERO PRM".ljust(16), "12345678901234".center(16)), None)


def _pixels(centres: np.ndarray, size: int, sigma: float) -> np.ndarray:
    """Each pixel's share (size,) of each dot's light (centres,) along one axis: a
    Gaussian of ``sigma`` px integrated over the pixel, as a camera's pixel gathers it."""
    edges = np.arange(size + 1) - 0.5
    cdf = np.vectorize(math.erf)((edges[None, :] - centres[:, None]) / (sigma * math.sqrt(2)))
    return np.asarray(np.diff(cdf, axis=1) / 2.0)


def _spread(subpixel: bool, sigma: float) -> float:
    """The lit dots' lowest sample over their highest: 40 × 12 lit dots (Gaussian,
    ``sigma`` px) on a 4.6 px lattice, blurred as the 3 px window samples them."""
    xs = 5.0 + PITCH * np.arange(40)
    ys = 5.0 + PITCH * np.arange(12)
    darkness = _pixels(ys, 70, sigma).sum(axis=0)[:, None] * _pixels(xs, 195, sigma).sum(axis=0)
    samples = lcdgrid._sample(box_blur(darkness.astype(np.float32), 1), xs, ys, subpixel)
    inner = samples[1:-1, 1:-1]  # the dots with neighbours all round
    return float(inner.min() / inner.max())


@pytest.mark.parametrize("sigma", [0.7, 0.8, 1.0])
def test_small_dots_between_pixels_are_sampled_alike(sigma: float) -> None:
    """Identical small dots (about 3 px across, as a wide panel's dots of 40-55 % of the
    pitch measure in the rectified panel) whose centres fall anywhere between pixels:
    interpolated at their centres, every lit dot's sample is within 3 % of the others';
    at the nearest pixel, the dots half a pixel off keep under 95 % of the sample of the
    dots centred on one."""
    assert _spread(True, sigma) > 0.97
    assert _spread(False, sigma) < 0.95


def test_large_dots_lose_little_to_rounding() -> None:
    """Dots as large as the default geometry's (about 5 px across) lose little to a
    rounded centre: what the interpolation changes is the small dots'."""
    assert _spread(True, 1.6) > 0.97
    assert _spread(False, 1.6) > 0.97


@pytest.mark.parametrize(
    ("fill", "small"), [(0.45, True), (0.55, True), (0.85, False), (0.92, False)]
)
def test_the_dots_measured_small_are_those_drawn_small(fill: float, small: bool) -> None:
    """The standard panel drawn sharp with dots of ``fill`` of the pitch: dots of 45-55 %
    measure under ``Settings.small_dot_width``, the default geometry's 85-92 % above it
    (their width measures about the fill: 0.39, 0.47, 0.71, 0.78)."""
    grid = sample_grid(drawn_panel(LcdGeometry(), PANEL, font="hd44780", dot_fill=fill))
    width = dot_width(grid)
    assert width is not None
    assert abs(width - fill) < 0.15
    assert small_dots(grid) is small


def test_a_wide_panels_small_dots_read_sure_at_their_centres(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench/ocr_accuracy.py --geometry wide --level normal --seed 149612`` (ocr45a's
    tuning seed, where its every-panel sampling freed it), HD44780 glyphs held out,
    photo 17: an injection index on a panel drawn with dots 0.56 of the pitch, measured
    0.53 (small). Its dots sampled between pixels, `902` reads right and sure; with the
    rule off (``Settings.small_dot_width`` 0: the nearest pixel), right but to confirm."""
    path, truth = wide_photo(tmp_path, "normal", 17, 149612, "hd44780")
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, True)
    monkeypatch.setattr(reader, "SETTINGS", dataclasses.replace(SETTINGS, small_dot_width=0.0))
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, False)
