"""Hard photos' confidence, sixth pass (ocrQ): a shape is evidence only where it agrees.

The photos are ``bench/ocr_accuracy.py --font FONT --level hard --seed 136001`` (ocrQ's
tuning seed), the font held out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, structure
from linkytool.ocr.font5x7 import FONTS, glyph_bits
from linkytool.ocr.result import ScreenKind

from .conftest import (
    bench_photo,
    held_out_verdict,
    shape_feature_free,
    sure_dot_rule_off,
    twins_shape_off,
)

SEED = 136001


def test_a_shape_that_rules_out_its_own_nearest_digit_rules_nothing_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two blurred X11 5x8 3s whose shape admits no digit at all, nearest 5 by 0.1 dot:
    # every runner-up ruled out by that shape gave an infinite margin, confidently wrong
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 24, seed=SEED)
    assert truth == "37322642666239"
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.PRM, "57322642666259", False)
    monkeypatch.setattr(
        dotmatrix, "shape_contradicts", lambda shape, costs: np.zeros(len(shape), dtype=bool)
    )
    # ocrU's sure-dot rule guards this cell too (the 3 misses no more sure dots than the
    # 5): both are switched off to see this one's case
    sure_dot_rule_off(monkeypatch)
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.PRM, "57322642666259", True)


def test_shape_contradicts_names_the_cells_whose_shape_rules_out_their_nearest() -> None:
    costs = np.array([[0.0, 3.0] + [9.0] * 8, [5.0, 1.0] + [9.0] * 8])
    shape = np.zeros((2, 10), dtype=bool)
    shape[0, 0] = True  # the first cell's shape rules out 0, its nearest
    shape[1, 0] = True  # the second's rules out 0, a runner-up
    assert dotmatrix.shape_contradicts(shape, costs).tolist() == [True, False]


@pytest.mark.parametrize(("index", "truth"), [(13, "26315909892669"), (27, "19153523629702")])
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_flagged_one_three_dots_wide_is_no_four(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int, truth: str
) -> None:
    # the tailed 1 (X11's 4 without its bar row, read "T" among letters) is 0.5-1.3 dots
    # from a 4 template: blur left the gap under its point uncertain, a 3-dot "bar" gave
    # it a 4's shape; every design of a 4 spans 4 columns or more.
    # Since ocrW photo 27's sharper 1 lends its twin its shape (dotmatrix._twins_shape):
    # off, to see these rules alone
    twins_shape_off(monkeypatch)
    photo, value = bench_photo(tmp_path, "tailed", "hard", index, seed=SEED)
    assert value == truth
    assert held_out_verdict(photo, "tailed") == (ScreenKind.PRM, truth, True)
    with shape_feature_free("4", "wide"):
        assert held_out_verdict(photo, "tailed") == (ScreenKind.PRM, truth, False)


def test_a_four_is_wide_in_every_design() -> None:
    for font in FONTS:
        four = structure.shape_of(glyph_bits("4", font)[-7:])
        assert four is not None and four.wide, font
    narrow_one = glyph_bits("1", "tailed").copy()
    narrow_one[2, 1] = True  # the gap under its point lit by blur: a 3-dot bar
    assert "4" not in structure.admitted(narrow_one.reshape(-1).astype(float))


def test_a_flat_topped_three_with_a_base_of_two_dots_is_no_seven(tmp_path: Path) -> None:
    # HD44780's flat-topped 3 (held out) fits its nearest 3 3.7 dots worse than the
    # title letters; blur left its base two dots, no bottom cap: a 7's shape, the
    # runner-up 3.8 dots off, too close for that misfit. A 7 ends in its stroke's one dot.
    photo, value = bench_photo(tmp_path, "hd44780", "hard", 4, seed=136002)
    assert value == "631"
    assert held_out_verdict(photo, "hd44780") == (ScreenKind.INJECTION_INDEX, "631", True)
    with shape_feature_free("7", "bottom_point"):
        assert held_out_verdict(photo, "hd44780") == (ScreenKind.INJECTION_INDEX, "631", False)
