"""A defocused panel's dot samples, measured and sharpened (issue 13, lead, stop 46).

A phone focused a little off the screen spreads each lit dot's darkness onto its four
neighbours: unlit dots beside a stroke read grey, a lone lit dot pale, and the margins
between digits that differ by a dot or two shrink until nothing is confident. The
spread is measured from the panel's own samples, with no template: once the cell's
levels are normalised, an unlit dot reads darker by about ``spread`` for each lit
neighbour (a least-squares slope over every unlit dot of the panel). When that slope is
clear, the samples are sharpened by undoing the spread in dot space (a few fixed-point
passes of ``x = y - s * neighbours(x)``, floored at 0), which is the inverse of that
blur model where the model holds. Pure numpy on the (2, 16, 35) samples.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from linkytool.ocr.font5x7 import COLS, ROWS

Samples = npt.NDArray[np.float64]

#: A dot is taken as lit at this normalised level when the spread is measured.
LIT_LEVEL = 0.5
#: Fewest lit and unlit dots on the panel for a slope to mean anything.
MIN_DOTS = 20
#: Fixed-point passes when the spread is undone (the spread is small: three passes
#: reach the inverse within s**3).
PASSES = 3


def _neighbours(dots: Samples) -> Samples:
    """(lines, rows, chars, cols): the sum of each dot's four neighbours inside its own
    cell (a neighbouring cell lies a blank column away, beyond the spread measured)."""
    padded = np.pad(dots, ((0, 0), (1, 1), (0, 0), (1, 1)))
    out: Samples = (
        padded[:, :-2, :, 1:-1]
        + padded[:, 2:, :, 1:-1]
        + padded[:, 1:-1, :, :-2]
        + padded[:, 1:-1, :, 2:]
    )
    return out


def _by_dot(samples: Samples) -> Samples:
    """The (14, 80) samples (rows of both lines, columns of every cell) as
    (lines, rows, chars, cols)."""
    lines = samples.shape[0] // ROWS
    chars = samples.shape[1] // COLS
    return samples.reshape(lines, ROWS, chars, COLS)


def dot_spread(samples: Samples) -> float:
    """How much darker an unlit dot reads for each lit neighbour [normalised level per
    neighbour]: the least-squares slope over the panel's unlit dots of ``samples``
    (14, 80), normalised per cell. About 0 on a sharp panel; 0 when the panel has too
    few lit or unlit dots to tell."""
    dots = _by_dot(samples)
    lit = dots > LIT_LEVEL
    if lit.sum() < MIN_DOTS or (~lit).sum() < MIN_DOTS:
        return 0.0
    count = _neighbours(lit.astype(np.float64))[~lit]
    level = dots[~lit]
    if float(count.std()) < 1e-9:
        return 0.0
    slope = np.cov(count, level, bias=True)[0, 1] / float(count.var())
    return float(slope)


def undo_spread(samples: Samples, spread: float) -> Samples:
    """``samples`` (14, 80) with a spread of ``spread`` onto each of the four neighbours
    undone (:func:`dot_spread`'s model: a sample is its dot plus ``spread`` times its
    neighbours), floored at 0; the caller normalises the result again."""
    dots = _by_dot(samples)
    sharp = dots
    for _ in range(PASSES):
        sharp = np.maximum(dots - spread * _neighbours(sharp), 0.0)
    out: Samples = sharp.reshape(samples.shape)
    return out
