"""Glyphs one dot off their design that the shape table read as another digit (issue 13,
stop 38).

``devtools/ocr_variant_probe.py`` draws a ROM whose letters match the templates while
one digit is drawn a dot otherwise (nothing on the panel warns the reader). Three of
its probes read a legible digit as another one, confidently: alt's open 4 with a dot
stuck between its arms (``##..#``) had a 5's top cap; a tailed 9 whose loop a dead
corner dot opens had a 3's shape; and that 9, beside two real 3s on a blurred panel,
took their shape as a twin's. Each test below fails with its fix reverted.
"""

from __future__ import annotations

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.font5x7 import FONTS
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.structure import DIGITS, admitted


def _switched(font: str, digit: str, row: int, col: int) -> np.ndarray:
    """``digit`` of ``font`` with dot (``row``, ``col``) switched, as 35 sampled dots."""
    rows = [list(line) for line in FONTS[font][digit][:7]]
    rows[row][col] = "." if rows[row][col] == "#" else "#"
    return np.array([[c == "#" for c in line] for line in rows], dtype=np.float64).reshape(-1)


@pytest.mark.parametrize("col", [1, 2, 3])
def test_an_open_four_with_a_dot_between_its_arms_is_no_five(col: int) -> None:
    # "#...#" with one dot lit between the arms: three dots, not a stroke (a cap)
    assert admitted(_switched("alt", "4", 0, col)) == {"4"}


def test_a_nine_whose_loop_a_dead_dot_opens_is_no_three() -> None:
    # the tailed 9 without its loop's lower left corner: its left side is closed under
    # its top, which no 3 is; its shape then says nothing (every template speaks)
    cell = _switched("tailed", "9", 3, 1)
    assert "3" not in admitted(cell)


@pytest.mark.parametrize("digit", "237")
def test_no_design_of_2_3_or_7_closes_its_left_side(digit: str) -> None:
    for font, glyphs in FONTS.items():
        cell = np.array([[c == "#" for c in line] for line in glyphs[digit][:7]], float)
        assert digit in admitted(cell.reshape(-1)), font


def _twin_case(twin_apart: float) -> np.ndarray:
    """``_twins_shape`` on three cells: a cell read 3 whose own shape rules nothing out,
    a twin read 3 ``twin_apart`` dots from it whose shape rules out every other digit,
    and a cell read 8 three dots from the first; the first cell's row of the result."""
    cells = np.zeros((3, 35))
    cells[1, : int(twin_apart * 2)] = 0.5  # L1 distance twin_apart
    cells[2, 30:33] = 1.0  # 3 dots
    costs = np.full((3, len(DIGITS)), 9.0)
    costs[[0, 1], DIGITS.index("3")] = 1.0
    costs[2, DIGITS.index("8")] = 1.0
    shape = np.zeros((3, len(DIGITS)), dtype=np.bool_)
    shape[1] = [d != "3" for d in DIGITS]
    out: np.ndarray = dotmatrix._twins_shape(cells, costs, shape)[0]
    return out


def test_a_twin_lends_its_shape_only_when_clearly_nearer_than_another_digit() -> None:
    margin = SETTINGS.confident_margin
    # 2 dots from its twin, 3 from the panel's 8: within the design gap, but no nearer
    # than the 8 by the confident margin (the probe's 9 among 3s and 8s)
    assert 2.0 + margin > 3.0
    assert not _twin_case(2.0).any()
    # half a dot from its twin: the twin's closed sides rule the others out
    assert _twin_case(0.5).sum() == len(DIGITS) - 1
