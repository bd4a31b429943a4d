"""The LCD locator's last-resort guess from the bezel ring (pure, synthetic masks)."""

from __future__ import annotations

import math

import numpy as np

from linkytool.ocr.locate import bezel_candidates


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
