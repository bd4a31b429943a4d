"""Two digit cells whose ink moved (a dot clearly lit in one and clearly dark in the
other, and another the other way round) are two designs for the panel's own evidence
too (:func:`linkytool.ocr.dotmatrix.one_design_pairs`: ``vouched_digits`` and
``ruled_out``), not only for :func:`~linkytool.ocr.dotmatrix.drawn_two_ways`. ocr48b,
stop 48: HD44780 draws its slashed 0 six dots from its 8, the design gap's cap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, voting
from linkytool.ocr.dotmatrix import DIGITS, cell_distances, design_gap, one_design_pairs
from linkytool.ocr.font5x7 import glyph_bits
from linkytool.ocr.screenkind import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import bench_photo, held_out_verdict, wide_photo


def _glyph(char: str) -> np.ndarray:
    """HD44780's ``char`` as 35 dots."""
    return glyph_bits(char, "hd44780")[:7].astype(np.float64).ravel()


def _nearest(*digits: str) -> np.ndarray:
    return np.array([DIGITS.index(d) for d in digits], dtype=np.intp)


def test_a_slashed_0_within_the_gap_of_an_8_is_another_design() -> None:
    """The slash's two dots half-lit (small dots sampled off their centres): the 0 lies
    5 dots from the 8, under the design gap (6), yet the 0's outer dots of its middle
    row are lit where the 8's are dark and the 8's waist the other way round."""
    zero = _glyph("0")
    zero[[13, 21]] = 0.5  # the slash's dots beside the middle one
    faded = zero.copy()
    faded[[1, 2, 3, 31, 32, 33]] = 0.5  # its top and bottom rows half-lit: the noise
    cells = np.stack([zero, faded, _glyph("8")])
    nearest = _nearest("0", "0", "8")
    assert cell_distances(cells)[0, 2] < design_gap(cells, nearest)
    pairs = one_design_pairs(cells, nearest)
    assert pairs[0, 1] and not pairs[0, 2] and not pairs[1, 2]


def test_one_design_dimmed_stays_one_design() -> None:
    """A shade dims a cell one way: two 3s, one with three dots half-lit, are one
    design (no ink moved both ways)."""
    three = _glyph("3")
    dimmed = three.copy()
    dimmed[[0, 7, 12]] = 0.5
    cells = np.stack([three, dimmed])
    assert one_design_pairs(cells, _nearest("3", "3")).all()


def test_a_wide_index_of_slashed_0s_beside_an_8_is_read_sure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench/ocr_accuracy.py --geometry wide --level normal --seed 88001`` (the lead's
    stop 47 report seed, ocr48b's tuning data), HD44780 held out, photo 47: `000787 kWh`
    on a panel of dots 0.66 of the pitch. Its three slashed 0s (1.7-3.2 dots apart, no
    template of them) lie 5.8-7.5 dots from the 8, under the gap: with distances alone
    the 0s and the 8 were one design read as two digits, no 0 was vouched for and the
    index stayed to confirm (unfamiliar digits); their ink moved, so it reads sure."""
    path, truth = wide_photo(tmp_path, "normal", 47, 88001, "hd44780")
    assert truth == "787"
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, True)

    def by_distance(cells: np.ndarray, nearest: np.ndarray) -> np.ndarray:
        out: np.ndarray = cell_distances(cells) <= design_gap(cells, nearest)
        return out

    monkeypatch.setattr(dotmatrix, "one_design_pairs", by_distance)
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, False)


@pytest.mark.usefixtures("nine_pitch_background")
def test_five_alike_slashed_zeros_part_from_the_8_by_their_ink_at_the_capped_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leave-one-font-out seed 12421, HD44780 held out, normal photo 80, `000008 kWh`:
    the 5 px window's slashed 0s lie 5.9 dots from the 8, under ``unlike_distance``.
    ``test_five_alike_slashed_zeros_are_vouched_for_at_the_panels_own_gap`` frees it by
    the panel's own gap; with the gap held at ``unlike_distance`` (and the 5 px window's
    doubt counted, as there), their ink moved frees it alone."""
    monkeypatch.setattr(dotmatrix, "design_gap", lambda *_: SETTINGS.unlike_distance)
    monkeypatch.setattr(
        voting, "_repairs", lambda variants: frozenset().union(*(v.repairs for v in variants))
    )
    path, truth = bench_photo(tmp_path, "hd44780", "normal", 80, 12421)
    assert truth == "8"
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, truth, True)
