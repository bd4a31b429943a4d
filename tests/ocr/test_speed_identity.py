"""The reader's fast paths give the same bits as the plain computations they replace.

Speed-ups of the photo reader (batched Otsu levels, word spotting from a gather plan,
row sums added column by column, blurs and labels from cumulative sums, early-ending
line fits) must not change a single reading: a float that differs in its last bit can
flip a tie between two panels or two characters. Each test runs the fast function and a
plain one-at-a-time version (the code it replaced) on seeded random inputs and wants
equal bytes, not approximately equal values. (Whole readings of two trees are compared
by ``devtools/ocr_identity.py``.)
"""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt
import pytest

from linkytool.ocr.dotmatrix import char_distances, row_distances, spot_words, templates
from linkytool.ocr.imaging import box_blur, label_components
from linkytool.ocr.lcdgrid import otsu_rows
from linkytool.ocr.rectify import _fit_line
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.titles import SPOT_EQUIVALENTS, SPOT_OTHER_WORDS, SPOT_WORDS

FloatArray = npt.NDArray[np.float64]
WORDS = [word for word, _ in SPOT_WORDS] + list(SPOT_OTHER_WORDS)


def _otsu_one(values: FloatArray) -> tuple[float, float]:
    """Otsu's class means of one window, as computed before batching."""
    flat = np.sort(values.ravel())
    if len(flat) < 2 or flat[-1] - flat[0] < 1e-6:
        return float(flat[0]), float(flat[-1])
    cumulative = np.cumsum(flat)
    n = len(flat)
    k = np.arange(1, n)
    mean_low = cumulative[:-1] / k
    mean_high = (cumulative[-1] - cumulative[:-1]) / (n - k)
    between = k * (n - k) * (mean_high - mean_low) ** 2
    split = int(np.argmax(between))
    return float(mean_low[split]), float(mean_high[split])


@pytest.mark.parametrize("width", [1, 2, 35, 350])
def test_otsu_rows_match_one_window_at_a_time(width: int) -> None:
    rng = np.random.default_rng(width)
    rows = rng.random((40, width)) * rng.uniform(0.01, 2.0, (40, 1))
    rows[::7] = 0.25  # windows with one level only
    low, high = otsu_rows(rows)
    expected = np.array([_otsu_one(row) for row in rows])
    assert low.tobytes() == expected[:, 0].tobytes()
    assert high.tobytes() == expected[:, 1].tobytes()


def _spot_scan(
    cells: FloatArray, words: list[str], equivalents: dict[str, str]
) -> list[tuple[str, int, float]]:
    """Word spotting placement by placement, one mean each (as before the plan)."""
    chars, distances = char_distances(cells, tolerant=False)
    index = {c: i for i, c in enumerate(chars)}
    alnum = [i for i, c in enumerate(chars) if c.isalnum()]
    space = np.maximum(distances[:, index[" "]] - distances[:, alnum].min(axis=1), 0.0)
    count = cells.shape[0]
    found = []
    for word in words:
        columns = []
        for letter in word:
            options = [index[c] for c in letter + equivalents.get(letter, "") if c in index]
            columns.append(distances[:, options].min(axis=1))
        best = (word, 0, float("inf"))
        for start in range(count - len(word) + 1):
            costs = [columns[i][start + i] for i in range(len(word))]
            if start > 0:
                costs.append(space[start - 1])
            if start + len(word) < count:
                costs.append(space[start + len(word)])
            cost = float(np.mean(costs))
            if cost < best[2]:
                best = (word, start, cost)
        found.append(best)
    return found


@pytest.mark.parametrize("seed", range(6))
def test_spot_words_match_a_scan_of_every_placement(seed: int) -> None:
    rng = np.random.default_rng(seed)
    count = [16, 16, 9, 3, 1, 20][seed]
    cells = (rng.random((count, 35)) < 0.4) * rng.uniform(0.3, 1.0, (count, 35))
    words = [*WORDS, WORDS[0], "TOOLONGFORALINEOFCELLS"]
    spotted = spot_words(cells, words, SPOT_EQUIVALENTS)
    assert [(s.word, s.start, s.cost) for s in spotted] == _spot_scan(
        cells, words, SPOT_EQUIVALENTS
    )


