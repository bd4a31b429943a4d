"""A shape rules out no runner-up the cell's sure dots fit as well as its nearest digit
(``dotmatrix.as_near_by_sure_dots``, ocrU).

Found on ocrU's held-out seed 138417 (``bench/ocr_accuracy.py --font all --level hard
--count 50``), X11 5x8 held out, hard photo 9: a variant ROM's 8 drawn without its middle
bar's left dot, nearest 3 by 0.18 dot; each template the cell contradicts on one dot
sampled surely, the 8 ruled out by its opened loops, so ``18:20`` was read ``13:20``
confidently (margin 5.6 dots).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.dotmatrix import DIGITS
from linkytool.ocr.font5x7 import glyph_bits
from linkytool.ocr.result import ScreenKind

from .conftest import (
    bench_photo,
    held_out_verdict,
    read_held_out,
    shape_agreement_off,
    sure_dot_rule_off,
    template_glyph,
)


def test_a_digit_drawn_a_dot_off_with_a_loop_opened_is_not_read_confidently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 9, seed=138417)
    assert truth == "2026-05-29T18:20"
    assert held_out_verdict(photo, "x11_5x8") == (
        ScreenKind.DATE,
        "2026-05-29T13:20",
        False,
    )
    sure_dot_rule_off(monkeypatch)
    # stop 40's rule withholds it too (the cell's shape admits no 3): both off
    shape_agreement_off(monkeypatch)
    wrong = read_held_out(photo, "x11_5x8")
    assert (wrong.value, wrong.confident) == ("2026-05-29T13:20", True)


def test_a_template_digit_misses_no_sure_dot_of_its_own() -> None:
    for digit in DIGITS:
        misses = dotmatrix.sure_dot_misses(template_glyph(digit)[None, :])
        assert misses[0, DIGITS.index(digit)] == 0


def test_an_uncertain_dot_is_no_miss() -> None:
    cell = template_glyph("8")
    lit = np.flatnonzero(cell >= 0.5)
    half = cell.copy()
    half[lit[0]] = 0.5  # sampled half on: blur, not a dot drawn otherwise
    assert dotmatrix.sure_dot_misses(half[None, :])[0, DIGITS.index("8")] == 0
    off = cell.copy()
    off[lit[0]] = 0.0
    assert dotmatrix.sure_dot_misses(off[None, :])[0, DIGITS.index("8")] >= 1


def test_a_runner_up_is_as_near_when_it_misses_no_more_sure_dots() -> None:
    cell = template_glyph("8")[None, :]
    costs = np.full((1, 10), 9.0)
    costs[0, DIGITS.index("8")] = 0.0
    near = dotmatrix.as_near_by_sure_dots(cell, costs)
    misses = dotmatrix.sure_dot_misses(cell)
    # a clean 8 misses no sure dot of its own: only digits some template draws exactly
    # like it (none) are as near; the others stay ruled out by the shape
    assert near[0, DIGITS.index("8")]
    assert near[0].tolist() == (misses[0] <= 0).tolist()


def test_an_eight_without_one_dot_of_its_bar_is_as_near_an_eight_as_a_three() -> None:
    # HD44780's 8 without the left dot of its middle bar: one sure dot off every 8
    # template and one off a 3; read nearest 3, the 8 its opened loop would rule out
    # stays in the margin (the case of the pinned photo, on a drawn cell)
    cell = glyph_bits("8", "hd44780")[-7:].astype(np.float64)
    cell[3, 1] = 0.0
    cell = cell.reshape(1, -1)
    misses = dotmatrix.sure_dot_misses(cell)[0]
    assert misses[DIGITS.index("8")] == misses[DIGITS.index("3")] == 1
    costs = np.full((1, 10), 9.0)
    costs[0, DIGITS.index("3")] = 0.0
    assert dotmatrix.as_near_by_sure_dots(cell, costs)[0, DIGITS.index("8")]
