"""Read the 2 × 16 dot cells of a rectified LCD panel image.

Steps: darkness relative to the local background (illumination and glare correction),
contrast normalised by the local ink level, grid alignment (offset and scale that best
separate dot centres from the always-blank gaps), then the 35 dot centres of every cell
sampled into a (2, 16, 35) array in [0, 1] for :mod:`linkytool.ocr.dotmatrix`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.imaging import FloatArray, box_blur, max_filter, percentile
from linkytool.ocr.rectify import (
    CHARS,
    DOT_X,
    DOT_Y,
    GAP_X,
    GAP_Y,
    LINES,
    PX_PER_DOT,
    dot_centres,
    place,
)

#: Grid scales searched (start, stop, step) relative to the nominal 3-pitch margins: the
#: real panel's margins are not published, so 2.5..6 pitches (x) and 2..4.5 pitches
#: with dots up to 15 % taller (y) must fit.
X_SCALES = (0.92, 1.0401, 0.005)
Y_SCALES = (0.82, 1.1201, 0.01)
#: A neighbourhood keeps its own off/on levels when its contrast is at least this share
#: of the panel's (a glare spot halves the local contrast; blank cells show ~none).
LOCAL_SPAN_FLOOR = 0.2
#: A cell keeps its own off/on levels when its contrast is at least this share of the
#: panel's.
CELL_SPAN_FLOOR = 0.35
#: Below this ink contrast [fraction of the background] the panel shows nothing.
BLANK_CONTRAST = 0.08


@dataclass(frozen=True)
class GridSample:
    """Dot samples of one panel: ``cells`` (2, 16, 35) in [0, 1], and diagnostics."""

    cells: npt.NDArray[np.float64]
    contrast: float
    alignment: float
    offset: tuple[float, float]
    scale: tuple[float, float]
    darkness: FloatArray
    #: Ink contrast of each cell (2, 16) before normalisation (on minus off level of its
    #: own samples): a previous screen's residue is much fainter than the characters.
    ink: npt.NDArray[np.float64] | None = None

    @property
    def blank(self) -> bool:
        """True when the panel shows no characters (screen off or not an LCD)."""
        return self.contrast < BLANK_CONTRAST


def _coarse_filter(array: FloatArray, step: int, window: int, maximum: bool) -> FloatArray:
    height, width = array.shape
    small = Image.fromarray(array, "F").resize(
        (max(1, width // step), max(1, height // step)), Image.Resampling.BOX
    )
    data = np.asarray(small, dtype=np.float32)
    if maximum:
        data = max_filter(data, window)
    up = Image.fromarray(data, "F").resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(up, dtype=np.float32)


def darkness_map(grey: FloatArray, px_per_dot: int = PX_PER_DOT) -> FloatArray:
    """Darkness relative to the local background in [0, 1] (0 = panel background).

    The background is the brightest level around each pixel (coarse max filter over
    9 dot pitches): a gradient, a shadow edge or a glare spot shifts it, the ink stays
    relatively dark (illumination correction).
    """
    background = np.maximum(_coarse_filter(grey, px_per_dot, 9, maximum=True), 1.0)
    result: FloatArray = np.clip((background - grey) / background, 0.0, 1.0).astype(np.float32)
    return result


def otsu_levels(values: npt.NDArray[np.float64]) -> tuple[float, float]:
    """(off level, on level): class means of Otsu's split of ``values``."""
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


def normalise_samples(samples: npt.NDArray[np.float64], window: int = 2) -> npt.NDArray[np.float64]:
    """Scale dot samples (14 rows, 80 cols) to [0, 1] with local off/on levels.

    Levels come from Otsu's split of each cell's own 35 samples (a small glare spot or a
    shadow edge changes the contrast from one character to the next); a cell with too
    little contrast of its own (blank, or a sign with few dots) takes the levels of its
    neighbourhood (±``window`` characters, both lines), and failing that the panel's.
    """
    low_g, high_g = otsu_levels(samples)
    span_g = max(high_g - low_g, 1e-3)
    out = np.empty_like(samples)
    for char in range(CHARS):
        block = slice(char * 5, char * 5 + 5)
        first = max(0, char - window) * 5
        last = min(CHARS, char + window + 1) * 5
        near_low, near_high = otsu_levels(samples[:, first:last])
        if near_high - near_low < LOCAL_SPAN_FLOOR * span_g:
            near_low, near_high = low_g, high_g
        for line in range(LINES):
            rows = slice(line * 7, line * 7 + 7)
            low, high = otsu_levels(samples[rows, block])
            if high - low < CELL_SPAN_FLOOR * span_g:
                low, high = near_low, near_high
            out[rows, block] = (samples[rows, block] - low) / max(high - low, 1e-3)
    result: npt.NDArray[np.float64] = np.clip(out, 0.0, 1.0)
    return result


def _sample(
    array: FloatArray, xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]
) -> FloatArray:
    height, width = array.shape
    xi = np.clip(np.round(xs).astype(int), 0, width - 1)
    yi = np.clip(np.round(ys).astype(int), 0, height - 1)
    result: FloatArray = array[np.ix_(yi, xi)]
    return result


