"""The dots' registration to the pixel (issue 13, ocrD).

The grid's search moves by a quarter pitch (1.5 rectified px): its dot centres may sit
a pixel off the dots. :func:`linkytool.ocr.lcdgrid.pixel_shift` finds the whole-pixel
shift whose centres are darkest against the points between the dots, and the dots are
sampled there.
"""

from __future__ import annotations

import numpy as np
import pytest

from linkytool.ocr.imaging import box_blur
from linkytool.ocr.lcdgrid import pixel_shift
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
