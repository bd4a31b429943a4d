"""A measured lattice with two blank columns between cells is also read one dot column
left and right (ocr49b, ``Settings.lattice_column_shift``,
:func:`linkytool.ocr.lcdgrid.shifted_lattices`).

The photo is ``bench/ocr_accuracy.py --font x11_5x8 --geometry wide --level normal
--seed 150501 --count 40``, photo 35 (``tests/data/ocr-wide/``), read with the X11 5x8
set held out: an ``INDEX INJECTION`` screen, ``065937kWh`` right-aligned, on 5 × 8 cells
parted by two blank columns. X11 glyphs are 4 dots wide, flush left: three blank
columns lie between two glyphs and the lattice fit put every cell one column right.
The digits still read (a whole glyph one dot off costs ``Settings.shift_cost``), the
unit read ``,Q6`` and the panel turned 180°, whose cells then sat flush, ranked better:
``WMHL26990`` / ``NOI13Z(NI XZONI``, no value. Read a column left, the panel reads its
title and index.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import panel
from linkytool.ocr.lcdgrid import Lattice, shifted_lattices
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import held_out_verdict, read_held_out

PHOTO = (
    Path(__file__).resolve().parents[1] / "data" / "ocr-wide" / "x11_5x8-normal-wide-35-150501.jpg"
)


def _lattice(cell_gap: int) -> Lattice:
    xs = np.arange(5, dtype=np.float64) * 4.0 + 10.0
    ys = np.arange(14, dtype=np.float64) * 4.0 + 10.0
    gaps = np.array([30.0, 34.0])
    return Lattice(xs, ys, gaps, gaps, cell_gap, (7, 2), (4.0, 4.0), 0.1)


def _cells(lit_columns: slice) -> np.ndarray:
    glyph = np.zeros((7, 5))
    glyph[1:6, lit_columns] = 1.0
    cells = np.zeros((2, 16, 7, 5))
    cells[1, 3:9] = glyph
    return cells.reshape(2, 16, 35)


def test_a_lattice_moves_towards_the_columns_its_cells_leave_out() -> None:
    flush_right, flush_left, narrow = _cells(slice(1, 5)), _cells(slice(0, 3)), _cells(slice(0, 4))
    assert shifted_lattices(_lattice(1), flush_right) == []  # one blank column: no doubt
    (right,) = shifted_lattices(_lattice(2), flush_right)
    assert np.allclose(right.xs, _lattice(2).xs + 4.0)
    assert np.allclose(right.gap_xs, _lattice(2).gap_xs + 4.0)
    assert np.array_equal(right.ys, _lattice(2).ys)
    (left,) = shifted_lattices(_lattice(2), flush_left)
    assert np.allclose(left.xs, _lattice(2).xs - 4.0)
    assert shifted_lattices(_lattice(2), narrow) == []  # a 4-dot glyph flush left: in place
    assert shifted_lattices(_lattice(2), np.zeros((2, 16, 35))) == []


def test_a_lattice_a_column_off_is_read_a_column_left(monkeypatch: pytest.MonkeyPatch) -> None:
    assert held_out_verdict(PHOTO, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "65937", True)
    monkeypatch.setattr(
        panel, "SETTINGS", dataclasses.replace(SETTINGS, lattice_column_shift=False)
    )
    assert read_held_out(PHOTO, "x11_5x8").value is None
