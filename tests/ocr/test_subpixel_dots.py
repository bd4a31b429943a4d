"""Each dot is sampled at its centre as the grid places it, interpolated (Catmull-Rom)
from the pixels around it, not at the nearest pixel (``Settings.subpixel_dots``,
ocr45a): a small dot covers about 3 px of the rectified panel, and half a pixel of
rounding costs its sample up to a tenth."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import lcdgrid
from linkytool.ocr.imaging import box_blur
from linkytool.ocr.screenkind import ScreenKind

from .conftest import held_out_verdict, wide_photo

PITCH = 4.6  # rectified px a pitch: a wide panel's lattice, centres between pixels


def _pixels(centres: np.ndarray, size: int, sigma: float) -> np.ndarray:
    """Each pixel's share (size,) of each dot's light (centres,) along one axis: a
    Gaussian of ``sigma`` px integrated over the pixel, as a camera's pixel gathers it."""
    edges = np.arange(size + 1) - 0.5
    cdf = np.vectorize(math.erf)((edges[None, :] - centres[:, None]) / (sigma * math.sqrt(2)))
    return np.asarray(np.diff(cdf, axis=1) / 2.0)


def _small_dots(sigma: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A darkness map of 40 × 12 lit dots (Gaussian, ``sigma`` px) on a 4.6 px lattice,
    blurred as the 3 px window samples it, and the dots' centres."""
    xs = 5.0 + PITCH * np.arange(40)
    ys = 5.0 + PITCH * np.arange(12)
    darkness = _pixels(ys, 70, sigma).sum(axis=0)[:, None] * _pixels(xs, 195, sigma).sum(axis=0)
    return box_blur(darkness.astype(np.float32), 1), xs, ys


def _spread(monkeypatch: pytest.MonkeyPatch, subpixel: bool, sigma: float) -> float:
    """The lit dots' lowest sample over their highest."""
    blurred, xs, ys = _small_dots(sigma)
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(lcdgrid.SETTINGS, subpixel_dots=subpixel)
    )
    samples = lcdgrid._sample(blurred, xs, ys)
    inner = samples[1:-1, 1:-1]  # the dots with neighbours all round
    return float(inner.min() / inner.max())


@pytest.mark.parametrize("sigma", [0.7, 0.8, 1.0])
def test_small_dots_between_pixels_are_sampled_alike(
    monkeypatch: pytest.MonkeyPatch, sigma: float
) -> None:
    """Identical small dots (about 3 px across, as a wide panel's dots of 40-55 % of the
    pitch measure in the rectified panel) whose centres fall anywhere between pixels:
    interpolated at their centres, every lit dot's sample is within 3 % of the others';
    at the nearest pixel, the dots half a pixel off keep under 95 % of the sample of the
    dots centred on one."""
    assert _spread(monkeypatch, True, sigma) > 0.97
    assert _spread(monkeypatch, False, sigma) < 0.95


def test_large_dots_lose_little_to_rounding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dots as large as the default geometry's (about 5 px across) lose little to a
    rounded centre, and nothing interpolated: the change is the small dots'."""
    assert _spread(monkeypatch, True, 1.6) > 0.97
    assert _spread(monkeypatch, False, 1.6) > 0.97


def test_a_wide_panels_small_dots_read_sure_at_their_centres(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench/ocr_accuracy.py --geometry wide --level normal --seed 149612`` (ocr45a's
    tuning seed), HD44780 glyphs held out, photo 17: an injection index on a panel drawn
    with dots 0.56 of the pitch. Sampled at the dots' centres, `902` reads right and
    sure; at the nearest pixel, right but to confirm."""
    path, truth = wide_photo(tmp_path, "normal", 17, 149612, "hd44780")
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, True)
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(lcdgrid.SETTINGS, subpixel_dots=False)
    )
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, False)
