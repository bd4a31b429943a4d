"""Perspective correction: warp the LCD panel quad onto an upright grid of dot pitches.

The panel is 101 × 22 dot pitches (3-dot margins, 6-dot character pitch, 9-dot line
pitch: the layout of a 2 × 16 character LCD). :func:`rectify` maps the photo's quad onto
an image of ``(101 + 2 border) × (22 + 2 border)`` pitches at :data:`PX_PER_DOT` pixels
each, so the grid reader samples fixed positions.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.imaging import median, percentile
from linkytool.ocr.lcd_layout import (  # re-exported: the reader's modules take them here
    CHAR_PITCH,
    CHARS,
    LINE_PITCH,
    LINES,
    MARGIN_X,
    MARGIN_Y,
    PANEL_H,
    PANEL_W,
)

Quad = npt.NDArray[np.float64]

#: Pixels per dot pitch in the rectified image.
PX_PER_DOT = 6
#: Extra border around the panel in the rectified image [dot pitches].
BORDER = 3


def homography(source: Quad, destination: Quad) -> npt.NDArray[np.float64]:
    """The 3×3 homography mapping 4 ``source`` points onto 4 ``destination`` points."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(source, destination, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    solution = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))
    matrix: npt.NDArray[np.float64] = np.append(solution, 1.0).reshape(3, 3)
    return matrix


def rectified_size(px_per_dot: int = PX_PER_DOT, border: int = BORDER) -> tuple[int, int]:
    """(width, height) [px] of the rectified panel image, border included."""
    return ((PANEL_W + 2 * border) * px_per_dot, (PANEL_H + 2 * border) * px_per_dot)


def quad_pitches(quad: Quad) -> tuple[float, float]:
    """Photo px a standard pitch along x and y: ``quad``'s (TL, TR, BR, BL) mean side
    lengths over the standard panel's ``PANEL_W × PANEL_H`` pitches it is rectified onto
    (the resolution the photo shows the panel at, whatever :func:`rectify` samples)."""
    corners = np.asarray(quad, dtype=np.float64)
    sides = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1)  # top, right, ...
    return float((sides[0] + sides[2]) / 2 / PANEL_W), float((sides[1] + sides[3]) / 2 / PANEL_H)


def rectify(
    image: Image.Image, quad: Quad, px_per_dot: int = PX_PER_DOT, border: int = BORDER
) -> Image.Image:
    """Warp ``quad`` (TL, TR, BR, BL in ``image`` px) onto the upright panel grid."""
    width, height = rectified_size(px_per_dot, border)
    b = border * px_per_dot
    target = np.array(
        [
            [b, b],
            [b + PANEL_W * px_per_dot, b],
            [b + PANEL_W * px_per_dot, b + PANEL_H * px_per_dot],
            [b, b + PANEL_H * px_per_dot],
        ],
        dtype=np.float64,
    )
    # PIL maps output pixels back into the source: the target -> photo homography
    back = homography(target, np.asarray(quad, dtype=np.float64))
    coefficients = tuple(float(v) for v in (back / back[2, 2]).flatten()[:8])
    return image.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        coefficients,
        Image.Resampling.BILINEAR,
    )


#: Nominal centres [dot pitches from the panel's top-left corner] of every dot column
#: (16 chars × 5) and row (2 lines × 7), and of the always-blank gap columns (around
#: and between characters) and rows (around and between lines).
DOT_X = np.array([MARGIN_X + c * CHAR_PITCH + k + 0.5 for c in range(CHARS) for k in range(5)])
DOT_Y = np.array(
    [MARGIN_Y + line * LINE_PITCH + r + 0.5 for line in range(LINES) for r in range(7)]
)
GAP_X = np.concatenate(
    [
        [MARGIN_X - 1 + 0.5],
        [MARGIN_X + c * CHAR_PITCH + 5 + 0.5 for c in range(CHARS - 1)],
        [PANEL_W - MARGIN_X + 0.5],
    ]
)
GAP_Y = np.array(
    [MARGIN_Y - 1 + 0.5, MARGIN_Y + 7 + 0.5, MARGIN_Y + 8 + 0.5, PANEL_H - MARGIN_Y + 0.5]
)


def place(
    nominal: npt.NDArray[np.float64],
    axis: int,
    scale: float | npt.NDArray[np.float64],
    offset: float,
    px_per_dot: int = PX_PER_DOT,
) -> npt.NDArray[np.float64]:
    """Nominal positions along ``axis`` (0 = x) scaled about the panel's centre, shifted
    by ``offset`` [dot pitches] and the border, in rectified pixels.

    ``scale`` may be a column of scales (shape (n, 1)): one row of positions per scale.
    """
    centre = (PANEL_W if axis == 0 else PANEL_H) / 2
    result: npt.NDArray[np.float64] = (
        (nominal - centre) * scale + centre + offset + BORDER
    ) * px_per_dot
    return result


