"""A twin lends what its own shape and sure dots rule out (issue 13, ocr39a).

ocrU's sure-dot rule (``dotmatrix.as_near_by_sure_dots``) gives a cell's shape no say
between its nearest digit and a runner-up that its surely sampled dots contradict as
often: the design is neither template's. The tailed 1 (a flag, no base) is three sure
dots from every template 1 (its missing base, its flag) and four from X11's 4 drawn on
the full matrix (the bar it lacks, the stem's last dot): when blur leaves that last dot
uncertain, the two tie and the 4 its shape rules out (no bar, not wide) comes back
within 0.5-1 dot (ocr39a's tuning seeds 142401-142403, tailed held out, hard). A twin
drawn alike, whose last stem dot is sure, shows the ROM draws it; since ocr39a its own
sure dots decide what it lends, not the cell's (``dotmatrix._shape_excluded``). A twin
that ties too lends nothing: ocrU's guard stands for a design none of whose drawings
tells the two digits apart.
"""

from __future__ import annotations

import numpy as np

from linkytool.ocr import dotmatrix
from linkytool.ocr.dotmatrix import DIGITS, char_distances
from linkytool.ocr.font5x7 import FONTS

FOUR = DIGITS.index("4")


def _tailed_one(last_dot: float) -> np.ndarray:
    """The tailed 1 as 35 sampled dots, its stem's last dot sampled ``last_dot``."""
    rows = FONTS["tailed"]["1"][:7]
    cell = np.array([[c == "#" for c in line] for line in rows], dtype=np.float64)
    cell[6, 2] = last_dot
    return cell.reshape(-1)


def _zero() -> np.ndarray:
    rows = FONTS["hd44780"]["0"][:7]
    return np.array([[c == "#" for c in line] for line in rows], dtype=np.float64).reshape(-1)


def _excluded(cells: np.ndarray) -> np.ndarray:
    chars, distances = char_distances(cells, designs=True)
    costs = distances[:, [chars.index(digit) for digit in DIGITS]]
    assert (np.argmin(costs, axis=1)[:-1] == DIGITS.index("1")).all()
    out: np.ndarray = dotmatrix._shape_excluded(cells, costs, False, None)
    return out


def test_the_doubtful_drawing_ties_a_four_by_its_sure_dots() -> None:
    doubtful = _tailed_one(0.5)[None, :]
    misses = dotmatrix.sure_dot_misses(doubtful)[0]
    assert misses[DIGITS.index("1")] == misses[FOUR] == 3
    sure = dotmatrix.sure_dot_misses(_tailed_one(1.0)[None, :])[0]
    assert sure[FOUR] > sure[DIGITS.index("1")]


def test_a_twin_whose_sure_dots_rule_a_four_out_lends_it() -> None:
    cells = np.stack([_tailed_one(0.5), _tailed_one(1.0), _zero()])
    excluded = _excluded(cells)
    assert excluded[1, FOUR]  # the sure drawing: its shape and sure dots say no 4
    assert excluded[0, FOUR]  # lent to its twin, whose own sure dots tie


def test_alone_the_doubtful_drawing_keeps_the_four() -> None:
    cells = np.stack([_tailed_one(0.5), _zero()])
    assert not _excluded(cells)[0, FOUR]


def test_a_twin_that_ties_too_lends_nothing() -> None:
    cells = np.stack([_tailed_one(0.5), _tailed_one(0.5), _zero()])
    excluded = _excluded(cells)
    assert not excluded[0, FOUR]
    assert not excluded[1, FOUR]
