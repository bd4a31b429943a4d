"""A digit whose misfit lies in its uncertain dots only, its sure dots deciding between
it and every runner-up the unfamiliar-digits doubt fears, is no unfamiliar design
(``dotmatrix.sure_dots_decide``, ocr47b): a phone's highlight or defocus dims part of a
stroke, which the templates' distance counts as misfit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.dotmatrix import DIGITS, char_distances, sure_dots_decide
from linkytool.ocr.screenkind import ScreenKind

from .conftest import drawn_cell, held_out_verdict

CAMERA = Path(__file__).resolve().parents[1] / "data" / "ocr-camera"

#: X11's 6 with its top and bottom bars dimmed to 0.5 (a highlight's core over them):
#: 2.0 dots from the nearest 6, the 8 two sure dots off (its closed upper loop, its
#: middle bar's left dot).
DIMMED_SIX = (".??..", "#....", "###..", "#..#.", "#..#.", ".??..", ".....")
#: The same with the two dots that tell a 6 from an 8 uncertain too: nothing sure
#: decides between them.
UNDECIDED_SIX = (".??..", "#..?.", "?##..", "#..#.", "#..#.", ".??..", ".....")


def _costs(rows: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    cell = drawn_cell(rows).reshape(1, -1)
    chars, distances = char_distances(cell, None, designs=True)
    return cell, distances[:, [chars.index(d) for d in DIGITS]]


def test_sure_dots_decide_a_dimmed_six() -> None:
    """Misfit 2 dots over the title letters (0), the 8 within that misfit plus the slack
    of the 6: the doubt would hold it; its sure dots rule the 8 out and fit a 6."""
    cell, costs = _costs(DIMMED_SIX)
    assert DIGITS[int(np.argmin(costs[0]))] == "6"
    assert sure_dots_decide(cell, costs, 0.0).tolist() == [True]


def test_uncertain_telling_dots_decide_nothing() -> None:
    cell, costs = _costs(UNDECIDED_SIX)
    assert DIGITS[int(np.argmin(costs[0]))] == "6"
    assert sure_dots_decide(cell, costs, 0.0).tolist() == [False]


def test_a_misfit_over_the_cap_is_never_decided() -> None:
    """A cell fitting its nearest digit more than ``unfamiliar_excess_cap`` worse than the
    letters is unfamiliar whatever its sure dots say."""
    cell, costs = _costs(DIMMED_SIX)
    assert sure_dots_decide(cell, costs, -3.0).tolist() == [False]


PHOTO = CAMERA / "x11_5x7-normal-camera-17-149861.jpg"
INDEX = "14806"


def test_a_highlight_over_a_six_is_read_confidently() -> None:
    """Tuning seed 149861's camera photo 17 (X11 5x7 held out): a highlight's core over
    the index's 6 dims its top bar; the 6 fits 2.35 dots worse than the title letters
    and its runner-up, the 8, is 1.7 dots off: held as an unfamiliar design. Its sure
    dots fit X11 5x8's 6 and contradict every 8: confident."""
    assert held_out_verdict(PHOTO, "x11_5x7") == (ScreenKind.INJECTION_INDEX, INDEX, True)


def test_without_the_sure_dots_it_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        dotmatrix, "sure_dots_decide", lambda cells, *_, **__: np.zeros(len(cells), dtype=bool)
    )
    assert held_out_verdict(PHOTO, "x11_5x7") == (ScreenKind.INJECTION_INDEX, INDEX, False)
