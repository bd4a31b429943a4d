"""Small numpy/Pillow image helpers of the reader: grey levels, blurs, components.

No OpenCV: Pillow's filters do the blurs, numpy the arithmetic, and connected components
are labelled from row runs with a union-find (fast enough on a 640 px image).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from PIL import Image

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


def to_grey(image: Image.Image) -> FloatArray:
    """Luminance of ``image`` as float32 in [0, 255]."""
    return np.asarray(image.convert("L"), dtype=np.float32)


def from_array(array: FloatArray) -> Image.Image:
    """A float array in [0, 255] as an 8-bit grey image."""
    return Image.fromarray(np.clip(array, 0, 255).astype(np.uint8), "L")


def box_blur(array: FloatArray, radius: int) -> FloatArray:
    """Mean over a (2r+1)² window (edges replicated), separable, via cumulative sums.

    In float64, on buffers padded in place (edges and the cumulative sums' leading zero
    written once: ``np.pad`` twice cost as much as the sums).
    """
    if radius <= 0:
        return array.astype(np.float32)
    size = 2 * radius + 1
    height, width = array.shape
    # (rows padded by radius, a zero column, then columns padded by radius)
    cols = np.empty((height + 2 * radius, width + 2 * radius + 1))
    cols[:, 0] = 0.0
    middle = slice(radius, radius + height)
    cols[middle, 1 + radius : 1 + radius + width] = array
    cols[middle, 1 : 1 + radius] = array[:, :1]
    cols[middle, 1 + radius + width :] = array[:, -1:]
    cols[:radius, 1:] = cols[radius : radius + 1, 1:]
    cols[radius + height :, 1:] = cols[radius + height - 1 : radius + height, 1:]
    np.cumsum(cols, axis=1, out=cols)
    rows = np.empty((height + 2 * radius + 1, width))  # a zero row, then the row means
    rows[0] = 0.0
    np.subtract(cols[:, size:], cols[:, :-size], out=rows[1:])
    np.divide(rows[1:], size, out=rows[1:])
    np.cumsum(rows, axis=0, out=rows)
    result: FloatArray = ((rows[size:, :] - rows[:-size, :]) / size).astype(np.float32)
    return result


#: Numpy's pairwise summation: blocks up to this many elements are summed with 8
#: running sums (``PW_BLOCKSIZE`` of its ``loops_utils.h``).
_PAIRWISE_BLOCK = 128


def _pairwise_sum(
    planes: npt.NDArray[np.floating] | Sequence[npt.NDArray[np.floating]], start: int, count: int
) -> npt.NDArray[np.floating]:
    """Sum of ``planes[start : start + count]`` (axis 0) in the order numpy's pairwise
    summation adds the elements of one contiguous row (8 running sums, then a tree)."""
    if count < 8:
        total: npt.NDArray[np.floating] = planes[start] + 0
        for i in range(start + 1, start + count):
            total += planes[i]
        return total
    if count <= _PAIRWISE_BLOCK:
        sums = [planes[start + j].copy() for j in range(8)]
        i = 8
        while i < count - count % 8:
            for j in range(8):
                sums[j] += planes[start + i + j]
            i += 8
        total = ((sums[0] + sums[1]) + (sums[2] + sums[3])) + (
            (sums[4] + sums[5]) + (sums[6] + sums[7])
        )
        for k in range(start + i, start + count):
            total += planes[k]
        return total
    half = count // 2
    half -= half % 8
    total = _pairwise_sum(planes, start, half)
    total += _pairwise_sum(planes, start + half, count - half)
    return total


#: Below this many sums, :func:`gathered_means` leaves them to numpy (its per-plane
#: additions cost more than numpy's per-row calls on small grids).
PLANES_FROM = 1024


def gathered_means(values: FloatArray, index: npt.NDArray[np.intp]) -> FloatArray:
    """``values[moved].mean(axis=-1)`` for a 1-D ``values`` and ``index`` with the averaged
    axis FIRST (``moved = np.moveaxis(index, 0, -1)``), the same bits.

    numpy sums each short row with a call of its own (most of a lattice search's time);
    here the elements are gathered as contiguous planes (one per averaged position, a
    units-first ``index`` keeps the gather contiguous) and the additions numpy's pairwise
    summation does, in its order, are done on whole planes at once.
    """
    if index[0].size < PLANES_FROM:
        # a C-ordered index: the gather is C-ordered, and numpy sums each row pairwise
        # (a gather laid out as a moved view's would be summed across rows instead)
        small: FloatArray = values[np.ascontiguousarray(np.moveaxis(index, 0, -1))].mean(axis=-1)
        return small
    return plane_means(np.take(values, index))


def plane_means(
    planes: npt.NDArray[np.floating] | Sequence[npt.NDArray[np.floating]],
) -> FloatArray:
    """Mean of ``planes`` (axis 0, or a list of equal planes): the bits numpy's mean gives
    over the last axis of the same values laid out as rows (see :func:`gathered_means`)."""
    count = len(planes)
    total = _pairwise_sum(planes, 0, count)
    total += 0  # numpy's reduction starts from the identity: -0.0 sums to +0.0
    result: FloatArray = np.true_divide(total, np.intp(count), out=total, casting="unsafe")
    return result


def percentile(values: npt.ArrayLike, q: float) -> float:
    """``np.percentile(values, q)`` (linear method, finite float64 values), same bits.

    numpy's percentile calls ``np.unique``, whose first call imports ``numpy.ma``
    (15-70 ms): too much for a command that reads one photo.
    """
    flat = np.sort(np.asarray(values, dtype=np.float64), axis=None)
    virtual = (flat.size - 1) * (q / 100)
    below = math.floor(virtual)
    if below >= flat.size - 1:
        return float(flat[-1])
    low, high = float(flat[below]), float(flat[below + 1])
    weight = virtual - below
    step = high - low
    # numpy's _lerp: from the nearer end
    return high - step * (1 - weight) if weight >= 0.5 else low + step * weight


def median(values: npt.ArrayLike) -> float:
    """``np.median(values)`` of finite float64 values, same bits (numpy's median also
    imports ``numpy.ma``, for its NaN check)."""
    flat = np.sort(np.asarray(values, dtype=np.float64), axis=None)
    half = flat.size // 2
    if flat.size % 2:
        return float(flat[half])
    return (float(flat[half - 1]) + float(flat[half])) / 2


def max_filter(array: FloatArray, size: int) -> FloatArray:
    """Grey dilation with a ``size`` square window (odd, >= 3), edges replicated.

    Separable (a row maximum, then a column maximum): the values of Pillow's
    ``MaxFilter``, whose rank filter sorts every window, 30 times faster on a mask.
    """
    size = max(3, size | 1)
    radius = size // 2
    height, width = array.shape
    padded = np.pad(array.astype(np.float32), radius, mode="edge")
    rows = padded[:, :width].copy()
    for shift in range(1, size):
        np.maximum(rows, padded[:, shift : shift + width], out=rows)
    result: FloatArray = rows[:height].copy()
    for shift in range(1, size):
        np.maximum(result, rows[shift : shift + height], out=result)
    return result


def label_components(mask: BoolArray) -> tuple[IntArray, int]:
    """4-connected components of ``mask``: (labels with 0 = background, count).

    Labels are numbered in the order components first appear, row by row. Vectorised:
    the row runs of ``mask`` are the nodes, overlapping runs of neighbouring rows the
    edges, and the components are found by hooking roots and jumping pointers (each
    run's root ends as the component's first run).
    """
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    # every row starts and ends outside: its transitions alternate start, end, start...
    rows, edges = np.nonzero(np.diff(padded, axis=1))
    rows, starts, ends = rows[0::2], edges[0::2], edges[1::2]
    count = len(starts)
    labels = np.zeros((height, width), dtype=np.int32)
    if count == 0:
        return labels, 0
    # runs of the previous row overlapping run b: a with end_a > start_b and start_a < end_b
    # (runs are sorted by row then start, so those form a range): keys order both
    stride = width + 2
    start_keys = rows * stride + starts
    end_keys = rows * stride + ends
    previous = (rows - 1) * stride
    first = np.searchsorted(end_keys, previous + starts, side="right")
    last = np.searchsorted(start_keys, previous + ends, side="left")
    links = np.maximum(last - first, 0)
    lower = np.repeat(first, links) + _ranges(links)
    upper = np.repeat(np.arange(count), links)
    parent = np.arange(count)
    while True:
        a, b = parent[lower], parent[upper]
        if np.array_equal(a, b):
            break
        np.minimum.at(parent, np.maximum(a, b), np.minimum(a, b))
        while True:  # pointer jumping until every run points at its root
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    is_root = parent == np.arange(count)
    run_labels = np.cumsum(is_root, dtype=np.int32)[parent]
    # paint the runs: +label where a run starts, -label just after it ends, summed along
    # the image (runs never overlap; a run ending a row may end where the next row's
    # first run starts, hence starts written first, ends subtracted after)
    steps = np.zeros(height * width + 1, dtype=np.int32)
    steps[rows * width + starts] = run_labels
    ends_at = rows * width + ends
    steps[ends_at] -= run_labels
    np.cumsum(steps[:-1], out=labels.ravel())
    return labels, int(is_root.sum())


def _ranges(lengths: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """0..n-1 for each n of ``lengths``, concatenated."""
    total = int(lengths.sum())
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    result: npt.NDArray[np.intp] = np.arange(total) - offsets
    return result


def component_pixels(
    labels: IntArray, wanted: npt.NDArray[np.bool_]
) -> dict[int, tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """(ys, xs) of every label marked in ``wanted`` (indexed by label), in row-major order
    as ``np.nonzero(labels == label)`` gives them, from one pass over the image."""
    width = labels.shape[1]
    flat = labels.ravel()
    index = np.flatnonzero(wanted[flat])
    index = index[np.argsort(flat[index], kind="stable")]
    ordered = flat[index]
    found = np.flatnonzero(wanted)
    result: dict[int, tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]] = {}
    if len(found) == 0:
        return result
    bounds = np.searchsorted(ordered, np.append(found, found[-1] + 1))
    for number, label in enumerate(found.tolist()):
        ys, xs = np.divmod(index[bounds[number] : bounds[number + 1]], width)
        result[label] = (ys, xs)
    return result


__all__ = [
    "box_blur",
    "component_pixels",
    "from_array",
    "label_components",
    "max_filter",
    "median",
    "percentile",
    "to_grey",
]
