"""Hard photos' confidence, sixth pass (ocrQ): a shape is evidence only where it agrees.

The photos are ``bench/ocr_accuracy.py --font FONT --level hard --seed 136001`` (ocrQ's
tuning seed), the font held out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, read_photo
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo

SEED = 136001


def _read(photo: Path, held_out: str) -> tuple[ScreenKind, str | None, bool]:
    with use_template_fonts(tuple(name for name in template_fonts() if name != held_out)):
        reading = read_photo(photo)
    return reading.screen, reading.value, reading.confident


def test_a_shape_that_rules_out_its_own_nearest_digit_rules_nothing_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two blurred X11 5x8 3s whose shape admits no digit at all, nearest 5 by 0.1 dot:
    # every runner-up ruled out by that shape gave an infinite margin, confidently wrong
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 24, seed=SEED)
    assert truth == "37322642666239"
    assert _read(photo, "x11_5x8") == (ScreenKind.PRM, "57322642666259", False)
    monkeypatch.setattr(
        dotmatrix, "shape_contradicts", lambda shape, costs: np.zeros(len(shape), dtype=bool)
    )
    assert _read(photo, "x11_5x8") == (ScreenKind.PRM, "57322642666259", True)


def test_shape_contradicts_names_the_cells_whose_shape_rules_out_their_nearest() -> None:
    costs = np.array([[0.0, 3.0] + [9.0] * 8, [5.0, 1.0] + [9.0] * 8])
    shape = np.zeros((2, 10), dtype=bool)
    shape[0, 0] = True  # the first cell's shape rules out 0, its nearest
    shape[1, 0] = True  # the second's rules out 0, a runner-up
    assert dotmatrix.shape_contradicts(shape, costs).tolist() == [True, False]
