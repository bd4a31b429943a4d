"""Find the LCD panel in a photo: the bright window inside the meter's dark bezel.

The reader works on a copy scaled to :data:`LOCATE_SIZE`: pixels darker than half of
their neighbourhood's brightness are "dark" (bezel, LCD ink, shadows); the LCD panel is
a non-dark component that does not touch the photo's border, is about 4.6 times wider
than high (101 × 22 dot pitches), fills its oriented box and is ringed by dark pixels.
The panel's four corners are then fitted from its boundary (one line per edge).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.imaging import (
    BoolArray,
    FloatArray,
    box_blur,
    component_pixels,
    label_components,
    max_filter,
)

Quad = npt.NDArray[np.float64]

#: Longest side [px] of the copy the panel is searched in.
LOCATE_SIZE = 800
#: A pixel is dark below this fraction of its neighbourhood's brightness.
DARK_RATIO = 0.55
#: Expected panel aspect (width / height) and the accepted range.
PANEL_ASPECT = 101 / 22
ASPECT_RANGE = (2.6, 8.5)
#: Smallest panel area [px at LOCATE_SIZE].
MIN_AREA = 120


@dataclass(frozen=True)
class PanelCandidate:
    """A possible LCD panel: corners TL, TR, BR, BL [px of the searched image], score."""

    quad: Quad
    score: float
    aspect: float
    fill: float
    ring_dark: float
    #: Derived from the bezel's outer box (coarse: needs a wider refinement).
    from_bezel: bool = False


def local_brightness(
    grey: FloatArray, step: int = 8, window: int = 5, *, statistic: Literal["max", "mean"] = "max"
) -> FloatArray:
    """Brightness of each pixel's neighbourhood: max (or mean) of a coarse mean, upsampled.

    ``statistic="mean"``: a glare spot next to the bezel raises the neighbourhood's max
    so much that the bezel no longer counts as dark; it raises the mean far less.
    """
    height, width = grey.shape
    small = Image.fromarray(grey, "F").resize(
        (max(1, width // step), max(1, height // step)), Image.Resampling.BOX
    )
    coarse = np.asarray(small, dtype=np.float32)
    bright = box_blur(coarse, window // 2) if statistic == "mean" else max_filter(coarse, window)
    up = Image.fromarray(bright, "F").resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(up, dtype=np.float32)


def dark_mask(grey: FloatArray, ratio: float = DARK_RATIO) -> BoolArray:
    """Pixels darker than ``ratio`` × their neighbourhood's brightness."""
    result: BoolArray = grey < ratio * np.maximum(local_brightness(grey), 1.0)
    return result


def _order_corners(points: npt.NDArray[np.float64], angle: float) -> Quad:
    """Extreme points of a rotated blob along its four diagonals: TL, TR, BR, BL."""
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    u = points[:, 0] * cos_a + points[:, 1] * sin_a
    v = -points[:, 0] * sin_a + points[:, 1] * cos_a
    u = (u - u.mean()) / max(np.ptp(u), 1e-6)
    v = (v - v.mean()) / max(np.ptp(v), 1e-6)
    picks = [np.argmax(-u - v), np.argmax(u - v), np.argmax(u + v), np.argmax(-u + v)]
    return np.array([points[i] for i in picks], dtype=np.float64)


def _fit_edges(boundary: npt.NDArray[np.float64], corners: Quad) -> Quad:
    """Refine corners: a total-least-squares line per edge, intersected."""
    lines = []
    for index in range(4):
        a, b = corners[index], corners[(index + 1) % 4]
        direction = b - a
        length = float(np.hypot(*direction))
        if length < 3:
            return corners
        unit = direction / length
        normal = np.array([-unit[1], unit[0]])
        rel = boundary - a
        along = rel @ unit
        across = rel @ normal
        tolerance = max(2.0, 0.04 * length)
        keep = (along > 0.12 * length) & (along < 0.88 * length) & (np.abs(across) < tolerance)
        pts = boundary[keep]
        if len(pts) < 5:
            return corners
        centre = pts.mean(axis=0)
        _, _, vt = np.linalg.svd(pts - centre, full_matrices=False)
        lines.append((centre, vt[0]))
    refined = []
    for index in range(4):
        (p1, d1), (p2, d2) = lines[index - 1], lines[index]
        matrix = np.array([d1, -d2]).T
        if abs(np.linalg.det(matrix)) < 1e-6:
            return corners
        t = np.linalg.solve(matrix, p2 - p1)
        refined.append(p1 + t[0] * d1)
    result = np.array(refined, dtype=np.float64)
    if np.max(np.abs(result - corners)) > 0.2 * float(np.ptp(corners[:, 0])):
        return corners
    return result


