"""A digit drawn as a template is no glyph drawn a dot off (issue 13, ocr42a).

On a panel whose title letters are drawn a dot off every template
(``dotmatrix.panel_drawn_off``) a digit's shape rules out only what no reading with one
dot switched admits: the ROM may draw its digits a dot off too (a variant ROM's 9 with
two holes, stop 41's 6 whose waist one dot breaks). With X11 held out, every panel is
judged so (its N and R are a dot off every template), and its 8s, drawn exactly as the
templates' X11 8, lost the broken waist that rules out their 6 (two dots apart). Since
ocr42a the doubt is each cell's: a cell whose sure dots contradict no template of its
nearest digit (``dotmatrix.drawn_as_templates``) has its shape read as drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.dotmatrix import DIGITS, char_distances
from linkytool.ocr.font5x7 import FONTS
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo, drawn_cell, held_out_verdict

SIX = DIGITS.index("6")
EIGHT = DIGITS.index("8")


def _costs(cells: np.ndarray) -> np.ndarray:
    chars, distances = char_distances(cells, designs=True)
    out: np.ndarray = distances[:, [chars.index(digit) for digit in DIGITS]]
    return out


def _excluded_on_a_panel_drawn_off(cell: np.ndarray) -> np.ndarray:
    cells = cell.reshape(1, -1)
    costs = _costs(cells)
    assert np.argmin(costs[0]) == EIGHT
    out: np.ndarray = dotmatrix._shape_excluded(cells, costs, True, None)[0]
    return out


def _x11_eight(uncertain: tuple[int, int] | None = None) -> np.ndarray:
    cell = drawn_cell(FONTS["x11_5x7"]["8"])
    if uncertain is not None:
        cell[uncertain] = 0.5
    return cell


def test_an_eight_drawn_as_a_template_keeps_its_broken_waist_on_a_panel_drawn_off() -> None:
    # X11's 8 (its waist surely dark on the left), blur leaving its lower right dot
    # uncertain: read as an 8 on a blurred panel only a broken spine speaks, and a cell
    # no sure dot shows drawn otherwise than the templates is read as drawn
    eight = _x11_eight((4, 3))
    assert dotmatrix.drawn_as_templates(eight.reshape(1, -1), _costs(eight.reshape(1, -1)))[0]
    assert _excluded_on_a_panel_drawn_off(eight)[SIX]


def test_stop_41s_variant_six_drawn_off_every_eight_rules_nothing_out() -> None:
    # stop 41's report seed 84731, tailed hard photo 33: a variant ROM's 6 drawn as an 8
    # open at its top right, its waist broken by the switched dot. Its top right, surely
    # dark, contradicts every template 8: the one-dot doubt stands
    six = drawn_cell((".###.", "#...#", "#....", ".###.", "#...?", "#...#", ".###."))
    assert not dotmatrix.drawn_as_templates(six.reshape(1, -1), _costs(six.reshape(1, -1)))[0]
    assert not _excluded_on_a_panel_drawn_off(six).any()


def test_an_x11_eight_on_a_held_out_x11_panel_is_sure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ocr42a's tuning seed 146601, X11 5x7 held out, hard photo 47: the PRM's 8s, 1.2-1.3
    # dots from a 6, drawn as the templates' X11 8 with the waist surely dark; the panel
    # is judged drawn off by its N and R. Sure with the cell's own doubt, to confirm
    # when every cell of a panel drawn off is doubted (main before ocr42a)
    photo, truth = bench_photo(tmp_path, "x11_5x7", "hard", 47, seed=146601)
    assert truth == "34396879213948"
    assert held_out_verdict(photo, "x11_5x7") == (ScreenKind.PRM, truth, True)
    monkeypatch.setattr(
        dotmatrix,
        "drawn_as_templates",
        lambda cells, digit_costs: np.zeros(len(cells), dtype=bool),
    )
    assert held_out_verdict(photo, "x11_5x7") == (ScreenKind.PRM, truth, False)
