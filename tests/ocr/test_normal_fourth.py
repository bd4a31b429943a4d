"""Normal photos, fourth pass (ocrW): a cell read as an 8 on a sharp panel keeps its two
holes as evidence; a cell's twins lend it their shape; the panel vouches for a design
by its best-drawn cell.

``dotmatrix.blur_closable`` drops the shape of every cell read as an 8 from its margin:
blur closes a tailed 9's tail, a 3's open side or a 0's middle into a second hole
(held-out seed 92731, tailed hard photo 35, pinned in ``test_shape_safety.py``). A crisp
X11 5x8 8, held out, lies 1.4-1.5 dots from a 3 or a 6 that its two holes rule out, and
right dates were held by a thin margin. Blur wide enough to close a loop leaves dots
half-lit all over the panel; a sharp panel (``panel.PanelRead.sharp``: the sharpest
sampling leaves at most ``Settings.sharp_unsure_share`` of its inked cells' dots within
``shape_uncertain_band`` of 0.5) keeps the 8's shape. The photo is ``bench/ocr_accuracy.py
--font x11_5x8 --level normal --seed 139002`` (ocrW's tuning seed), X11 5x8 held out.

The other two rules follow from "one ROM draws a character one way": the cells of a
value read as one digit within the panel's ``design_gap`` are one glyph, so a dot left
doubtful in one of them does not open its loop (``dotmatrix._twins_shape``), and noise
on one drawing of a vouched design does not make it another (``dotmatrix.design_misfits``).
Photos of ocrW's tuning seeds 139002 (alt) and 139004 (tailed), normal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, panel
from linkytool.ocr.dotmatrix import (
    DIGITS,
    CellRead,
    cell_windows,
    char_distances,
    design_misfits,
    template_fonts,
    use_template_fonts,
    value_margin,
)
from linkytool.ocr.font5x7 import glyph_bits
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.structure import unsure_share

from .conftest import bench_photo, open_sides_off, read_held_out, twins_shape_off

#: The X11 5x8 8 as the 7-row grid samples it (its loops one row shorter on top).
X11_5X8_EIGHT = (".##..", "#..#.", ".##..", "#..#.", "#..#.", ".##..", ".....")
#: That 8 as the photo's 5 px window sampled it (the 8 of 18:11, margin 1.37 to a 3).
SAMPLED_EIGHT = (
    (0.0, 0.8, 1.0, 0.0, 0.0),
    (1.0, 0.0, 0.0, 1.0, 0.0),
    (0.1, 0.8, 1.0, 0.1, 0.0),
    (0.9, 0.0, 0.1, 1.0, 0.0),
    (1.0, 0.0, 0.0, 1.0, 0.0),
    (0.0, 1.0, 1.0, 0.1, 0.0),
    (0.0, 0.1, 0.1, 0.0, 0.0),
)


def _bits(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[c == "#" for c in row] for row in rows], dtype=np.float64).reshape(-1)


def _title(word: str) -> tuple[np.ndarray, list[CellRead]]:
    cells = np.stack([cell_windows(glyph_bits(c, "hd44780"))[0].reshape(-1) for c in word])
    return cells.astype(np.float64), [CellRead(c, 0.5, " ", 9.0) for c in word]


def test_an_eights_holes_count_on_a_sharp_panel_only() -> None:
    cell = np.array(SAMPLED_EIGHT, dtype=np.float64).reshape(1, 35)
    _, title = _title("DATE")
    with use_template_fonts(tuple(n for n in template_fonts() if n != "x11_5x8")):
        chars, distances = char_distances(cell, None, designs=True)
        costs = distances[:, [chars.index(d) for d in DIGITS]]
        # the shape from the dots pooled with the sharper 3 px samplings (all sure)
        shapes = _bits(X11_5X8_EIGHT)[None, :]
        blurred = value_margin(cell, costs, title, shapes=shapes)
        sharp = value_margin(cell, costs, title, shapes=shapes, sharp=True)
    assert DIGITS[int(costs.argmin())] == "8"
    assert blurred < SETTINGS.confident_margin  # a 3 or a 6 within 1.5 dots
    assert sharp >= SETTINGS.confident_margin  # both ruled out by the two holes


def test_unsure_share_counts_half_lit_dots_of_inked_cells() -> None:
    crisp = np.stack([_bits(X11_5X8_EIGHT), np.zeros(35)])
    assert unsure_share(crisp) == 0.0  # the blank cell is left out
    blurred = crisp.copy()
    blurred[0, [0, 3, 10]] = 0.5  # blur spilling into three dark dots
    assert unsure_share(blurred) == pytest.approx(3 / 35)
    assert unsure_share(np.zeros((2, 35))) == 1.0  # nothing inked: not sharp


def _sharp_panel_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(panel, "unsure_share", lambda cells: 1.0)


def _best_drawn_cell_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dotmatrix, "design_misfits", lambda misfit, one_glyph: misfit)


def _twins_and_sides_off(monkeypatch: pytest.MonkeyPatch) -> None:
    twins_shape_off(monkeypatch)
    open_sides_off(monkeypatch)


class RulePhoto(NamedTuple):
    """A pinned photo (its font held out) and the switch that takes its rule away."""

    font: str
    index: int
    seed: int
    screen: ScreenKind
    truth: str
    switch_off: Callable[[pytest.MonkeyPatch], None]


#: Each photo is confident with its rule, to confirm without it.
RULE_PHOTOS = [
    # " DATE ET HEUPE" / "10/02/26 18:11": the 8 of 18:11 lay 1.37-1.50 dots from a 3
    # in the three samplings (a thin margin); the panel's sharpest sampling leaves 0.5 %
    # of its inked dots half-lit, so its two holes rule the 3 and the 6 out
    pytest.param(
        RulePhoto("x11_5x8", 35, 139002, ScreenKind.DATE, "2026-02-10T18:11", _sharp_panel_off),
        id="a crisp X11 5x8 eight",
    ),
    # "INDEX INJECTION" / "000408674 kWh" in the alternative ROM (held out): the middle
    # of the three leading 0s has a left dot sampled 0.5, so its own shape admits a 3,
    # 1.35 dots off (a thin margin); its twins, 0s within the panel's design gap, rule
    # the 3 out by their closed left sides. Since stop 38 its own closed left side does
    # too (a 3 is open on the left): either rule makes it confident
    pytest.param(
        RulePhoto("alt", 14, 139002, ScreenKind.INJECTION_INDEX, "408674", _twins_and_sides_off),
        id="a doubtful dot in one of three alike zeros takes its twins' shape",
    ),
    # "DATE" / "28/11/2026 10:41" in the tailed design (held out): four alike tailed
    # 1s, read 1 (runner-up 4, over 3 dots off), three of them within
    # unfamiliar_excess_cap of the title letters' fit and one 4.6 dots off: the panel
    # vouched for the three, the fourth kept the value to confirm (unfamiliar digits)
    pytest.param(
        RulePhoto("tailed", 48, 139004, ScreenKind.DATE, "2026-11-28T10:41", _best_drawn_cell_off),
        id="the panel vouches for a design by its best-drawn cell",
    ),
]  # fmt: skip


@pytest.mark.parametrize("rule", [True, False])
@pytest.mark.parametrize("case", RULE_PHOTOS)
@pytest.mark.usefixtures("nine_pitch_background")
def test_each_rule_makes_its_photo_confident(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: bool, case: RulePhoto
) -> None:
    if not rule:
        case.switch_off(monkeypatch)
    photo, value = bench_photo(tmp_path, case.font, "normal", case.index, seed=case.seed)
    assert value == case.truth
    reading = read_held_out(photo, case.font)
    assert (reading.screen, reading.value) == (case.screen, case.truth)
    assert reading.confident is rule


def test_a_design_misfit_is_its_best_drawn_cells() -> None:
    misfit = np.array([4.6, 3.9, 4.1, 2.0])
    one_glyph = np.array([[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 1]], dtype=np.bool_)
    assert design_misfits(misfit, one_glyph).tolist() == [3.9, 3.9, 3.9, 2.0]