#: (dark ratio, dilation of the dark mask [px]) tried in turn: a glare spot can lift
#: part of the bezel above the plain threshold, a higher ratio or a 1 px closing
#: reconnects it.
MASK_VARIANTS = ((DARK_RATIO, 0), (0.7, 0), (DARK_RATIO, 1), (0.8, 1))
#: Dark ratio to the neighbourhood's *mean* brightness, tried after MASK_VARIANTS: a
#: glare spot across the bezel opens its ring under every max-based mask.
MEAN_DARK_RATIO = 0.9
#: (dark ratio, dilation [px]) of the bezel masks, tried in turn as a last resort.
BEZEL_MASK_VARIANTS = ((DARK_RATIO, 0), (0.7, 0), (0.7, 1))


def panel_candidates(grey: FloatArray, *, min_area: int = MIN_AREA) -> list[PanelCandidate]:
    """LCD panel candidates in ``grey`` over every mask variant, best first."""
    found: list[PanelCandidate] = []
    for batch in candidate_batches(grey, min_area=min_area):
        found.extend(batch)
    found.sort(key=lambda c: c.score, reverse=True)
    return found


def candidate_batches(
    grey: FloatArray, *, min_area: int = MIN_AREA
) -> Iterator[list[PanelCandidate]]:
    """Panel candidates per mask variant (best first in each), new ones only.

    Lazy: the caller stops as soon as a candidate reads well, so a clean photo costs one
    mask.
    """
    bright = np.maximum(local_brightness(grey), 1.0)
    found: list[PanelCandidate] = []
    for ratio, grow in MASK_VARIANTS:
        batch: list[PanelCandidate] = []
        dark: BoolArray = grey < ratio * bright
        if grow:
            dark = max_filter(dark.astype(np.float32), 2 * grow + 1) > 0.5
        for raw in _candidates_in_mask(dark, min_area):
            candidate = raw
            if grow:
                candidate = PanelCandidate(
                    _grow_quad(raw.quad, grow),
                    raw.score - 0.05,
                    raw.aspect,
                    raw.fill,
                    raw.ring_dark,
                )
            if all(
                np.abs(candidate.quad.mean(axis=0) - other.quad.mean(axis=0)).max() > 4
                for other in found
            ):
                found.append(candidate)
                batch.append(candidate)
        batch.sort(key=lambda c: c.score, reverse=True)
        yield batch
    mean = np.maximum(local_brightness(grey, statistic="mean"), 1.0)
    batch = [
        c
        for c in _candidates_in_mask(grey < MEAN_DARK_RATIO * mean, min_area)
        if all(np.abs(c.quad.mean(axis=0) - o.quad.mean(axis=0)).max() > 4 for o in found)
    ]
    found.extend(batch)
    yield batch
    # last resort: the bezel's own dark component (glare can open its ring), under a
    # plain mask, then a looser one (a glare spot brightens the ring's neighbourhood, so
    # the bezel near it no longer counts as dark at the plain ratio)
    for ratio, grow in BEZEL_MASK_VARIANTS:
        dark = grey < ratio * bright
        if grow:
            dark = max_filter(dark.astype(np.float32), 2 * grow + 1) > 0.5
        batch = [
            c
            for c in bezel_candidates(dark, min_area)
            if all(np.abs(c.quad.mean(axis=0) - o.quad.mean(axis=0)).max() > 4 for o in found)
        ]
        found.extend(batch)
        yield batch


