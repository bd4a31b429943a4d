"""Stop 54's kernels give the same bits as the numpy expressions they replace.

``gathered_means`` replays numpy's pairwise summation on whole planes (the lattice
search's layout scores, its coarse gathers shared by the layouts), ``row_distances``
builds its 32 row patterns' sums from shared prefixes. Each is compared with the plain
expression it replaced on seeded random inputs: equal bytes, not close values (a last
bit can flip a tie between two layouts or two characters).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from linkytool.ocr import lcdgrid
from linkytool.ocr.dotmatrix import ROW_PATTERNS, row_distances
from linkytool.ocr.imaging import gathered_means

ROWS, COLS = 7, 5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "shape",
    [(1, 1, 1), (3, 5, 7), (9, 4, 8), (60, 41, 14), (40, 41, 80), (30, 40, 131), (2, 600, 300)],
)
def test_gathered_means_match_numpy_mean(dtype: type, shape: tuple[int, int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    values = (rng.standard_normal(700) * rng.choice([1e-3, 1.0, 1e3])).astype(dtype)
    values[::50] = -0.0
    index = rng.integers(0, len(values), shape).astype(np.intp)
    expected = values[index].mean(axis=2)
    units_first = np.ascontiguousarray(np.moveaxis(index, -1, 0))
    got = gathered_means(values, units_first)
    assert got.dtype == expected.dtype
    assert got.tobytes() == expected.tobytes()
    # a units-first view (not a contiguous copy) reads the same
    assert gathered_means(values, np.moveaxis(index, -1, 0)).tobytes() == expected.tobytes()


def _row_distances_plain(cells: npt.NDArray[np.floating], row_shift_cost: float) -> object:
    """``row_distances`` as it was: every pattern's 5 terms, summed by numpy."""
    rows = cells.reshape(cells.shape[0], ROWS, 1, COLS)
    plain = np.abs(rows - ROW_PATTERNS[None, None, :, :]).sum(axis=3)
    right = [p >> 1 if p & 1 == 0 else p for p in range(32)]
    left = [(p << 1) & 31 if p & 16 == 0 else p for p in range(32)]
    moved = np.minimum(plain[:, :, right], plain[:, :, left]) + row_shift_cost
    return np.minimum(plain, moved)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("count", [0, 1, 16, 33])
def test_row_distances_match_summed_patterns(dtype: type, count: int) -> None:
    rng = np.random.default_rng(count)
    cells = (rng.random((count, ROWS * COLS)) * 1.4 - 0.2).astype(dtype)
    cells[rng.random(cells.shape) < 0.2] = 1.0
    cells[rng.random(cells.shape) < 0.1] = 0.0
    for cost in (1.0, np.inf):
        got = row_distances(cells, cost)
        expected = _row_distances_plain(cells, cost)
        assert isinstance(expected, np.ndarray)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_layout_fits_sharing_unit_planes_match_one_layout_at_a_time(seed: int) -> None:
    """The coarse search gathers each unit position once for all layouts: each layout's
    fit is the one it gets searched alone (which gathers its own)."""
    rng = np.random.default_rng(seed)
    for profile, centre, layouts, pitches, weigh in (
        (rng.standard_normal(168), 84.0, lcdgrid.Y_LAYOUTS, lcdgrid.Y_PITCHES, True),
        (rng.standard_normal(168), 84.0, lcdgrid.Y_LAYOUTS, lcdgrid.Y_PITCHES, False),
        (rng.standard_normal(642), 321.0, lcdgrid.X_LAYOUTS, lcdgrid.X_PITCHES, False),
    ):
        values = (profile * 0.3).astype(np.float32)
        together = lcdgrid._fit_layouts(values, centre, layouts, pitches, weigh_blanks=weigh)
        alone = [
            lcdgrid._fit_layouts(values, centre, {key: units}, pitches, weigh_blanks=weigh)[0]
            for key, units in layouts.items()
        ]
        assert repr(sorted(together, key=str)) == repr(sorted(alone, key=str))