@pytest.mark.parametrize("tolerant", [True, False])
def test_char_distances_sum_template_rows_like_numpy(tolerant: bool) -> None:
    rng = np.random.default_rng(7)
    cells = rng.random((24, 35)) ** 3
    table = templates()
    per_row = row_distances(cells, SETTINGS.row_shift_cost if tolerant else np.inf)
    raw = per_row[:, np.arange(7)[None, :], table.row_ids].sum(axis=2) + table.penalties
    expected = np.minimum.reduceat(raw, table.starts, axis=1)
    chars, distances = char_distances(cells, tolerant=tolerant)
    assert chars == table.unique
    assert distances.tobytes() == expected.tobytes()


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_box_blur_matches_padded_cumulative_sums(radius: int) -> None:
    rng = np.random.default_rng(radius)
    for shape in [(168, 642), (1, 1), (4, 9)]:
        array = rng.random(shape).astype(np.float32)
        size = 2 * radius + 1
        padded = np.pad(array.astype(np.float64), radius, mode="edge")
        cols = np.cumsum(np.pad(padded, ((0, 0), (1, 0))), axis=1)
        horizontal = (cols[:, size:] - cols[:, :-size]) / size
        rows = np.cumsum(np.pad(horizontal, ((1, 0), (0, 0))), axis=0)
        expected = ((rows[size:, :] - rows[:-size, :]) / size).astype(np.float32)
        assert box_blur(array, radius).tobytes() == expected.tobytes()


def _flood_labels(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int32]:
    """4-connected labels numbered in row-major order of first appearance (BFS)."""
    labels = np.zeros(mask.shape, dtype=np.int32)
    count = 0
    for y, x in zip(*np.nonzero(mask), strict=True):
        if labels[y, x]:
            continue
        count += 1
        labels[y, x] = count
        queue = deque([(y, x)])
        while queue:
            cy, cx = queue.popleft()
            for ny, nx in ((cy - 1, cx), (cy + 1, cx), (cy, cx - 1), (cy, cx + 1)):
                inside = 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1]
                if inside and mask[ny, nx] and not labels[ny, nx]:
                    labels[ny, nx] = count
                    queue.append((ny, nx))
    return labels


@pytest.mark.parametrize("density", [0.0, 0.3, 0.6, 1.0])
def test_label_components_match_a_flood_fill(density: float) -> None:
    rng = np.random.default_rng(int(density * 10))
    mask = rng.random((30, 41)) < density
    labels, count = label_components(mask)
    expected = _flood_labels(mask)
    assert labels.dtype == np.int32
    assert np.array_equal(labels, expected)
    assert count == int(expected.max())


def _fit_four_times(positions: FloatArray, edges: FloatArray) -> tuple[float, float] | None:
    """The robust line fit with all its rounds run (before the early end)."""
    keep = np.isfinite(edges)
    for _ in range(3):
        if keep.sum() < max(8, len(edges) // 5):
            return None
        a, b = np.polyfit(positions[keep], edges[keep], 1)
        residual = np.abs(edges - (a * positions + b))
        limit = max(1.0, 2.5 * float(np.median(residual[keep])))
        keep = keep & (residual <= limit)
    if keep.sum() < max(8, len(edges) // 5):
        return None
    a, b = np.polyfit(positions[keep], edges[keep], 1)
    return float(a), float(b)


def test_line_fit_ending_early_fits_the_same_line() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        n = int(rng.integers(5, 200))
        positions = np.arange(n, dtype=np.float64) + 30
        edges = 0.02 * positions + 14 + rng.normal(0, rng.uniform(0.1, 2), n)
        outliers = rng.random(n) < rng.uniform(0, 0.4)
        edges[outliers] += rng.normal(0, 15, int(outliers.sum()))
        edges[rng.random(n) < 0.1] = np.nan
        assert _fit_line(positions, edges) == _fit_four_times(positions, edges)
