"""Read the 2 × 16 dot cells of a rectified LCD panel image.

Steps: darkness relative to the local background (illumination and glare correction),
contrast normalised by the local ink level, grid alignment (offset and scale that best
separate dot centres from the always-blank gaps), then the 35 dot centres of every cell
sampled into a (2, 16, 35) array in [0, 1] for :mod:`linkytool.ocr.dotmatrix`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.deblur import dot_spread, undo_spread
from linkytool.ocr.font5x7 import COLS, ROWS
from linkytool.ocr.imaging import (
    PLANES_FROM,
    FloatArray,
    box_blur,
    gathered_means,
    max_filter,
    percentile,
    plane_means,
)
from linkytool.ocr.rectify import (
    BORDER,
    CHARS,
    DOT_X,
    DOT_Y,
    GAP_X,
    GAP_Y,
    LINES,
    PANEL_H,
    PANEL_W,
    PX_PER_DOT,
    dot_centres,
    place,
)
from linkytool.ocr.settings import SETTINGS

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
    #: The lattice measured on the panel (:func:`measure_lattice`) when the dots were
    #: sampled there rather than on the offset and scale of the standard layout.
    lattice: Lattice | None = None
    #: ``darkness`` blurred over 3 × 3 px (kept: measuring the lattice blurs it again).
    smooth: FloatArray | None = field(default=None, repr=False, compare=False)
    #: The standard layout's offset and scale were given (:func:`sample_grid`'s ``at``:
    #: the grid found on the panel turned 180°), not searched on this image: another
    #: channel of the panel is sampled there too.
    placed: bool = False
    #: Pixels a standard pitch of the rectified panel image sampled (``rectify``'s
    #: ``px_per_dot``): :data:`PX_PER_DOT`, or more when a measured lattice's panel was
    #: warped again at the photo's own resolution (``panel._at_photo_resolution``).
    px_per_dot: int = PX_PER_DOT
    #: Each dot sampled at its centre interpolated between pixels (Catmull-Rom), not at
    #: the nearest pixel: a panel whose measured dots are small (:func:`dot_width`,
    #: ``Settings.small_dot_width``); every other panel is sampled at the nearest pixel.
    subpixel: bool = False

    @property
    def centres(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """x (16 cells × 5) and y (2 lines × 7) centres [px] of the dots sampled."""
        if self.lattice is not None:
            return self.lattice.xs, self.lattice.ys
        return dot_centres(self.offset, self.scale, self.px_per_dot)

    @property
    def pitch(self) -> tuple[float, float]:
        """Dot pitch along x and y [rectified px]: the measured lattice's, else the
        standard layout's ``px_per_dot`` × its fitted scale."""
        if self.lattice is not None:
            return self.lattice.pitch
        return self.px_per_dot * self.scale[0], self.px_per_dot * self.scale[1]

    @property
    def unseen(self) -> npt.NDArray[np.bool_]:
        """(2, 16) True for each cell with a dot centre outside the panel image: a lattice
        measured on part of a panel (a quad that cut it) extends past the image, and what
        such a cell reads (a border's edge, or blank) says nothing of the screen there
        (lead, stop 43: a date's last two digits beyond the image, the short date before
        them read confidently, ocr43a's tuning seed 148002, X11 5x8 wide hard photo 7)."""
        height, width = self.darkness.shape
        xs, ys = self.centres
        out_x = ((xs < 0) | (xs > width - 1)).reshape(16, 5).any(axis=1)
        out_y = ((ys < 0) | (ys > height - 1)).reshape(2, 7).any(axis=1)
        return np.asarray(out_y[:, None] | out_x[None, :], dtype=np.bool_)

    @property
    def blank(self) -> bool:
        """True when the panel shows no characters (screen off or not an LCD)."""
        return self.contrast < BLANK_CONTRAST

    @property
    def untitled(self) -> bool:
        """True when the first line shows nothing (every cell's ink under
        :data:`BLANK_CONTRAST`) while the second shows something. Every screen the
        reader reads writes its first line (the title, or the date itself), so such a
        panel is a screen off whose second line was sampled on something else (the
        bezel's edge, a scratch): its characters would be noise. Two empty lines are
        left to the reading (a grid off the panel: the title is reported illegible)."""
        if self.ink is None:
            return False
        return float(self.ink[0].max()) < BLANK_CONTRAST <= float(self.ink[1].max())


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
    ``Settings.background_window`` dot pitches): a gradient, a shadow edge or a glare
    spot shifts it, the ink stays relatively dark (illumination correction). It is never
    brighter than the brightest level within ``Settings.background_reach`` of a pitch
    (averaged over a pitch): a lit dot's nearest unlit place lies within a pitch, so
    where a phone's highlight fades the background follows it down instead of carrying
    its core's level over the dots beyond its edge. The bound holds inside the panel
    only (``rectify.BORDER`` pitches in from the image's edges): beyond it, a darker
    bezel stays a broad dark frame; bounded, it would read as a line of dots one pitch
    wide, on which the grid of a screen that is off took its noise for characters.
    """
    window = SETTINGS.background_window
    background = _coarse_filter(grey, px_per_dot, window, maximum=True)
    if SETTINGS.background_reach > 0:
        reach = max(1, round(SETTINGS.background_reach * px_per_dot))
        near = box_blur(max_filter(grey, 2 * reach + 1), px_per_dot // 2)
        inner = (slice(BORDER * px_per_dot, -BORDER * px_per_dot),) * 2
        background = background.copy()  # the resized map is read-only
        background[inner] = np.minimum(background[inner], near[inner])
    background = np.maximum(background, 1.0)
    result: FloatArray = np.clip((background - grey) / background, 0.0, 1.0).astype(np.float32)
    return result


def otsu_levels(values: npt.NDArray[np.float64]) -> tuple[float, float]:
    """(off level, on level): class means of Otsu's split of ``values``."""
    flat = np.sort(values.ravel())
    if len(flat) < 2 or flat[-1] - flat[0] < 1e-6:
        return float(flat[0]), float(flat[-1])
    low, high = otsu_rows(flat[None, :])
    return float(low[0]), float(high[0])


def otsu_rows(
    rows: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """:func:`otsu_levels` of each row of ``rows`` (m, n) at once: (off levels, on levels),
    each (m,), the same bits as one call per row (a reader samples ~80 windows a panel)."""
    flat = np.sort(rows, axis=1)
    n = flat.shape[1]
    first, last = flat[:, 0], flat[:, -1]
    if n < 2:
        return first, last
    cumulative = np.cumsum(flat, axis=1)
    k = np.arange(1, n)
    mean_low = cumulative[:, :-1] / k
    mean_high = (cumulative[:, -1:] - cumulative[:, :-1]) / (n - k)
    between = k * (n - k) * (mean_high - mean_low) ** 2
    split = np.argmax(between, axis=1)
    picked = np.arange(len(flat))
    level = last - first < 1e-6  # one level only: no split
    low: npt.NDArray[np.float64] = np.where(level, first, mean_low[picked, split])
    high: npt.NDArray[np.float64] = np.where(level, last, mean_high[picked, split])
    return low, high


def normalise_samples(samples: npt.NDArray[np.float64], window: int = 2) -> npt.NDArray[np.float64]:
    """Scale dot samples (14 rows, 80 cols) to [0, 1] with local off/on levels.

    Levels come from Otsu's split of each cell's own 35 samples (a small glare spot or a
    shadow edge changes the contrast from one character to the next); a cell with too
    little contrast of its own (blank, or a sign with few dots) takes the levels of its
    neighbourhood (±``window`` characters, both lines), and failing that the panel's.
    """
    return _normalised(samples, window)[0]


def _normalised(
    samples: npt.NDArray[np.float64], window: int = 2
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(:func:`normalise_samples`, each cell's own ink contrast (2, 16): on minus off level
    of its own samples, before any neighbour's levels replace them)."""
    low_g, high_g = otsu_levels(samples)
    span_g = max(high_g - low_g, 1e-3)
    # the neighbourhoods: windows of equal width at once (narrower at the line's ends)
    near_low = np.empty(CHARS)
    near_high = np.empty(CHARS)
    bounds = [(max(0, c - window) * 5, min(CHARS, c + window + 1) * 5) for c in range(CHARS)]
    for width in sorted({last - first for first, last in bounds}):
        chars = [c for c, (first, last) in enumerate(bounds) if last - first == width]
        stacked = np.stack([samples[:, bounds[c][0] : bounds[c][1]].ravel() for c in chars])
        near_low[chars], near_high[chars] = otsu_rows(stacked)
    faint = near_high - near_low < LOCAL_SPAN_FLOOR * span_g
    near_low[faint], near_high[faint] = low_g, high_g
    # every cell's own 35 samples, (line, char, row, col)
    cells = samples.reshape(LINES, 7, CHARS, 5).transpose(0, 2, 1, 3)
    own_low, own_high = (v.reshape(LINES, CHARS) for v in otsu_rows(cells.reshape(-1, 35)))
    ink = own_high - own_low
    weak = ink < CELL_SPAN_FLOOR * span_g
    low = np.where(weak, near_low[None, :], own_low)
    high = np.where(weak, near_high[None, :], own_high)
    span = np.maximum(high - low, 1e-3)
    scaled = (cells - low[:, :, None, None]) / span[:, :, None, None]
    out = scaled.transpose(0, 2, 1, 3).reshape(samples.shape)
    result: npt.NDArray[np.float64] = np.clip(out, 0.0, 1.0)
    return result, ink


def _catmull_rom(t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The four Catmull-Rom weights (4, n) of the pixels at -1, 0, +1, +2 around points
    ``t`` (n,) in [0, 1) past pixel 0."""
    t2 = t * t
    t3 = t2 * t
    return np.stack(
        [
            (-t3 + 2 * t2 - t) / 2,
            (3 * t3 - 5 * t2 + 2) / 2,
            (-3 * t3 + 4 * t2 + t) / 2,
            (t3 - t2) / 2,
        ]
    )


def _sample(
    array: FloatArray,
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    subpixel: bool = False,
) -> npt.NDArray[np.float64]:
    """``array`` at the dot centres ``xs`` × ``ys`` [px]: at the nearest pixel, or
    (``subpixel``) interpolated from the 4 × 4 pixels around each centre (Catmull-Rom).

    A small dot (wide panels draw dots down to 40 % of the pitch) covers about 3 px of
    the rectified panel: a rounded centre reads its window's sample below its top by up
    to 7 %; the cubic follows the peak's curve (docs/ocr.md, ocr45a and ocr46a)."""
    height, width = array.shape
    if not subpixel:
        xi = np.clip(np.round(xs).astype(int), 0, width - 1)
        yi = np.clip(np.round(ys).astype(int), 0, height - 1)
        return array[np.ix_(yi, xi)].astype(np.float64)
    x = np.clip(xs, 0.0, width - 1.0)
    y = np.clip(ys, 0.0, height - 1.0)
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    taps = np.arange(-1, 3)
    rows = np.clip(y0[:, None] + taps, 0, height - 1)  # (ys, 4)
    cols = np.clip(x0[:, None] + taps, 0, width - 1)  # (xs, 4)
    block = array[rows[:, :, None, None], cols[None, None, :, :]]  # (ys, 4, xs, 4)
    result: npt.NDArray[np.float64] = np.einsum(
        "jy,yjxi,ix->yx",
        _catmull_rom(y - y0),
        block.astype(np.float64),
        _catmull_rom(x - x0),
        optimize=True,
    )
    return result


def _bilinear(
    array: FloatArray, xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """``array`` at the points (``xs[i]``, ``ys[i]``) [px], interpolated bilinearly."""
    height, width = array.shape
    x = np.clip(xs, 0.0, max(0.0, width - 1.001))
    y = np.clip(ys, 0.0, max(0.0, height - 1.001))
    x0 = np.floor(x).astype(int)
    y0 = np.floor(y).astype(int)
    x1 = np.minimum(x0 + 1, width - 1)
    y1 = np.minimum(y0 + 1, height - 1)
    fx = x - x0
    fy = y - y0
    data = array.astype(np.float64)
    top = data[y0, x0] * (1 - fx) + data[y0, x1] * fx
    bottom = data[y1, x0] * (1 - fx) + data[y1, x1] * fx
    result: npt.NDArray[np.float64] = top * (1 - fy) + bottom * fy
    return result


#: Positions across a dot where :func:`dot_width` reads its profile [dot pitches].
_WIDTH_STEPS = np.linspace(-0.5, 0.5, 11)


def dot_width(grid: GridSample) -> float | None:
    """The width of the panel's lit dots measured in the photo [share of the pitch]:
    the mean darkness profile across the dots lit alone in their row (both neighbours
    unlit), from half a pitch left to half a pitch right of their centres (unblurred
    darkness, interpolated), less the unlit dots' median level, over its peak. A dot
    drawn at 40-60 % of the pitch measures about 0.5-0.6, the default geometry's
    78-92 % 0.66 and more (blur widens both). None: fewer than
    ``Settings.small_dot_count`` such dots (nothing to measure)."""
    xs, ys = grid.centres
    dots = grid.cells.reshape(LINES, CHARS, 7, 5)
    lit = dots > 0.7
    left = np.zeros_like(lit)
    left[..., 1:] = lit[..., :-1]
    right = np.zeros_like(lit)
    right[..., :-1] = lit[..., 1:]
    alone = lit & ~left & ~right
    if int(alone.sum()) < SETTINGS.small_dot_count:
        return None
    line, char, row, col = np.nonzero(alone)
    centre_x = xs.reshape(CHARS, 5)[char, col]
    centre_y = ys.reshape(LINES, 7)[line, row]
    steps = _WIDTH_STEPS * grid.pitch[0]
    profile = _bilinear(
        grid.darkness,
        (centre_x[:, None] + steps[None, :]).ravel(),
        np.repeat(centre_y, len(steps)),
    ).reshape(len(centre_x), len(steps))
    line, char, row, col = np.nonzero(dots < 0.3)
    off = _bilinear(grid.darkness, xs.reshape(CHARS, 5)[char, col], ys.reshape(LINES, 7)[line, row])
    if len(off) == 0:
        return None
    mean = profile.mean(axis=0) - float(np.median(off))
    peak = float(mean[4:7].max())
    if peak <= 0:
        return None
    return float(mean.mean() / peak)


def small_dots(grid: GridSample) -> bool:
    """Whether ``grid``'s panel shows dots measurably smaller than the default geometry
    draws (:func:`dot_width` under ``Settings.small_dot_width``): its dots are then
    sampled between pixels (:func:`resample`'s ``subpixel``)."""
    width = dot_width(grid)
    return width is not None and width < SETTINGS.small_dot_width


@lru_cache(maxsize=16)
def _fit_index(
    axis: int, size: int, px_per_dot: int, scales: bytes, offsets: bytes
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Pixel indices in ``[0, size)`` of the dot centres and of the gaps along ``axis``
    for every scale and offset of :func:`_best_fit` (float64 bytes): (dots, scales,
    offsets) and (gaps, scales, offsets), units first (:func:`gathered_means`). The same
    for every panel: computed once a process."""
    # positions at offset 0 for every scale: (scales, dots) and (scales, gaps) [px]
    column = np.frombuffer(scales)[:, None]
    centres = place(DOT_X if axis == 0 else DOT_Y, axis, column, 0.0, px_per_dot)
    gaps = place(GAP_X if axis == 0 else GAP_Y, axis, column, 0.0, px_per_dot)
    moves = (np.frombuffer(offsets)[:, None] * px_per_dot)[None, :, :]
    ci = np.clip(np.round(centres[:, None, :] + moves).astype(np.intp), 0, size - 1)
    gi = np.clip(np.round(gaps[:, None, :] + moves).astype(np.intp), 0, size - 1)
    return _units_first(ci), _units_first(gi)


def _units_first(index: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """``index`` (..., units) stored units first, contiguous: :func:`gathered_means`'s."""
    return np.ascontiguousarray(np.moveaxis(index, -1, 0))


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
    ci, gi = _fit_index(axis, len(profile), px_per_dot, scales.tobytes(), offsets.tobytes())
    scores = gathered_means(profile, ci) - gathered_means(profile, gi)
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


def sample_grid(
    panel: Image.Image,
    px_per_dot: int = PX_PER_DOT,
    *,
    window: int = 3,
    lattice: Lattice | None = None,
    at: GridSample | None = None,
    subpixel: bool = False,
) -> GridSample:
    """Normalised dot samples of a rectified panel image (see module doc).

    ``window`` [px] is the side of the square averaged around each dot centre; the dots
    are sampled on ``lattice`` when given (another channel of a panel already measured),
    else at the offset and scale of ``at`` when given (the standard layout, not searched
    again: see :func:`mirrored`), else where the standard layout fits this image best.
    ``subpixel``: see :attr:`GridSample.subpixel`.
    """
    grey = np.asarray(panel.convert("L"), dtype=np.float32)
    darkness = darkness_map(grey, px_per_dot)
    smooth = box_blur(darkness, 1)  # the alignment's blur is the 3 px window's
    blurred = smooth if window // 2 == 1 else _window_blur(darkness, window)
    if lattice is not None:
        alignment = _alignment(smooth, lattice)
        return _sampled(
            darkness,
            blurred,
            offset=(0.0, 0.0),
            scale=(1.0, 1.0),
            alignment=alignment,
            px_per_dot=px_per_dot,
            lattice=lattice,
            smooth=smooth,
            subpixel=subpixel,
        )
    if at is not None:
        return _placed_at(darkness, blurred, smooth, at, px_per_dot, subpixel=subpixel)
    offset, scale, alignment = _align_smoothed(smooth, px_per_dot)
    return _sampled(
        darkness,
        blurred,
        offset=offset,
        scale=scale,
        alignment=alignment,
        px_per_dot=px_per_dot,
        smooth=smooth,
        subpixel=subpixel,
    )


def mirrored(grid: GridSample) -> GridSample:
    """Where ``grid`` (standard layout) lies on its panel turned 180°: the layout is
    symmetric about the panel's centre, so its offset is negated, its scale kept.

    On a panel whose dot lattice barely shows, the layout's search may land a fraction
    of a pitch off on one way up and not on the other (the fits of both lie within a
    hair): read on the other's grid, the right way up reads its letters.
    """
    return replace(grid, offset=(-grid.offset[0], -grid.offset[1]), lattice=None)


def _smoothed(grid: GridSample) -> FloatArray:
    """``grid``'s darkness blurred over 3 × 3 px, as sampled (kept on the grid when it
    was computed)."""
    return grid.smooth if grid.smooth is not None else box_blur(grid.darkness, 1)


def sample_measured(
    grid: GridSample,
    px_per_dot: int | None = None,
    *,
    window: int = 3,
    lattice: Lattice | None = None,
) -> GridSample:
    """The panel of ``grid`` sampled on its own measured lattice (:func:`measure_lattice`)
    instead of the standard layout's: a panel with other margins, gaps or columns.
    ``lattice``: sample there instead of measuring (the lattice measured on the same
    panel turned 180°, :func:`turned_lattice`)."""
    smooth = _smoothed(grid)
    px_per_dot = grid.px_per_dot if px_per_dot is None else px_per_dot
    if lattice is None:
        lattice = measure_lattice(grid.darkness, px_per_dot)
    blurred = smooth if window // 2 == 1 else _window_blur(grid.darkness, window)
    return _sampled(
        grid.darkness,
        blurred,
        offset=grid.offset,
        scale=grid.scale,
        alignment=_alignment(smooth, lattice),
        px_per_dot=px_per_dot,
        lattice=lattice,
        smooth=smooth,
        subpixel=grid.subpixel,
    )


def resample(
    grid: GridSample,
    px_per_dot: int | None = None,
    *,
    window: int = 3,
    subpixel: bool | None = None,
) -> GridSample:
    """The same panel image as ``grid`` sampled with another ``window`` [px]: its darkness
    map and grid alignment are reused (they do not depend on the window). ``subpixel``
    (:attr:`GridSample.subpixel`): None keeps ``grid``'s."""
    subpixel = grid.subpixel if subpixel is None else subpixel
    px_per_dot = grid.px_per_dot if px_per_dot is None else px_per_dot
    blurred = _window_blur(grid.darkness, window)
    sampled = _sampled(
        grid.darkness,
        blurred,
        offset=grid.offset,
        scale=grid.scale,
        alignment=grid.alignment,
        px_per_dot=px_per_dot,
        lattice=grid.lattice,
        smooth=grid.smooth,
        subpixel=subpixel,
    )
    return replace(sampled, placed=grid.placed)


def resample_at(
    grid: GridSample, at: GridSample, px_per_dot: int | None = None, *, window: int = 3
) -> GridSample:
    """:func:`sample_grid` of ``grid``'s panel image with ``at`` (and ``window``), from
    ``grid``'s darkness map and its 3 × 3 blur (they depend on the image only): the same
    samples, without computing them again (sampled as ``grid`` was, :attr:`GridSample.
    subpixel`)."""
    px_per_dot = grid.px_per_dot if px_per_dot is None else px_per_dot
    smooth = _smoothed(grid)
    blurred = smooth if window // 2 == 1 else _window_blur(grid.darkness, window)
    return _placed_at(grid.darkness, blurred, smooth, at, px_per_dot, subpixel=grid.subpixel)


def _placed_at(
    darkness: FloatArray,
    blurred: FloatArray,
    smooth: FloatArray,
    at: GridSample,
    px_per_dot: int,
    *,
    subpixel: bool = False,
) -> GridSample:
    """Samples at ``at``'s offset, scale and alignment (the standard layout placed, not
    searched): shared by :func:`sample_grid` and :func:`resample_at`."""
    return replace(
        _sampled(
            darkness,
            blurred,
            offset=at.offset,
            scale=at.scale,
            alignment=at.alignment,
            px_per_dot=px_per_dot,
            smooth=smooth,
            subpixel=subpixel,
        ),
        placed=True,
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
    lattice: Lattice | None = None,
    smooth: FloatArray | None = None,
    subpixel: bool = False,
) -> GridSample:
    """Dot samples of ``blurred`` on the aligned grid (or ``lattice``), normalised per cell
    (``smooth``: the darkness blurred over 3 × 3 px, kept for :func:`sample_measured`;
    ``subpixel``: see :attr:`GridSample.subpixel`)."""
    if lattice is None:
        xs, ys = dot_centres(offset, scale, px_per_dot)
    else:
        xs, ys = lattice.xs, lattice.ys
    raw = _sample(blurred, xs, ys, subpixel)  # (14 rows, 80 cols)
    contrast = percentile(raw, 97)
    samples, ink = _normalised(raw)
    if _UNDO_SPREAD.get():
        spread = dot_spread(samples)
        if spread > SETTINGS.deblur_spread:
            samples = _normalised(undo_spread(samples, spread))[0]
    cells = samples.reshape(LINES, 7, CHARS, 5).transpose(0, 2, 1, 3).reshape(LINES, CHARS, 35)
    return GridSample(
        cells=np.clip(cells, 0.0, 1.0),
        contrast=contrast,
        alignment=alignment,
        offset=offset,
        scale=scale,
        darkness=darkness,
        ink=ink,
        lattice=lattice,
        smooth=smooth,
        px_per_dot=px_per_dot,
        subpixel=subpixel,
    )


def panel_spread(grid: GridSample) -> float:
    """How much darker an unlit dot of ``grid`` reads for each lit neighbour
    (:func:`linkytool.ocr.deblur.dot_spread` of its normalised samples): the panel's
    defocus."""
    samples = grid.cells.reshape(LINES, CHARS, 7, 5).transpose(0, 2, 1, 3).reshape(LINES * 7, -1)
    return dot_spread(samples)


#: Inside :func:`spread_undone`: a defocused panel's samples are sharpened.
_UNDO_SPREAD: ContextVar[bool] = ContextVar("undo_spread", default=False)


@contextmanager
def spread_undone() -> Iterator[None]:
    """Inside the ``with`` block, every panel sampled whose measured spread exceeds
    ``Settings.deblur_spread`` has that spread undone before its cells are normalised
    (:mod:`linkytool.ocr.deblur`): the reader's second reading of a defocused panel."""
    token = _UNDO_SPREAD.set(True)
    try:
        yield
    finally:
        _UNDO_SPREAD.reset(token)


# --- the panel's own lattice (issue 13: geometry measured from the photo) ---

#: Cell gaps [dot pitches] and line layouts (cell rows, blank rows between lines) a panel
#: may have: HD44780-style panels have 1-2 blank columns between cells, 7 or 8 (5 × 8,
#: underline row) dot rows per cell and 1-4 blank rows between lines.
CELL_GAPS = (1, 2)
LINE_LAYOUTS = tuple((rows, gap) for rows in (7, 8) for gap in (1, 2, 3, 4))
#: Dot pitch searched [rectified px] (the panel is rectified as 101 × 22 pitches of 6 px:
#: a panel 90-180 pitches wide, 16-39 pitches high).
X_PITCHES = (3.3, 6.8)
Y_PITCHES = (3.3, 8.3)
#: How far the dot area's centre may be off the panel's [dot pitches] (margins are
#: symmetric; the rectified quad's edges may be off by a pitch or two).
CENTRE_SLACK = 2.0


@dataclass(frozen=True)
class Lattice:
    """Dot centres of the 2 × 16 cells read [rectified px] and the layout measured."""

    xs: npt.NDArray[np.float64]
    ys: npt.NDArray[np.float64]
    #: Blank columns (around and between cells) and rows (around and between lines) [px].
    gap_xs: npt.NDArray[np.float64]
    gap_ys: npt.NDArray[np.float64]
    #: Blank columns between cells, (dot rows per cell, blank rows between lines).
    cell_gap: int
    line_layout: tuple[int, int]
    #: Dot pitch along x and y [rectified px].
    pitch: tuple[float, float]
    #: Mean darkness at dot centres minus between dots and cells (the fit's score).
    score: float


K = TypeVar("K")
Units = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def _x_units(cell_gap: int) -> Units:
    """(dot columns, half-way between them, blank columns) of the 16 middle cells
    [pitches from the dot area's centre]."""
    step = COLS + cell_gap
    width = CHARS * step - cell_gap
    dots = [c * step + k + 0.5 for c in range(CHARS) for k in range(COLS)]
    between = [c * step + k + 1.0 for c in range(CHARS) for k in range(COLS - 1)]
    blank = [c * step + COLS + j + 0.5 for c in range(-1, CHARS) for j in range(cell_gap)]
    return tuple(np.array(units) - width / 2 for units in (dots, between, blank))  # type: ignore[return-value]


def _y_units(rows: int, gap: int) -> Units:
    """(dot rows, half-way between them, blank rows) of the two lines [pitches from the
    dot area's centre]; a 5 × 8 cell's underline row is blank."""
    pitch = rows + gap
    height = pitch + rows
    dots = [line * pitch + r + 0.5 for line in range(LINES) for r in range(ROWS)]
    between = [line * pitch + r + 1.0 for line in range(LINES) for r in range(ROWS - 1)]
    blank = [-0.5, *(r + 0.5 for r in range(ROWS, pitch))]
    blank += [pitch + r + 0.5 for r in range(ROWS, rows + 1)]
    return tuple(np.array(units) - height / 2 for units in (dots, between, blank))  # type: ignore[return-value]


def _grid_index(
    centre: float,
    size: int,
    pitches: npt.NDArray[np.float64],
    offsets: npt.NDArray[np.float64],
    units: npt.NDArray[np.float64],
) -> npt.NDArray[np.intp]:
    """Nearest pixel in ``[0, size)`` of ``centre + pitch * (unit + offset)`` [px] for
    every pitch, offset and unit: (pitches, offsets, units), computed in place."""
    where = pitches[:, None, None] * np.add.outer(offsets, units)[None, :, :]
    np.add(where, centre, out=where)
    np.rint(where, out=where)
    np.clip(where, 0, size - 1, out=where)
    return where.astype(np.intp)


#: Pitch step [px] and offsets [pitches] of :func:`_fit_layouts`' coarse search.
COARSE_PITCH_STEP = 0.02
COARSE_OFFSETS = np.arange(-CENTRE_SLACK, CENTRE_SLACK + 0.01, 0.1)


@lru_cache(maxsize=64)
def _coarse_index(
    centre: float, size: int, pitch_range: tuple[float, float], units: bytes
) -> npt.NDArray[np.intp]:
    """:func:`_grid_index` of the coarse search (``units``: float64 bytes), units first
    (:func:`_units_first`): the same for every panel of a size, so computed once a
    process (~40 MB for every layout: stored as int16 they would cost a cast at each
    gather, doubling the search's time)."""
    pitches = np.arange(pitch_range[0], pitch_range[1], COARSE_PITCH_STEP)
    return _units_first(_grid_index(centre, size, pitches, COARSE_OFFSETS, np.frombuffer(units)))


def _axis_scores(
    profile: FloatArray,
    dots: npt.NDArray[np.intp],
    gaps: npt.NDArray[np.intp],
    blanks: npt.NDArray[np.intp] | None = None,
) -> npt.NDArray[np.float64]:
    """Score (pitches, offsets) of a layout: mean profile at its dots minus at its gaps
    (``dots``, ``gaps``: pixel indices of :func:`_grid_index`, units first: (units,
    pitches, offsets), see :func:`gathered_means`); with ``blanks``, minus the mean of
    the gaps' mean and the blanks' mean (each set weighs half)."""
    return _scores(partial(gathered_means, profile), dots, gaps, blanks)


_T = TypeVar("_T")


def _scores(
    means: Callable[[_T], FloatArray], dots: _T, gaps: _T, blanks: _T | None
) -> npt.NDArray[np.float64]:
    """:func:`_axis_scores` from the ``means`` at the dots', gaps' and blanks' positions."""
    gap: npt.NDArray[np.floating] = means(gaps)
    if blanks is not None:
        gap = (gap + means(blanks)) / 2
    result: npt.NDArray[np.float64] = means(dots) - gap  # float32 profiles: float32
    return result


def _around_best(
    scores: npt.NDArray[np.float64],
    pitches: npt.NDArray[np.float64],
    offsets: npt.NDArray[np.float64],
) -> tuple[int, int, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(pitch index, offset index) of the best of ``scores`` (pitches, offsets), and the
    finer pitches [px] and offsets [pitches] around that best."""
    i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
    pitch, offset = float(pitches[i]), float(offsets[j])
    return (
        int(i),
        int(j),
        pitch + np.arange(-0.02, 0.0201, 0.002),
        offset + np.arange(-0.1, 0.101, 0.02),
    )


def _fit_layouts(
    profile: FloatArray,
    centre: float,
    layouts: Mapping[K, Units],
    pitch_range: tuple[float, float],
    *,
    weigh_blanks: bool = False,
) -> list[tuple[K, float, float, float]]:
    """(layout, pitch [px], offset [pitches], score) of every layout, best first: coarse
    grid search, then a finer one. ``weigh_blanks``: the blank positions (between cells
    or lines) weigh as much as all the positions between dots (:func:`_axis_scores`).

    The returned pitch and offset are read at the fine search's best indices in the grid
    centred on that best (as they always were: up to 0.02 px and 0.1 pitch off it).
    """
    fits: list[tuple[K, float, float, float]] = []
    size = len(profile)
    coarse = np.arange(pitch_range[0], pitch_range[1], COARSE_PITCH_STEP)
    # the coarse gather at each unit position, shared by the layouts that have it (the
    # line layouts' dots and blank rows share most of their positions)
    planes: dict[float, FloatArray] = {}

    def coarse_means(units: npt.NDArray[np.float64]) -> FloatArray:
        index = _coarse_index(centre, size, pitch_range, units.tobytes())
        if len(layouts) == 1 or index[0].size < PLANES_FROM:
            return gathered_means(profile, index)
        gathered = []
        for i, unit in enumerate(units.tolist()):
            plane = planes.get(unit)
            if plane is None:
                plane = planes[unit] = np.take(profile, index[i])
            gathered.append(plane)
        return plane_means(gathered)

    for key, (dots, between, blank) in layouts.items():
        gaps = between if weigh_blanks else np.concatenate([between, blank])
        blanks = blank if weigh_blanks else None
        scores = _scores(coarse_means, dots, gaps, blanks)
        _, _, pitches, offsets = _around_best(scores, coarse, COARSE_OFFSETS)
        fine = partial(_grid_index, centre, size, pitches, offsets)
        scores = _axis_scores(
            profile,
            np.moveaxis(fine(dots), -1, 0),
            np.moveaxis(fine(gaps), -1, 0),
            None if blanks is None else np.moveaxis(fine(blanks), -1, 0),
        )
        i, j, pitches, offsets = _around_best(scores, pitches, offsets)
        fits.append((key, float(pitches[i]), float(offsets[j]), float(scores[i, j])))
    # stable: on equal scores the first layout of ``layouts`` first, as before
    return sorted(fits, key=lambda fit: -fit[3])


X_LAYOUTS = {gap: _x_units(gap) for gap in CELL_GAPS}
Y_LAYOUTS = {layout: _y_units(*layout) for layout in LINE_LAYOUTS}


def _index(positions: npt.NDArray[np.float64], size: int) -> npt.NDArray[np.intp]:
    """Nearest pixel indices of ``positions``, clipped to ``[0, size)``."""
    return np.clip(np.round(positions).astype(np.intp), 0, size - 1)


def _detrended(profile: FloatArray, border: int) -> FloatArray:
    """``profile`` minus its moving average, padded with ``border`` zeros on both ends."""
    window = SETTINGS.lattice_detrend
    kernel = np.ones(window) / window
    padded = np.pad(profile, window // 2, mode="edge")
    trend = np.convolve(padded, kernel, mode="valid")
    result: FloatArray = np.pad(profile - trend, border).astype(np.float32)
    return result


def _cell_period(profile: FloatArray) -> float | None:
    """The cell pitch [px] the column profile repeats at: the lag of its highest
    autocorrelation peak among the cell pitches :data:`X_PITCHES` and :data:`CELL_GAPS`
    allow, when that peak reaches ``Settings.lattice_period_peak`` of the profile's
    energy; None when no lag repeats that clearly (too few cells lit, noise).

    The characters' strokes repeat from cell to cell whatever each dot's sampling, so
    their period survives a blur or a moiré that leaves the dot pitch itself unreadable
    (lead, stop 49: wide camera sweep 88121, X11 5x7 photo 15, a clean ``DATE ET HEURE``
    whose dots fitted 6.5 px with one blank column, its cells 39 px apart, where the
    text repeats every 30 px: 4.27 px with two)."""
    centred = profile - profile.mean()
    energy = float(np.dot(centred, centred))
    low = int(np.floor(X_PITCHES[0] * (COLS + min(CELL_GAPS))))
    high = int(np.ceil(X_PITCHES[1] * (COLS + max(CELL_GAPS))))
    if energy <= 0.0 or high + 1 >= len(centred):
        return None
    lags = np.arange(low - 1, high + 2)
    corr = np.array([float(np.dot(centred[:-lag], centred[lag:])) for lag in lags]) / energy
    peaks = [
        i for i in range(1, len(lags) - 1) if corr[i] >= corr[i - 1] and corr[i] >= corr[i + 1]
    ]
    # a lag no cell gap turns into a dot pitch in range is no cell pitch: strokes two
    # dots apart repeat at a third of an HD44780 cell (wide seed 88131, photo 1)
    peaks = [i for i in peaks if _cell_gaps_at(float(lags[i]))]
    if not peaks:
        return None
    best = max(peaks, key=lambda i: corr[i])
    if corr[best] < SETTINGS.lattice_period_peak:
        return None
    # the peak's lag refined to a fraction of a pixel (parabola through its neighbours)
    left, centre, right = corr[best - 1], corr[best], corr[best + 1]
    bend = left - 2 * centre + right
    shift = 0.5 * (left - right) / bend if bend < 0 else 0.0
    return float(lags[best] + shift)


def _cell_gaps_at(period: float) -> list[int]:
    """The cell gaps of :data:`CELL_GAPS` whose dot pitch at a cell pitch of ``period``
    [px] lies within :data:`X_PITCHES`."""
    return [gap for gap in CELL_GAPS if X_PITCHES[0] <= period / (COLS + gap) <= X_PITCHES[1]]


def _periodic_fit(profile: FloatArray, centre: float) -> tuple[int, float, float, float] | None:
    """The x fit (cell gap, pitch [px], offset [pitches], score) of the column
    ``profile`` with each cell gap's dot pitch searched within
    ``Settings.lattice_period_tolerance`` of the cell pitch the profile repeats at
    (:func:`_cell_period`), the best of those; None when the profile repeats at no
    clear period (or only at one whose pitches lie at the edge of :data:`X_PITCHES`)."""
    period = _cell_period(profile)
    if period is None:
        return None
    return _fit_at_period(profile, centre, period, CELL_GAPS)


def _fit_at_period(
    profile: FloatArray, centre: float, period: float, gaps: Sequence[int]
) -> tuple[int, float, float, float] | None:
    """The best x fit (cell gap, pitch [px], offset [pitches], score) of the column
    ``profile`` among the cell ``gaps`` whose dot pitch at the cell pitch ``period``
    [px] (within ``Settings.lattice_period_tolerance``) lies in :data:`X_PITCHES`; None
    when none does."""
    tolerance = SETTINGS.lattice_period_tolerance
    fits = []
    for gap in gaps:
        pitch = period / (COLS + gap)
        low = max(X_PITCHES[0], pitch * (1 - tolerance))
        high = min(X_PITCHES[1], pitch * (1 + tolerance))
        if high - low >= COARSE_PITCH_STEP:
            fits += _fit_layouts(profile, centre, {gap: X_LAYOUTS[gap]}, (low, high))
    return max(fits, key=lambda fit: fit[3]) if fits else None


_V = TypeVar("_V")


class _Recent(Generic[_V]):
    """The values computed for the last ``size`` keys asked for (the least recently used
    dropped first), shared by the threads of a process."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, _V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], _V]) -> _V:
        """The value remembered for ``key``, else ``compute()``'s, remembered."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value


#: :func:`measure_lattices` of the last darkness maps, by content: the panel search
#: measures one map again for each of the panel's reads (variants, the turned partner's
#: lattice, the photo's resolution; 78 of 307 measures on the 101 pinned photos, lead,
#: stop 50). Keyed with ``SETTINGS`` too, so a test switching a lattice rule measures
#: afresh. Few entries: a photo's search measures a handful of maps, one after another.
_MEASURED: _Recent[tuple[Lattice, ...]] = _Recent()


def measure_lattices(
    smooth: FloatArray, px_per_dot: int = PX_PER_DOT, others: bool = False
) -> list[Lattice]:
    """:func:`_measure_lattices`, remembered for the last maps measured (the same map
    measured again gets the same lattices, without the second fit). ``others``: the
    other cell gap's lattices only, where the gap is in doubt (ocr51a)."""
    array = np.ascontiguousarray(smooth)
    measure = _other_gap_lattices if others else _measure_lattices
    key = (others, *_map_key(array, px_per_dot))
    return list(_MEASURED.get(key, lambda: tuple(measure(array, px_per_dot))))


XFit = tuple[int, float, float, float]
#: The column profile and x fits of the last maps measured (:func:`_x_fits`): the other
#: cell gap's lattices, asked for after the others, start from them (ocr51a).
_X_FITS: _Recent[tuple[FloatArray, tuple[XFit, ...]]] = _Recent()


def _map_key(array: FloatArray, px_per_dot: int) -> tuple[object, ...]:
    """What :func:`measure_lattices` and :func:`_x_fits` remember a map's fits by."""
    return (
        SETTINGS,
        px_per_dot,
        array.shape,
        array.dtype.str,
        hashlib.sha1(np.ascontiguousarray(array).tobytes(), usedforsecurity=False).digest(),
    )


def _x_fits(smooth: FloatArray, px_per_dot: int) -> tuple[FloatArray, list[XFit]]:
    """The column profile of ``smooth`` and its x fits (the best, then the cell
    period's when another), remembered for the last maps."""

    def fit() -> tuple[FloatArray, tuple[XFit, ...]]:
        b = BORDER * px_per_dot
        centre_x = b + PANEL_W * px_per_dot / 2
        profile_x = _detrended(
            smooth[b : b + PANEL_H * px_per_dot, b : b + PANEL_W * px_per_dot].mean(axis=0), b
        )
        fitted = _fit_layouts(profile_x, centre_x, X_LAYOUTS, X_PITCHES)[0]
        periodic = _periodic_fit(profile_x, centre_x)
        if periodic is None or _same_x_fit(periodic, fitted):
            return profile_x, (fitted,)
        return profile_x, (fitted, periodic)

    profile_x, x_fits = _X_FITS.get(_map_key(smooth, px_per_dot), fit)
    return profile_x, list(x_fits)


def _measure_lattices(smooth: FloatArray, px_per_dot: int = PX_PER_DOT) -> list[Lattice]:
    """The panel's dot lattices measured on its (3 × 3 px blurred) darkness map: the best
    fit first, then every other line layout fitting within ``Settings.lattice_layout_tie``
    of it (best first).

    The dot area is centred in the panel (symmetric margins); its dot pitch, the blank
    columns between cells and the line layout are those whose dot centres are darkest
    against the blank positions between dots, cells and lines. Along y the blank rows
    (between the lines, above them, a 5 × 8 cell's underline) weigh as much as the
    positions between dots: counted together, the 12 positions between a line's dot rows
    outweigh its 3-6 blank rows, and on dots that nearly touch (the positions between
    them as dark as the dots) a layout a row off scores as well as the drawn one (ocr41a,
    ocr42b). Layouts fitting nearly as well are kept for the caller to read (the fit's
    score cannot tell a 5 × 7 line from a 5 × 8 one a row off on a blurred panel). A panel
    with more than 16 columns has its 16 middle cells read.

    Last, when the column profile repeats at a cell pitch (:func:`_cell_period`) the
    best x fit does not have, the lattice of the x fit around that period (its best line
    layout): the caller reads it as it reads the other layouts, and keeps it only when
    its first line names a value screen and it ranks better (lead, stop 49: on a blurred
    wide panel the dots' own fit can choose a pitch its text does not repeat at; where
    the dots are crisp, every multiple of their pitch repeats too, and the first fit is
    the right one: wide seed 88201, HD44780 photo 8).

    The other cell gap at those fits' cell pitches: :func:`_other_gap_lattices` (ocr51a).
    """
    _, x_fits = _x_fits(smooth, px_per_dot)
    lattices = _lattices_along_y(smooth, x_fits[0], px_per_dot)
    for periodic in x_fits[1:]:
        lattices.append(_lattices_along_y(smooth, periodic, px_per_dot, ties=False)[0])
    return lattices


def _other_gap_lattices(smooth: FloatArray, px_per_dot: int = PX_PER_DOT) -> list[Lattice]:
    """The lattices of the other cell gap at the cell pitch of :func:`_measure_lattices`'
    x fits where that gap is in doubt (:func:`_other_gap_in_doubt`), best line layout
    each: the panel search reads them only when no lattice of those named a value screen
    (ocr51a)."""
    centre_x = BORDER * px_per_dot + PANEL_W * px_per_dot / 2
    profile_x, x_fits = _x_fits(smooth, px_per_dot)
    lattices: list[Lattice] = []
    for x_fit in list(x_fits):
        other = _other_gap_in_doubt(profile_x, centre_x, x_fit)
        if other is not None and not any(_same_x_fit(other, fit) for fit in x_fits):
            x_fits.append(other)
            lattices.append(_lattices_along_y(smooth, other, px_per_dot, ties=False)[0])
    return lattices


def _other_gap_in_doubt(
    profile: FloatArray, centre: float, x_fit: tuple[int, float, float, float]
) -> tuple[int, float, float, float] | None:
    """The x fit of the other cell gap at ``x_fit``'s cell pitch when it scores within
    ``Settings.lattice_other_gap_doubt`` of ``x_fit`` (the gap in doubt), else None.

    Narrow glyphs with two blank columns repeat like 5-dot cells with one at 7/6 of the
    pitch (and the converse): on a blurred panel the column profile scores both alike
    (ocr50b: wide 151500, X11 5x8 photo 0, 0.061 and 0.060), the cells read only on the
    drawn one. Where the dots are crisp the drawn gap scores clearly better and the
    other is not read (its y fit and read cost ~15 % of a panel's lattice work)."""
    doubt = SETTINGS.lattice_other_gap_doubt
    gap, pitch, _, score = x_fit
    if doubt <= 0.0 or score <= 0.0:
        return None
    others = [other for other in CELL_GAPS if other != gap]
    other = _fit_at_period(profile, centre, pitch * (COLS + gap), others)
    return other if other is not None and other[3] >= (1.0 - doubt) * score else None


def _same_x_fit(
    first: tuple[int, float, float, float], second: tuple[int, float, float, float]
) -> bool:
    """Whether two x fits (cell gap, pitch [px], ...) have the same cell gap and a pitch
    within ``Settings.lattice_period_tolerance`` of each other."""
    return first[0] == second[0] and abs(first[1] - second[1]) <= (
        SETTINGS.lattice_period_tolerance * second[1]
    )


def _lattices_along_y(
    smooth: FloatArray,
    x_fit: tuple[int, float, float, float],
    px_per_dot: int,
    *,
    ties: bool = True,
) -> list[Lattice]:
    """The lattices of the x fit ``x_fit`` (cell gap, pitch [px], offset [pitches],
    score): its best line layout first, then (``ties``) every other fitting within
    ``Settings.lattice_layout_tie`` of it."""
    x_gap, x_pitch, x_off, x_score = x_fit
    b = BORDER * px_per_dot
    centre_x = b + PANEL_W * px_per_dot / 2
    centre_y = b + PANEL_H * px_per_dot / 2
    # rows along the dot columns found, against the blank columns beside them: the
    # panel's shading (a bezel's shadow, a gradient) is the same on both and cancels
    dots_x, between_x, blank_x = (
        _index(centre_x + x_pitch * (u + x_off), smooth.shape[1]) for u in X_LAYOUTS[x_gap]
    )
    blank_x = np.concatenate([between_x, blank_x])
    rows = smooth[b : b + PANEL_H * px_per_dot]
    profile_y = np.pad(rows[:, dots_x].mean(axis=1) - rows[:, blank_x].mean(axis=1), b)
    fits = _fit_layouts(
        profile_y, centre_y, Y_LAYOUTS, Y_PITCHES, weigh_blanks=SETTINGS.lattice_weigh_blanks
    )
    best_score = fits[0][3]
    xs, _, gap_xs = (centre_x + x_pitch * (u + x_off) for u in X_LAYOUTS[x_gap])
    lattices: list[Lattice] = []
    for y_layout, y_pitch, y_off, y_score in fits:
        if lattices and (
            not ties or y_score <= best_score - SETTINGS.lattice_layout_tie * abs(best_score)
        ):
            break
        ys, _, gap_ys = (centre_y + y_pitch * (u + y_off) for u in Y_LAYOUTS[y_layout])
        lattices.append(
            Lattice(xs, ys, gap_xs, gap_ys, x_gap, y_layout, (x_pitch, y_pitch), x_score + y_score)
        )
    return lattices


def measure_lattice(smooth: FloatArray, px_per_dot: int = PX_PER_DOT) -> Lattice:
    """The panel's best-fitting dot lattice (the first of :func:`measure_lattices`)."""
    return measure_lattices(smooth, px_per_dot)[0]


def scale_at_bound(grid: GridSample) -> bool:
    """Whether the standard layout's best scale on ``grid`` lies at a bound of the range
    searched (:data:`X_SCALES`, :data:`Y_SCALES`): the panel's own scale lies at or
    beyond it, so its cells are not the standard layout's (ocr40b: wide seed 144502,
    X11 5x7 normal photo 7, cells two blank columns apart, the x scale stopped at 1.04:
    the last cell's left dot column was sampled between dots, its 5 read as a 3 whose
    shape ruled the 5 out, confidently).
    """
    if grid.lattice is not None or grid.placed:
        return False
    for value, (start, stop, step) in zip(grid.scale, (X_SCALES, Y_SCALES), strict=True):
        last = start + step * (len(np.arange(start, stop, step)) - 1)
        if value <= start + step / 2 or value >= last - step / 2:
            return True
    return False


def line_beside_rows(grid: GridSample, lines: tuple[int, ...] = (0, 1)) -> bool:
    """Whether the ink of one of ``lines`` lies beside the rows ``grid`` samples it on
    (ocr40b; a line read blank has no ink to place: the caller leaves it out).

    A line of a dot-matrix screen is its dot rows between blank rows: moved one pitch
    up or down, the rows sampled hold less ink (a lit row leaves, a blank one comes).
    When they hold more, the line lies a row or more off the layout sampled: the panel's
    line gap or cell rows are not the standard ones (a line gap of 1, 3 or 4 pitches,
    5 × 8 cells), though its title, on the first line, may read cleanly (wide seed
    144502, normal photos 26 and 33: ``0 kWh`` read ``- Lh.``, ``1 kWh`` ``I kVN``).
    """
    smooth = _smoothed(grid)
    xs, ys = grid.centres
    height, width = smooth.shape
    pitch = grid.pitch[1]
    columns = smooth[:, _index(xs, width)]
    for line in lines:
        rows = ys[line * ROWS : (line + 1) * ROWS]
        ink = columns[_index(rows, height)].mean(axis=1)
        above, below = columns[_index(np.array([rows[0] - pitch, rows[-1] + pitch]), height)]
        if float(above.mean()) > ink[-1] or float(below.mean()) > ink[0]:
            return True
    return False


def turned_lattice(lattice: Lattice, size: tuple[int, int]) -> Lattice:
    """``lattice`` of a rectified panel image of ``size`` (width, height) [px] on the same
    panel turned 180° (the quad's corners rolled by two: pixel x goes to width - 1 - x).

    The lattice is measured on symmetric margins, so measuring the turned panel again
    would find the same lattice turned: this costs nothing where a measure costs ~40 ms.
    A 5 × 8 cell turned puts its blank underline row on top, which the sampled dot rows
    (the glyph's 7) do not include: they are the same dots either way up.
    """
    width, height = size

    def turned(values: npt.NDArray[np.float64], extent: int) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = (extent - 1 - values)[::-1]
        return out

    return replace(
        lattice,
        xs=turned(lattice.xs, width),
        ys=turned(lattice.ys, height),
        gap_xs=turned(lattice.gap_xs, width),
        gap_ys=turned(lattice.gap_ys, height),
    )


def shifted_lattices(lattice: Lattice, cells: npt.NDArray[np.float64]) -> list[Lattice]:
    """``lattice`` moved one dot column towards the ink its ``cells`` (2, 16, 35, sampled
    on it) leave out, when two blank columns or more part its cells: one column right
    when the cells' first column is unlit, one left when their last two are (a column's
    mean over the inked cells under ``Settings.shift_column_share`` of the inkiest's);
    none otherwise.

    A narrow glyph (the X11 designs draw 4 dots of 5, flush left) with two blank columns
    after its cell leaves three blank columns between glyphs: the fit finds the pitch and
    the columns, not which of them the 5-column cell starts at (ocr49b: tuning seed
    150501, wide normal, X11 5x8 held out photo 35: every cell sampled one column right,
    ``kWh`` read ``,Q6``, and the panel turned 180° fit its glyphs better)."""
    if lattice.cell_gap < 2:
        return []
    dots = cells.reshape(-1, ROWS, COLS)
    inked = dots[dots.max(axis=(1, 2)) >= 0.5]
    if not len(inked):
        return []
    columns = inked.mean(axis=(0, 1))
    unlit = columns < SETTINGS.shift_column_share * columns.max()
    step = lattice.pitch[0]
    shifts = [step] if unlit[0] else [-step] if unlit[-2:].all() else []
    return [replace(lattice, xs=lattice.xs + s, gap_xs=lattice.gap_xs + s) for s in shifts]


def scaled_lattice(lattice: Lattice, factor: float) -> Lattice:
    """``lattice`` of a rectified panel image on the same quad rectified at ``factor``
    times the pixels a pitch (``rectify``'s ``px_per_dot`` scaled: the target corners,
    border included, scale about the image's top-left corner, so a pixel centre at ``x``
    moves to ``(x + 0.5) × factor - 0.5``)."""

    def scaled(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = (values + 0.5) * factor - 0.5
        return out

    return replace(
        lattice,
        xs=scaled(lattice.xs),
        ys=scaled(lattice.ys),
        gap_xs=scaled(lattice.gap_xs),
        gap_ys=scaled(lattice.gap_ys),
        pitch=(lattice.pitch[0] * factor, lattice.pitch[1] * factor),
    )


def _alignment(smooth: FloatArray, lattice: Lattice) -> float:
    """The standard fit's score (dot centres minus blank columns and rows, on the column
    and row means of the darkness) of a measured lattice: the same scale of values.

    Only the blanks inside the dot area count (between dots, cells and lines), not the
    margin's outside the first and last dot: a measured lattice is measured because the
    margins are not the standard ones, and a margin narrower than the layout's puts that
    blank on the bezel, whose darkness then reads as a grid that is not there (lead,
    stop 39: wide seed 86102, normal photo 42, a top margin of one pitch; its lattice
    read "INDEX INJECTION" right, scored -0.03 and lost to a standard grid a row off).
    """
    total = 0.0
    for profile, dots, gaps in (
        (smooth.mean(axis=0), lattice.xs, lattice.gap_xs),
        (smooth.mean(axis=1), lattice.ys, lattice.gap_ys),
    ):
        size = len(profile)
        inside = gaps[(gaps > dots.min()) & (gaps < dots.max())]
        total += float(profile[_index(dots, size)].mean() - profile[_index(inside, size)].mean())
    return total


__all__ = [
    "BLANK_CONTRAST",
    "GridSample",
    "align_grid",
    "darkness_map",
    "dot_width",
    "line_beside_rows",
    "measure_lattices",
    "mirrored",
    "panel_spread",
    "resample",
    "resample_at",
    "sample_grid",
    "sample_measured",
    "scale_at_bound",
    "scaled_lattice",
    "shifted_lattices",
    "small_dots",
    "turned_lattice",
]
