"""Small numpy/Pillow image helpers of the reader: grey levels, blurs, components.

No OpenCV: Pillow's filters do the blurs, numpy the arithmetic, and connected components
are labelled from row runs with a union-find (fast enough on a 640 px image).
"""

from __future__ import annotations

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
    """Mean over a (2r+1)² window (edges replicated), separable, via cumulative sums."""
    if radius <= 0:
        return array.astype(np.float32)
    size = 2 * radius + 1
    padded = np.pad(array.astype(np.float64), radius, mode="edge")
    cols = np.cumsum(np.pad(padded, ((0, 0), (1, 0))), axis=1)
    horizontal = (cols[:, size:] - cols[:, :-size]) / size
    rows = np.cumsum(np.pad(horizontal, ((1, 0), (0, 0))), axis=0)
    result: FloatArray = ((rows[size:, :] - rows[:-size, :]) / size).astype(np.float32)
    return result


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
    """4-connected components of ``mask``: (labels with 0 = background, count)."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    rows_s, starts = np.nonzero(diff == 1)
    _rows_e, ends = np.nonzero(diff == -1)
    count = len(starts)
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # runs are sorted by row then start: merge each row's runs with the previous row's
    row_first = np.searchsorted(rows_s, np.arange(height + 1))
    rows_list = rows_s.tolist()
    starts_list = starts.tolist()
    ends_list = ends.tolist()
    first_list = row_first.tolist()
    for row in range(1, height):
        a, a_end = first_list[row - 1], first_list[row]
        b, b_end = a_end, first_list[row + 1]
        while a < a_end and b < b_end:
            if starts_list[a] < ends_list[b] and starts_list[b] < ends_list[a]:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            if ends_list[a] < ends_list[b]:
                a += 1
            else:
                b += 1
    labels = np.zeros((height, width), dtype=np.int32)
    roots: dict[int, int] = {}
    for i in range(count):
        root = find(i)
        label = roots.setdefault(root, len(roots) + 1)
        labels[rows_list[i], starts_list[i] : ends_list[i]] = label
    return labels, len(roots)


__all__ = ["box_blur", "from_array", "label_components", "max_filter", "to_grey"]