def _grow_quad(quad: Quad, distance: float) -> Quad:
    """Move each edge of ``quad`` outwards by ``distance`` [px] (approximately)."""
    centre = quad.mean(axis=0)
    width = float(np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
    height = float(np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
    # express corners in the quad's own axes to grow width and height separately
    axis_u = (quad[1] - quad[0] + quad[2] - quad[3]) / 2
    axis_u /= max(float(np.linalg.norm(axis_u)), 1e-6)
    axis_v = np.array([-axis_u[1], axis_u[0]])
    rel = quad - centre
    u = rel @ axis_u
    v = rel @ axis_v
    u *= 1 + 2 * distance / max(width, 1.0)
    v *= 1 + 2 * distance / max(height, 1.0)
    grown: Quad = centre + np.outer(u, axis_u) + np.outer(v, axis_v)
    return grown


def _candidates_in_mask(dark: BoolArray, min_area: int) -> list[PanelCandidate]:
    """Panel candidates among the non-dark components of one mask."""
    labels, count = label_components(~dark)
    if count == 0:
        return []
    height, width = dark.shape
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    # (a mark per label rather than np.unique, which imports numpy.ma: 15-70 ms)
    on_border = np.zeros(count + 1, dtype=bool)
    on_border[labels[0, :]] = on_border[labels[-1, :]] = True
    on_border[labels[:, 0]] = on_border[labels[:, -1]] = True
    wanted = (areas >= min_area) & ~on_border & (areas <= 0.5 * height * width)
    wanted[0] = False
    candidates: list[PanelCandidate] = []
    for label, (ys, xs) in component_pixels(labels, wanted).items():
        points = np.column_stack([xs, ys]).astype(np.float64)
        centred = points - points.mean(axis=0)
        cov = centred.T @ centred / len(points)
        _, eigvecs = np.linalg.eigh(cov)
        major = eigvecs[:, 1]
        angle = math.atan2(major[1], major[0])
        if angle > math.pi / 2:
            angle -= math.pi
        elif angle <= -math.pi / 2:
            angle += math.pi
        u = centred @ major
        v = centred @ eigvecs[:, 0]
        length, breadth = float(np.ptp(u)) + 1, float(np.ptp(v)) + 1
        aspect = length / breadth
        if not ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
            continue
        fill = len(points) / (length * breadth)
        if fill < 0.45:
            continue
        # ring of pixels just outside the blob's box must be mostly dark (the bezel)
        x0, x1 = int(xs.min()), int(xs.max())
        y0, y1 = int(ys.min()), int(ys.max())
        pad = max(2, round(0.03 * length))
        ring_x0, ring_x1 = max(0, x0 - pad), min(width - 1, x1 + pad)
        ring_y0, ring_y1 = max(0, y0 - pad), min(height - 1, y1 + pad)
        window = labels[ring_y0 : ring_y1 + 1, ring_x0 : ring_x1 + 1] == label
        window_dark = dark[ring_y0 : ring_y1 + 1, ring_x0 : ring_x1 + 1]
        grown = max_filter(window.astype(np.float32), 2 * pad + 1) > 0.5
        ring = grown & ~window
        ring_dark = float(window_dark[ring].mean()) if ring.any() else 0.0
        if ring_dark < 0.5:
            continue
        corners = _order_corners(points, angle)
        inner = labels[ring_y0 : ring_y1 + 1, ring_x0 : ring_x1 + 1] == label
        shifted = np.zeros_like(inner)
        shifted[1:-1, 1:-1] = (
            inner[:-2, 1:-1] & inner[2:, 1:-1] & inner[1:-1, :-2] & inner[1:-1, 2:]
        )
        by, bx = np.nonzero(inner & ~shifted)
        boundary = np.column_stack([bx + ring_x0, by + ring_y0]).astype(np.float64)
        quad = _fit_edges(boundary, corners)
        # corners sit on pixel centres: the panel extends half a pixel further out
        centre = quad.mean(axis=0)
        quad = centre + (quad - centre) * (1 + 1.0 / max(breadth, 1.0))
        score = (
            ring_dark + fill - abs(math.log(aspect / PANEL_ASPECT)) + 0.2 * math.log(len(points))
        )
        candidates.append(PanelCandidate(quad, score, aspect, fill, ring_dark))
    candidates.sort(key=lambda c: c.score, reverse=True)
    return candidates


__all__ = [
    "LOCATE_SIZE",
    "PANEL_ASPECT",
    "PanelCandidate",
    "Quad",
    "candidate_batches",
    "dark_mask",
    "local_brightness",
    "panel_candidates",
    "parallel_variants",
]


#: The bezel's outer box relative to the panel (render geometry of a Linky LCD window:
#: the panel spans about 92 % of the bezel's width and 69 % of its height).
BEZEL_TO_PANEL = (0.925, 0.685)
#: Expected bezel aspect (outer width / height) and accepted range.
BEZEL_ASPECT_RANGE = (2.2, 5.5)


def _convex_hull(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Convex hull of 2-D points (Andrew's monotone chain), counter-clockwise.

    Only the first and last point of each row (same y) can be a corner: the chain runs
    on those (a blob of thousands of pixels has a few hundred), sorted by x then y
    without duplicates.
    """
    by_row = points[np.lexsort((points[:, 0], points[:, 1]))]
    row_starts = np.ones(len(by_row), dtype=bool)
    row_starts[1:] = by_row[1:, 1] != by_row[:-1, 1]
    row_ends = np.roll(row_starts, -1)
    extremes = by_row[row_starts | row_ends]
    ordered = extremes[np.lexsort((extremes[:, 1], extremes[:, 0]))]
    fresh = np.ones(len(ordered), dtype=bool)
    fresh[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    unique = ordered[fresh]
    if len(unique) < 3:
        return unique

    def half(sequence: list[list[float]]) -> list[list[float]]:
        # on Python floats: the same float64 arithmetic as on numpy rows, 10 times faster
        chain: list[list[float]] = []
        for point in sequence:
            while len(chain) >= 2:
                a, b = chain[-2], chain[-1]
                if (b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0]) > 0:
                    break
                chain.pop()
            chain.append(point)
        return chain

    rows = unique.tolist()
    lower, upper = half(rows), half(rows[::-1])
    return np.array(lower[:-1] + upper[:-1], dtype=np.float64)


def _min_area_axis(centred: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Unit direction of the long side of the smallest rectangle holding ``centred``.

    Unlike the principal axis, it does not tilt when glare or a finger removes a corner
    of the bezel ring: the remaining outer edges still bound the points.
    """
    hull = _convex_hull(centred)
    best: tuple[float, npt.NDArray[np.float64]] | None = None
    for index in range(len(hull)):
        edge = hull[(index + 1) % len(hull)] - hull[index]
        length = float(np.hypot(*edge))
        if length < 1e-9:
            continue
        unit = edge / length
        normal = np.array([-unit[1], unit[0]])
        along, across = hull @ unit, hull @ normal
        extent_u, extent_v = float(np.ptp(along)), float(np.ptp(across))
        area = extent_u * extent_v
        if best is None or area < best[0]:
            best = (area, unit if extent_u >= extent_v else normal)
    if best is None:
        return np.array([1.0, 0.0])
    return best[1]


def bezel_candidates(dark: BoolArray, min_area: int = MIN_AREA) -> list[PanelCandidate]:
    """Panel candidates from dark ring-shaped components (the bezel, even broken).

    A glare spot can open the bezel ring, so the panel's bright component leaks out; the
    bezel itself is still a large dark component, much emptier than its box. Its
    oriented box shrunk to the panel's share is a coarse quad that
    :func:`linkytool.ocr.rectify.refine_quad` then sharpens.
    """
    labels, count = label_components(dark)
    if count == 0:
        return []
    height, width = dark.shape
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    wanted = (areas >= min_area // 2) & (areas <= 0.2 * height * width)
    wanted[0] = False
    candidates: list[PanelCandidate] = []
    for ys, xs in component_pixels(labels, wanted).values():
        if xs.min() == 0 or ys.min() == 0 or xs.max() == width - 1 or ys.max() == height - 1:
            continue
        points = np.column_stack([xs, ys]).astype(np.float64)
        centre = points.mean(axis=0)
        centred = points - centre
        major = _min_area_axis(centred)
        if major[0] < 0:
            major = -major
        minor = np.array([-major[1], major[0]])
        u, v = centred @ major, centred @ minor
        length, breadth = float(np.ptp(u)) + 1, float(np.ptp(v)) + 1
        aspect = length / breadth
        if not BEZEL_ASPECT_RANGE[0] <= aspect <= BEZEL_ASPECT_RANGE[1] or breadth < 6:
            continue
        fill = len(points) / (length * breadth)
        if fill > 0.6:
            continue
        mid = centre + major * (u.max() + u.min()) / 2 + minor * (v.max() + v.min()) / 2
        half_u = major * length * BEZEL_TO_PANEL[0] / 2
        half_v = minor * breadth * BEZEL_TO_PANEL[1] / 2
        quad = np.array(
            [
                mid - half_u - half_v,
                mid + half_u - half_v,
                mid + half_u + half_v,
                mid - half_u + half_v,
            ]
        )
        score = 1.0 - fill - abs(math.log(aspect / 3.4)) + 0.2 * math.log(len(points))
        candidates.append(PanelCandidate(quad, score, aspect, fill, 1.0, from_bezel=True))
    candidates.sort(key=lambda c: c.score, reverse=True)
    return candidates


#: Opposite panel edges further apart in direction than this [°] are not both real:
#: perspective on a small panel converges them by a few degrees at most, a shadow edge or
#: a finger cutting a corner off the bright component tilts one of them far more.
MAX_EDGE_SPREAD_DEG = 5.0


def _direction_deg(start: npt.NDArray[np.float64], end: npt.NDArray[np.float64]) -> float:
    delta = end - start
    return math.degrees(math.atan2(float(delta[1]), float(delta[0])))


def _intersect(
    point_a: npt.NDArray[np.float64],
    dir_a: npt.NDArray[np.float64],
    point_b: npt.NDArray[np.float64],
    dir_b: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64] | None:
    """Intersection of two lines given by a point and a direction (None if parallel)."""
    matrix = np.array([dir_a, -dir_b]).T
    if abs(float(np.linalg.det(matrix))) < 1e-9:
        return None
    t = np.linalg.solve(matrix, point_b - point_a)
    result: npt.NDArray[np.float64] = point_a + t[0] * dir_a
    return result


def parallel_variants(quad: Quad) -> list[Quad]:
    """Quads with one tilted edge replaced by a parallel of the opposite edge.

    For each pair of opposite edges whose directions differ by more than
    :data:`MAX_EDGE_SPREAD_DEG`, either edge may be the cut one: it is redrawn parallel
    to the other through its own outer corner (a shadow or a finger removes part of the
    panel from the bright component, never adds beyond its real edge, so the corner
    furthest out still lies on the real edge). Empty when the quad looks rectangular;
    the caller keeps whichever variant reads best.
    """
    variants: list[Quad] = []
    centre = quad.mean(axis=0)
    # edges as (index of start corner, index of end corner); opposite pairs
    for first, second in (((0, 1), (3, 2)), ((0, 3), (1, 2))):
        a0, a1 = quad[first[0]], quad[first[1]]
        b0, b1 = quad[second[0]], quad[second[1]]
        spread = abs(_direction_deg(a0, a1) - _direction_deg(b0, b1))
        spread = min(spread, 360.0 - spread)
        if spread <= MAX_EDGE_SPREAD_DEG:
            continue
        for cut, keep in ((first, second), (second, first)):
            direction = quad[keep[1]] - quad[keep[0]]
            normal = np.array([-direction[1], direction[0]])
            # the cut edge's corner furthest from the centre along the normal
            outer = max(cut, key=lambda i: abs(float((quad[i] - centre) @ normal)))
            # the two edges adjacent to the cut one, as lines through the kept corners
            new = quad.copy()
            for corner, partner in zip(cut, keep, strict=True):
                side = quad[partner] - quad[corner]
                point = _intersect(quad[outer], direction, quad[partner], side)
                if point is None:
                    break
                new[corner] = point
            else:
                variants.append(new)
    return variants
