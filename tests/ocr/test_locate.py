"""The LCD locator's last-resort guess from the bezel ring (pure, synthetic masks)."""

from __future__ import annotations

import math

import numpy as np

from linkytool.ocr.imaging import to_grey
from linkytool.ocr.locate import (
    MASK_VARIANTS,
    PanelCandidate,
    bezel_candidates,
    candidate_batches,
    parallel_variants,
)
from ocrsynth.generate import PhotoSpec, draw_scene, generate_photo, photo_rng


def _tilted_ring(angle_deg: float, cut_corner: bool) -> np.ndarray:
    """A dark bezel ring (160 x 48 px outer, 10 px thick) tilted by ``angle_deg``."""
    height, width = 300, 400
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    angle = math.radians(angle_deg)
    u = (xx - 200) * math.cos(angle) + (yy - 150) * math.sin(angle)
    v = -(xx - 200) * math.sin(angle) + (yy - 150) * math.cos(angle)
    outer = (np.abs(u) <= 80) & (np.abs(v) <= 24)
    inner = (np.abs(u) <= 70) & (np.abs(v) <= 14)
    ring = outer & ~inner
    if cut_corner:  # a glare spot lifts the top-left corner of the ring above "dark"
        ring &= ~((u < -45) & (v < 0))
    return ring


def test_bezel_guess_keeps_the_tilt_when_a_corner_of_the_ring_is_missing() -> None:
    for angle in (-6.0, 0.0, 5.0):
        candidates = bezel_candidates(_tilted_ring(angle, cut_corner=True))
        assert candidates, angle
        quad = candidates[0].quad
        top = quad[1] - quad[0]
        measured = math.degrees(math.atan2(top[1], top[0]))
        assert abs(measured - angle) < 1.0, (angle, measured)
        assert np.allclose(quad.mean(axis=0), (200, 150), atol=4.0)


def test_a_rectangular_quad_has_no_squared_variant() -> None:
    quad = np.array([[100.0, 100.0], [560.0, 104.0], [558.0, 204.0], [98.0, 200.0]])
    assert parallel_variants(quad) == []


def test_a_shadow_cut_edge_is_redrawn_parallel_through_its_outer_corner() -> None:
    # the real panel is (500, 695)-(775, 757); a shadow cut its top-left corner off, so
    # the component's left edge runs from (527, 698) to the true bottom-left corner
    quad = np.array([[527.0, 698.0], [774.0, 694.0], [777.0, 754.0], [508.0, 750.0]])
    variants = parallel_variants(quad)
    assert len(variants) == 2  # either vertical edge may be the cut one
    left_fixed = min(variants, key=lambda q: q[0, 0])
    # new left edge parallel to the right edge, through the bottom-left corner
    right = quad[2] - quad[1]
    left = left_fixed[3] - left_fixed[0]
    assert abs(right[0] * left[1] - right[1] * left[0]) < 1e-6 * np.hypot(*right) ** 2
    np.testing.assert_allclose(left_fixed[3], quad[3])
    assert left_fixed[0, 0] < 510  # top-left corner moved out to the real edge
    np.testing.assert_allclose(left_fixed[1:3], quad[1:3])  # right edge untouched


def test_a_bezel_opened_by_glare_is_found_against_the_mean_brightness() -> None:
    # hard photo 182 of seed 301: a glare spot across the top and bottom of the bezel
    # (backlight off, dim photo); no max-based mask closes the ring around the panel
    rng = photo_rng(301, "hard", 182)
    image, truth = generate_photo(PhotoSpec(scene=draw_scene(rng), level="hard"), rng)
    assert truth.lcd_quad is not None and image.size == (4000, 3000)
    small = image.convert("L").reduce(5)
    scale = small.width / image.width
    batches = list(candidate_batches(to_grey(small)))
    centre = np.array(truth.lcd_quad).mean(axis=0) * scale

    def near(batch: list[PanelCandidate]) -> bool:
        return any(np.abs(c.quad.mean(axis=0) - centre).max() < 5 for c in batch)

    assert not any(near(batch) for batch in batches[: len(MASK_VARIANTS)])
    assert near(batches[len(MASK_VARIANTS)])
