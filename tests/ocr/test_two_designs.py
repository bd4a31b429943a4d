"""One ROM draws a digit one way: two cells of a value read as one digit but drawn more
than ``Settings.unlike_distance`` apart hold the value to confirm
(:func:`linkytool.ocr.dotmatrix.drawn_two_ways`); so does a digit whose nearest differs
between the glyph sets the panel was matched to and every set (``valuecells.
_nearest_elsewhere``). Lead, stop 46: the two confident-wrong readings of the stop's
held-out sets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, valuecells, voting
from linkytool.ocr.dotmatrix import drawn_two_ways, ink_moved
from linkytool.ocr.font5x7 import glyph_bits
from linkytool.ocr.screenkind import ScreenKind

from .conftest import bench_photo, drawn_cell, read_held_out, wide_photo


def _glyph(font: str, char: str) -> np.ndarray:
    """``char`` of ``font`` as 35 dots (its first seven rows)."""
    return glyph_bits(char, font)[:7].astype(np.float64).ravel()


def test_one_design_twice_is_one_design() -> None:
    three = _glyph("hd44780", "3")
    blurred = three.copy()
    blurred[[0, 7, 12]] = 0.5  # three dots half-lit: noise, not another design
    assert not drawn_two_ways(np.stack([three, blurred]), "33")


def test_one_design_a_row_apart_is_one_design() -> None:
    """A wide panel's two lines can be sampled a row apart within their cells (held-out
    seed 87901, X11 wide normal photo 26: the date's 1s 8 dots apart as sampled): a
    drawing moved by a dot is the same drawing."""
    one = glyph_bits("1", "x11_5x8")  # 8 rows: blank top row, then the 1
    high, low = one[1:8].astype(np.float64).ravel(), one[:7].astype(np.float64).ravel()
    assert np.abs(high - low).sum() > 6  # as sampled, over the line
    assert not drawn_two_ways(np.stack([high, low]), "11")


def test_two_designs_of_one_digit_are_doubted() -> None:
    """HD44780's 3 (flat top) and the alternative ROM's (round top), 7 dots apart."""
    cells = np.stack([_glyph("hd44780", "3"), _glyph("alt", "3")])
    assert drawn_two_ways(cells, "33")
    assert not drawn_two_ways(cells, "38")  # read as two digits: nothing to doubt


def test_two_digits_two_dots_crisply_apart_are_two_designs() -> None:
    """X11's 5 and the variant ROM's 3 (its middle row's left dot lit) differ by two
    dots, far within ``unlike_distance``: the 5's top-left dot dark in the 3, the 3's
    top-right dot dark in the 5. Read as one digit, they are two designs."""
    five = _glyph("x11_5x7", "5")
    three = _glyph("x11_5x7", "3")
    three[10] = 1.0  # the variant ROM's 3: row 2, column 0 lit
    cells = np.stack([five, three])
    assert np.abs(five - three).sum() == 2
    assert ink_moved(cells)[0, 1] == 1
    assert drawn_two_ways(cells, "55")
    assert not drawn_two_ways(cells, "53")


def test_one_design_greyed_or_shaded_is_one_design() -> None:
    """Blur greys dots and a shade dims part of a cell, one way: one design with its
    bottom rows dark (three lit dots gone) and a dark dot half-lit is one design
    (lead's camera normal seed 85731, alt photo 16: a 5 with its bottom faded beside
    a sharp one)."""
    five = _glyph("x11_5x7", "5")
    shaded = five.copy()
    shaded[[20, 26, 27]] = [0.1, 0.15, 0.0]  # the bottom's lit dots dark
    shaded[6] = 0.6  # a dark dot half-lit
    cells = np.stack([five, shaded])
    assert ink_moved(cells)[0, 1] == 0
    assert not drawn_two_ways(cells, "55")


def test_a_lone_cell_has_no_twin() -> None:
    cell = drawn_cell(("####.", "..#..", ".##..", "...#.", "#..#.", ".##..", "....."))
    assert not drawn_two_ways(cell.reshape(1, 35), "3")


def _held_and_wrong_without(
    photo: Path,
    font: str,
    *,
    kind: ScreenKind,
    read_as: str,
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    rule: str,
    off: Callable[..., object],
) -> None:
    """``photo`` (``font`` held out) reads ``read_as`` (a wrong value) to confirm, and
    confidently with ``module.rule`` replaced by ``off``: the confident-wrong it stops."""
    reading = read_held_out(photo, font)
    assert (reading.screen, reading.value, reading.confident) == (kind, read_as, False)
    monkeypatch.setattr(module, rule, off)
    assert read_held_out(photo, font).confident


def test_a_dead_dot_eight_read_as_another_sets_three_is_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ocr46a's held-out seed 149702, X11 5x8 wide hard photo 20, X11 5x8 held out: a
    variant ROM's 8 with its lower loop's left dot dead is one dot from Spleen's 3, and
    was read so with a margin of 2.5 dots beside the time's X11 3, 6.5 dots from it:
    ``24/08/2027 13:45`` read ``24/03/2027 13:45`` confidently. Two designs of one digit
    hold it to confirm (the value stays the nearest reading)."""
    photo, truth = wide_photo(tmp_path, "hard", 20, 149702, "x11_5x8")
    assert truth == "2027-08-24T13:45"
    _held_and_wrong_without(
        photo,
        "x11_5x8",
        kind=ScreenKind.DATE,
        read_as="2027-03-24T13:45",
        monkeypatch=monkeypatch,
        module=voting,
        rule="drawn_two_ways",
        off=lambda cells, digits: False,
    )


def test_a_digit_nearest_another_digit_in_a_set_left_out_is_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lead's sweep seed 85742, tailed hard photo 46 (tailed held out, a variant ROM):
    the panel is matched to glyph sets whose 5 is flat-topped, and the index's 5 (its
    top right dot dead, ``#....`` twice under it) lies 3.56 dots from their 6 but 3.45
    from a 5 of a set left out: read ``609`` for ``509`` confidently (margin 5.7). A
    digit whose nearest differs between the matched sets and every set holds the
    value (the digits' design is one the matched sets do not draw)."""
    photo, truth = bench_photo(tmp_path, "tailed", "hard", 46, seed=85742)
    assert truth == "509"
    _held_and_wrong_without(
        photo,
        "tailed",
        kind=ScreenKind.INJECTION_INDEX,
        read_as="609",
        monkeypatch=monkeypatch,
        module=valuecells,
        rule="_nearest_elsewhere",
        off=lambda cells, costs: np.zeros(len(cells), dtype=np.bool_),
    )


def test_a_three_two_dots_from_the_five_beside_it_is_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stop 46's sweep seed 87911, X11 5x7 wide hard photo 46, X11 5x7 held out: the
    variant ROM's 3 (its middle row's left dot lit) is two dots from the X11 5 beside
    it, nearer a 5 (3.9 dots) than any set's 3 (4.0); the panel vouched for it as the
    5's twin (4.4 dots apart, the design gap 6): ``153110`` read ``155110`` confidently.
    Ink moved between two cells of one digit holds it."""
    photo, truth = wide_photo(tmp_path, "hard", 46, 87911, "x11_5x7")
    assert truth == "153110"
    _held_and_wrong_without(
        photo,
        "x11_5x7",
        kind=ScreenKind.INJECTION_INDEX,
        read_as="155110",
        monkeypatch=monkeypatch,
        module=dotmatrix,
        rule="ink_moved",
        off=lambda cells: np.zeros((len(cells), len(cells)), dtype=np.int_),
    )
