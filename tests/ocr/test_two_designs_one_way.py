"""Two cells of a value read as one digit whose crisp change is split by ink they share
are two designs, even when the change is all one way (:func:`linkytool.ocr.dotmatrix.
split_change` in :func:`~linkytool.ocr.dotmatrix.drawn_two_ways`, ``Settings.
unlike_split_change``, stop 52).

Stop 52's report seed 88231 (``bench/ocr_accuracy.py --geometry wide --level hard
--count 20 --seed 88231``), X11 5x8 held out, photo 6: a variant ROM's 5 drawn with
its lower loop closed (the dot left of its bowl lit) lay 2.65 dots from the panel's own
hooked 6, its shape ruling the 5 out (it encloses a hole), and no ink moved both ways
(the 5's flat top adds its two end dots to the 6, nothing the other way): the PRM
``33189899364054`` was read ``33189899364064`` confidently. A shade dims a cell one way
too, but over an area (lead's camera normal seed 85731, alt photo 16: a 5's bottom
faded, ``test_two_designs.py``); the 5's top changed at both ends and not between.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.candidate import REPAIR_REMARKS, Repair
from linkytool.ocr.dotmatrix import drawn_two_ways, ink_moved, moved_distances, split_change
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import read_held_out

#: The photo's two cells read 6, as the 3 px window sampled them [0..1 ink]: the
#: panel's hooked 6 (line 1, column 9) and the closed 5 (column 12).
HOOKED_6 = np.array(
    [
        [0.0, 0.03, 0.01, 0.0, 0.02],
        [0.04, 1.0, 1.0, 0.0, 0.0],
        [0.86, 0.0, 0.04, 0.03, 0.0],
        [1.0, 1.0, 1.0, 0.05, 0.0],
        [0.9, 0.0, 0.0, 1.0, 0.0],
        [0.95, 0.0, 0.0, 1.0, 0.02],
        [0.04, 1.0, 0.97, 0.05, 0.0],
    ]
).ravel()
CLOSED_5 = np.array(
    [
        [0.0, 0.0, 0.05, 0.0, 0.0],
        [1.0, 1.0, 1.0, 0.92, 0.02],
        [0.88, 0.0, 0.01, 0.0, 0.0],
        [1.0, 1.0, 1.0, 0.0, 0.01],
        [1.0, 0.0, 0.0, 0.91, 0.0],
        [1.0, 0.05, 0.03, 0.9, 0.0],
        [0.05, 1.0, 0.96, 0.0, 0.0],
    ]
).ravel()

PHOTO = Path(__file__).resolve().parents[1] / "data" / "ocr-wide" / "x11_5x8-hard-wide-6-88231.jpg"


def _split_rule_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        dotmatrix, "SETTINGS", dataclasses.replace(SETTINGS, unlike_split_change=False)
    )


def test_a_closed_5_beside_the_panels_hooked_6_is_another_design(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Near (2.65 dots) and no ink moved both ways: only the change split by the top
    row's shared middle tells the designs apart."""
    cells = np.stack([HOOKED_6, CLOSED_5])
    assert moved_distances(cells)[0, 1] < SETTINGS.unlike_distance
    assert ink_moved(cells)[0, 1] == 0
    assert split_change(cells)[0, 1]
    assert drawn_two_ways(cells, "66")
    _split_rule_off(monkeypatch)
    assert not drawn_two_ways(cells, "66")


def test_a_shaded_area_or_half_lit_dots_stay_one_design() -> None:
    """A shade over a cell's corner (two neighbouring dots of the 6's bottom loop gone
    dark, crisp), or two dots apart left half-lit, is no other design."""
    corner = HOOKED_6.copy()
    corner[[25, 31]] = 0.05  # the bottom loop's left side and the bottom's left dot
    half = HOOKED_6.copy()
    half[[5, 8]] = 0.5  # the closed 5's two top dots, only half-lit
    for other in (corner, half):
        cells = np.stack([HOOKED_6, other])
        assert not split_change(cells)[0, 1]
        assert not drawn_two_ways(cells, "66")


def test_the_wide_prm_with_a_closed_5_is_to_confirm() -> None:
    """The photo read as the benchmark reads it (X11 5x8 held out): the 5 still reads
    6, and the value asks to be checked for its two designs."""
    reading = read_held_out(PHOTO, "x11_5x8")
    assert (reading.screen, reading.value, reading.confident) == (
        ScreenKind.PRM,
        "33189899364064",
        False,
    )
    assert REPAIR_REMARKS[Repair.TWO_DESIGNS] in reading.warnings
