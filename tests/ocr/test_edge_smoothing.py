"""When no quad reads cleanly, a panel's edges are also found on profiles averaged along
them (ocrG, :func:`linkytool.ocr.rectify._edge_positions`, ``panel._refinements``,
``Settings.edge_smooth_px``).

The photo is ``bench/ocr_accuracy.py --font alt --level hard --seed 115001``, photo 13,
the alternative set held out, regenerated from its seed: a PRM screen with the backlight
off, the lowest ink contrast of the level and a shadow, 2.8 px a dot pitch. Its bezel/
panel step on the left is about the noise's size: found profile by profile, the left
edge came out tilted (its top corner ~2 pitches out), the left cells were sampled off and
the PRM did not parse. Four of the six drawn fonts missed that photo.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import panel, read_photo, rectify
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.settings import SETTINGS

from .conftest import bench_photo


def test_a_faint_step_in_noise_is_found_on_profiles_averaged_along_the_edge() -> None:
    rng = np.random.default_rng(115001)
    profiles = np.where(np.arange(30) < 12, 20.0, 26.0)[None, :].repeat(120, axis=0)
    profiles = profiles + rng.normal(0.0, 4.0, profiles.shape)
    smoothed = rectify._edge_positions(profiles, True, SETTINGS.edge_smooth_px)
    kept = smoothed[np.isfinite(smoothed)]
    assert np.median(np.abs(kept - 11.5)) < 0.5
    raw = rectify._edge_positions(profiles, True)
    assert np.median(np.abs(raw[np.isfinite(raw)] - 11.5)) > 2


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_dim_panels_left_edge_is_not_tilted_by_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "alt", "hard", 13, seed=115001)
    assert truth == "02193342466579"
    with use_template_fonts(tuple(name for name in template_fonts() if name != "alt")):
        reading = read_photo(photo)
        assert reading.value == truth
        assert not reading.confident
        monkeypatch.setattr(panel, "SETTINGS", dataclasses.replace(SETTINGS, edge_smooth_px=0))
        before = read_photo(photo)
    assert before.value != truth
