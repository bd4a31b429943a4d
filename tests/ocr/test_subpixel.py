"""The dots' registration to the pixel (issue 13, ocrD).

The grid's search moves by a quarter pitch (1.5 rectified px): its dot centres may sit
a pixel off the dots. :func:`linkytool.ocr.lcdgrid.pixel_shift` finds the whole-pixel
shift whose centres are darkest against the points between the dots, and the dots are
sampled there.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import lcdgrid, read_photo
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.imaging import box_blur
from linkytool.ocr.lcdgrid import pixel_shift
from linkytool.ocr.rectify import PX_PER_DOT, dot_centres, rectified_size

from .conftest import bench_photo


def _panel(shift: tuple[float, float], fill: float = 0.7) -> np.ndarray:
    """A darkness map: every dot of the standard layout lit, drawn ``shift`` [px] off
    the nominal centres (square dots covering ``fill`` of the pitch, anti-aliased)."""
    width, height = rectified_size()
    xs, ys = dot_centres()
    half = fill * PX_PER_DOT / 2

    def coverage(centres: np.ndarray, size: int, move: float) -> np.ndarray:
        edges = np.arange(size + 1, dtype=np.float64)[:, None] - 0.5  # pixel i: [i-.5, i+.5)
        low = np.clip(centres[None, :] + move - half, edges[:-1], edges[1:])
        high = np.clip(centres[None, :] + move + half, edges[:-1], edges[1:])
        return (high - low).sum(axis=1)

    return np.outer(coverage(ys, height, shift[1]), coverage(xs, width, shift[0])).astype(
        np.float32
    )


@pytest.mark.parametrize("shift", [(0, 0), (1, -1), (-1, 0), (0, 1)])
def test_the_shift_drawn_is_found(shift: tuple[int, int]) -> None:
    """On a panel blurred as a hard photo's (each dot's profile peaked at its centre)."""
    smooth = box_blur(box_blur(box_blur(_panel(shift), 2), 2), 1)
    xs, ys = dot_centres()
    assert pixel_shift(smooth, xs, ys) == shift


def test_a_flat_topped_dot_keeps_the_grid() -> None:
    """A sharp panel of wide dots: every shift keeping the samples inside the dots
    scores alike, and the grid's own centres are kept."""
    xs, ys = dot_centres()
    assert pixel_shift(box_blur(_panel((0, 0), fill=0.9), 1), xs, ys) == (0, 0)


@pytest.mark.parametrize("reach", [1, 0])
def test_a_hard_date_read_on_its_registered_dots(
    tmp_path: Path, reach: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tuning seed 93001, X11 5x7 hard photo 14 (2025-12-02T07:44), read without the
    X11 5x7 templates: sampled at the grid's own centres its date did not parse (no
    value); registered to the pixel, it is read right and confidently. (``reach`` 0:
    the rule off, for contrast.)"""
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(lcdgrid.SETTINGS, pixel_shift_reach=reach)
    )
    path, value = bench_photo(tmp_path, "x11_5x7", "hard", 14, 93001)
    with use_template_fonts(tuple(f for f in template_fonts() if f != "x11_5x7")):
        reading = read_photo(path)
    if reach:
        assert reading.value == value == "2025-12-02T07:44"
        assert reading.confident
    else:
        assert reading.value != value