def dot_centres(
    offset: tuple[float, float] = (0.0, 0.0),
    scale: tuple[float, float] = (1.0, 1.0),
    px_per_dot: int = PX_PER_DOT,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """x (16 chars × 5 cols) and y (2 lines × 7 rows) centres [px] of every dot.

    ``offset`` [dot pitches] and ``scale`` adjust the nominal grid (refinement).
    """
    return (
        place(DOT_X, 0, scale[0], offset[0], px_per_dot),
        place(DOT_Y, 1, scale[1], offset[1], px_per_dot),
    )


def gap_centres(
    offset: tuple[float, float] = (0.0, 0.0),
    scale: tuple[float, float] = (1.0, 1.0),
    px_per_dot: int = PX_PER_DOT,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """x of the blank columns between characters, y of the blank rows between lines."""
    return (
        place(GAP_X, 0, scale[0], offset[0], px_per_dot),
        place(GAP_Y, 1, scale[1], offset[1], px_per_dot),
    )


__all__ = [
    "BORDER",
    "CHARS",
    "DOT_X",
    "DOT_Y",
    "GAP_X",
    "GAP_Y",
    "LINES",
    "PANEL_H",
    "PANEL_W",
    "PX_PER_DOT",
    "Warper",
    "dot_centres",
    "gap_centres",
    "homography",
    "place",
    "quad_pitches",
    "rectified_size",
    "rectify",
    "refine_quad",
]


def _fit_line(
    positions: npt.NDArray[np.float64], edges: npt.NDArray[np.float64]
) -> tuple[float, float] | None:
    """Robust fit ``edge = a * position + b`` (two rounds of outlier rejection).

    A round that rejects nothing ends the fit: every later round, and the final fit,
    would fit the same points to the same line.
    """
    keep = np.isfinite(edges)
    for _ in range(3):
        if keep.sum() < max(8, len(edges) // 5):
            return None
        a, b = np.polyfit(positions[keep], edges[keep], 1)
        residual = np.abs(edges - (a * positions + b))
        limit = max(1.0, 2.5 * median(residual[keep]))
        kept = keep & (residual <= limit)
        if np.array_equal(kept, keep):
            return float(a), float(b)
        keep = kept
    if keep.sum() < max(8, len(edges) // 5):
        return None
    a, b = np.polyfit(positions[keep], edges[keep], 1)
    return float(a), float(b)


def _along_edge(profiles: npt.NDArray[np.float64], radius: int) -> npt.NDArray[np.float64]:
    """Each profile row averaged with its ``radius`` neighbours on either side (axis 0).

    The rows are profiles across one edge at successive pixels along it: the mean keeps
    the step where it is (the edge is nearly straight over a few pixels) and takes the
    noise down, so a faint bezel/panel step (backlight off, a shadow, low ink contrast)
    is not lost to a noise spike at every row.
    """
    if radius <= 0:
        return profiles
    padded = np.pad(profiles, ((radius + 1, radius), (0, 0)), mode="edge")
    padded[0] = 0.0
    sums = np.cumsum(padded, axis=0)
    smoothed: npt.NDArray[np.float64] = (sums[2 * radius + 1 :] - sums[: -2 * radius - 1]) / (
        2 * radius + 1
    )
    return smoothed


def _edge_positions(
    profiles: npt.NDArray[np.float64], rising: bool, smooth: int = 0
) -> npt.NDArray[np.float64]:
    """Sub-pixel position of the strongest step along axis 1 of each profile row (each
    row averaged with its ``smooth`` neighbours on either side first: :func:`_along_edge`)."""
    profiles = _along_edge(profiles, smooth)
    gradient = profiles[:, 2:] - profiles[:, :-2]
    if not rising:
        gradient = -gradient
    index = np.argmax(gradient, axis=1)
    strength = gradient[np.arange(len(index)), index]
    result = index.astype(np.float64) + 1.0
    # parabola through the peak and its neighbours
    inner = (index > 0) & (index < gradient.shape[1] - 1)
    rows = np.arange(len(index))[inner]
    left = gradient[rows, index[inner] - 1]
    centre = gradient[rows, index[inner]]
    right = gradient[rows, index[inner] + 1]
    denominator = left - 2 * centre + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(denominator) > 1e-9, 0.5 * (left - right) / denominator, 0.0)
    result[inner] += np.clip(shift, -0.5, 0.5)
    weak = strength < 0.25 * percentile(strength, 90)
    result[weak] = np.nan
    positions: npt.NDArray[np.float64] = result
    return positions


class Warper:
    """:func:`rectify` for one photo, each (quad, border) warped once.

    The panel search reads a quad it refined, refines a quad it read, or tries a quad
    again from another mask: ~1 warp a photo in 15 is a repeat (~6 ms each). The images
    returned are shared: callers must not change them in place.
    """

    def __init__(self, image: Image.Image, px_per_dot: int = PX_PER_DOT) -> None:
        self.image = image
        self.px_per_dot = px_per_dot
        self._warped: dict[tuple[bytes, int], Image.Image] = {}

    def __call__(self, quad: Quad, border: int = BORDER) -> Image.Image:
        """``image`` rectified on ``quad`` with a ``border`` [dot pitches].

        The search reads each quad both ways up (its corners rolled by two): the panel
        the other way up is the one already warped turned by 180°, pixel for pixel (the
        same homography composed with the grid's point symmetry; checked on 110 million
        pixels of the pinned photos, not one differed), at a fiftieth of a warp's cost.
        """
        corners = np.asarray(quad, dtype=np.float64)
        key = (corners.tobytes(), border)
        panel = self._warped.get(key)
        if panel is None:
            upside_down = self._warped.get((np.roll(corners, 2, axis=0).tobytes(), border))
            panel = self._warped[key] = (
                rectify(self.image, corners, self.px_per_dot, border)
                if upside_down is None
                else upside_down.transpose(Image.Transpose.ROTATE_180)
            )
        return panel


def refine_quad(
    image: Image.Image | Warper,
    quad: Quad,
    px_per_dot: int = PX_PER_DOT,
    border: int = BORDER,
    smooth: int = 0,
) -> Quad | None:
    """Sharpen a coarse panel quad from the panel/bezel edges seen in its rectification.

    The coarse quad is rectified with a border; along each side the step from the dark
    bezel to the bright, empty panel margin is found per column (or row) and fitted with
    a line; the four lines' intersections, mapped back into the photo, are the new quad.
    Returns None when an edge cannot be found (the coarse quad is then kept). ``image``
    may be a :class:`Warper` of the photo (at ``px_per_dot``): its warps are reused.
    ``smooth`` [px]: each profile averaged with that many neighbours along the edge on
    either side before its step is found (a dim panel's step is the noise's size).
    """
    if isinstance(image, Warper):
        panel = image(quad, border)
    else:
        panel = rectify(image, quad, px_per_dot, border)
    grey = np.asarray(panel.convert("L"), dtype=np.float64)
    s = px_per_dot
    b = border * s
    reach = int((border + 2.4) * s)
    width, height = PANEL_W * s, PANEL_H * s
    xs = np.arange(b + 4 * s, b + width - 4 * s, dtype=np.float64)
    ys = np.arange(b + 3 * s, b + height - 3 * s, dtype=np.float64)
    xi, yi = xs.astype(int), ys.astype(int)
    top = _edge_positions(grey[:reach, xi].T, True, smooth)
    bottom_start = b + height - (reach - b) - s * 0
    bottom_start = int(b + height - (reach - b))
    bottom = _edge_positions(grey[bottom_start:, xi].T, False, smooth) + bottom_start
    left = _edge_positions(grey[yi, :reach], True, smooth)
    right_start = int(b + width - (reach - b))
    right = _edge_positions(grey[yi, right_start:], False, smooth) + right_start
    lines_h = [_fit_line(xs, top), _fit_line(xs, bottom)]
    lines_v = [_fit_line(ys, left), _fit_line(ys, right)]
    if any(line is None for line in (*lines_h, *lines_v)):
        return None
    corners = []
    for h_line, v_line in (
        (lines_h[0], lines_v[0]),
        (lines_h[0], lines_v[1]),
        (lines_h[1], lines_v[1]),
        (lines_h[1], lines_v[0]),
    ):
        assert h_line is not None and v_line is not None
        a_h, b_h = h_line  # y = a_h x + b_h
        a_v, b_v = v_line  # x = a_v y + b_v
        y = (a_h * b_v + b_h) / (1 - a_h * a_v)
        x = a_v * y + b_v
        corners.append((x, y))
    rect = np.array(corners, dtype=np.float64)
    target = np.array(
        [[b, b], [b + width, b], [b + width, b + height], [b, b + height]], dtype=np.float64
    )
    back = homography(target, np.asarray(quad, dtype=np.float64))
    points = np.column_stack([rect, np.ones(4)]) @ back.T
    refined: Quad = points[:, :2] / points[:, 2:3]
    # reject wild refinements (more than 3 dot pitches away from the coarse corners)
    pitch = float(np.linalg.norm(quad[1] - quad[0])) / PANEL_W
    if np.max(np.linalg.norm(refined - quad, axis=1)) > (border + 1.5) * pitch:
        return None
    return refined