def _best_fit(
    profile: FloatArray,
    axis: int,
    scales: npt.NDArray[np.float64],
    offsets: npt.NDArray[np.float64],
    px_per_dot: int,
) -> tuple[float, float, float]:
    """(score, offset, scale) maximising dot-centre minus gap darkness along ``axis``.

    Every (scale, offset) pair is scored at once; the first best in scale-then-offset
    order wins.
    """
    size = len(profile)
    # positions at offset 0 for every scale: (scales, dots) and (scales, gaps) [px]
    column = scales[:, None]
    centres = place(DOT_X if axis == 0 else DOT_Y, axis, column, 0.0, px_per_dot)
    gaps = place(GAP_X if axis == 0 else GAP_Y, axis, column, 0.0, px_per_dot)
    moves = (offsets[:, None] * px_per_dot)[None, :, :]
    ci = np.clip(np.round(centres[:, None, :] + moves).astype(int), 0, size - 1)
    gi = np.clip(np.round(gaps[:, None, :] + moves).astype(int), 0, size - 1)
    scores = profile[ci].mean(axis=2) - profile[gi].mean(axis=2)
    scale_index, offset_index = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return (
        float(scores[scale_index, offset_index]),
        float(offsets[offset_index]),
        float(scales[scale_index]),
    )


def align_grid(
    darkness: FloatArray, px_per_dot: int = PX_PER_DOT
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Offset [dots] and scale of the dot grid that best fit ``darkness``; score."""
    return _align_smoothed(box_blur(darkness, 1), px_per_dot)


def _align_smoothed(
    smooth: FloatArray, px_per_dot: int
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """:func:`align_grid` on the darkness already blurred over 3 × 3 px."""
    offsets = np.arange(-3.0, 3.01, 0.25)
    score_x, offset_x, scale_x = _best_fit(
        smooth.mean(axis=0), 0, np.arange(*X_SCALES), offsets, px_per_dot
    )
    score_y, offset_y, scale_y = _best_fit(
        smooth.mean(axis=1), 1, np.arange(*Y_SCALES), offsets, px_per_dot
    )
    return (offset_x, offset_y), (scale_x, scale_y), score_x + score_y


def _ink(samples: npt.NDArray[np.float64]) -> float:
    """On minus off level of one cell's raw samples (its ink contrast)."""
    low, high = otsu_levels(samples)
    return high - low


def sample_grid(panel: Image.Image, px_per_dot: int = PX_PER_DOT, *, window: int = 3) -> GridSample:
    """Normalised dot samples of a rectified panel image (see module doc).

    ``window`` [px] is the side of the square averaged around each dot centre.
    """
    grey = np.asarray(panel.convert("L"), dtype=np.float32)
    darkness = darkness_map(grey, px_per_dot)
    smooth = box_blur(darkness, 1)  # the alignment's blur is the 3 px window's
    offset, scale, alignment = _align_smoothed(smooth, px_per_dot)
    blurred = smooth if window // 2 == 1 else _window_blur(darkness, window)
    return _sampled(
        darkness, blurred, offset=offset, scale=scale, alignment=alignment, px_per_dot=px_per_dot
    )


def resample(grid: GridSample, px_per_dot: int = PX_PER_DOT, *, window: int = 3) -> GridSample:
    """The same panel image as ``grid`` sampled with another ``window`` [px]: its darkness
    map and grid alignment are reused (they do not depend on the window)."""
    blurred = _window_blur(grid.darkness, window)
    return _sampled(
        grid.darkness,
        blurred,
        offset=grid.offset,
        scale=grid.scale,
        alignment=grid.alignment,
        px_per_dot=px_per_dot,
    )


def _window_blur(darkness: FloatArray, window: int) -> FloatArray:
    return box_blur(darkness, window // 2) if window > 1 else darkness


def _sampled(
    darkness: FloatArray,
    blurred: FloatArray,
    *,
    offset: tuple[float, float],
    scale: tuple[float, float],
    alignment: float,
    px_per_dot: int,
) -> GridSample:
    """Dot samples of ``blurred`` on the aligned grid, normalised per cell."""
    xs, ys = dot_centres(offset, scale, px_per_dot)
    raw = _sample(blurred, xs, ys).astype(np.float64)  # (14 rows, 80 cols)
    contrast = percentile(raw, 97)
    samples = normalise_samples(raw)
    cells = samples.reshape(LINES, 7, CHARS, 5).transpose(0, 2, 1, 3).reshape(LINES, CHARS, 35)
    raw_cells = raw.reshape(LINES, 7, CHARS, 5).transpose(0, 2, 1, 3).reshape(LINES, CHARS, 35)
    ink = np.array([[_ink(cell) for cell in line] for line in raw_cells])
    return GridSample(
        cells=np.clip(cells, 0.0, 1.0),
        contrast=contrast,
        alignment=alignment,
        offset=offset,
        scale=scale,
        darkness=darkness,
        ink=ink,
    )


__all__ = [
    "BLANK_CONTRAST",
    "GridSample",
    "align_grid",
    "darkness_map",
    "resample",
    "sample_grid",
]
