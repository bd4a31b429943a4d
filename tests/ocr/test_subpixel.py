"""The dots' sub-pixel registration (issue 13, ocrD).

The grid's search moves by a quarter pitch (1.5 rectified px) and the dots used to be
sampled at the nearest whole pixel; :func:`linkytool.ocr.lcdgrid.subpixel_shift` finds
the fraction of a pixel left, and the samples are read there.
"""

from __future__ import annotations

import numpy as np
import pytest

from linkytool.ocr.imaging import box_blur
from linkytool.ocr.lcdgrid import _bilinear, subpixel_shift
from linkytool.ocr.rectify import PX_PER_DOT, dot_centres, rectified_size


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


@pytest.mark.parametrize("shift", [(0.0, 0.0), (0.75, -0.5), (-1.25, 1.0), (0.5, 0.25)])
def test_the_shift_drawn_is_found(shift: tuple[float, float]) -> None:
    smooth = box_blur(_panel(shift), 1)
    xs, ys = dot_centres()
    assert subpixel_shift(smooth, xs, ys) == pytest.approx(shift, abs=0.25)


def test_bilinear_reads_whole_pixels_exactly_and_halfway_between() -> None:
    array = np.arange(20, dtype=np.float32).reshape(4, 5)
    xs, ys = np.array([0.0, 1.0, 3.5]), np.array([2.0, 0.5])
    out = _bilinear(array, xs, ys)
    assert out[0].tolist() == [10.0, 11.0, 13.5]
    assert out[1].tolist() == pytest.approx([2.5, 3.5, 6.0])
