"""A value that may continue outside the panel image is never confident
(``GridSample.unseen``, ``candidate.touches_unseen``, ``Repair.CUT_OFF``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import reader, voting
from linkytool.ocr.candidate import REPAIR_REMARKS, Repair, touches_unseen
from linkytool.ocr.lcdgrid import GridSample, Lattice

from .conftest import read_held_out, wide_photo


def _unseen(*cells: tuple[int, int]) -> np.ndarray:
    mask = np.zeros((2, 16), dtype=bool)
    for line, column in cells:
        mask[line, column] = True
    return mask


def test_a_value_beside_an_unseen_cell_may_go_on_there() -> None:
    date = tuple((1, column) for column in (7, 8, 10, 11, 13, 14))  # 28/09/20 in 7-14
    assert touches_unseen(date, _unseen((1, 15)))  # the year may go on: 2025
    assert touches_unseen(date, _unseen((1, 6)))  # or start before
    assert touches_unseen(date, _unseen((1, 9)))  # a cell inside it
    assert not touches_unseen(date, _unseen((1, 0), (1, 3)))  # far from it
    assert not touches_unseen(date, _unseen((0, 15)))  # the other line
    assert not touches_unseen(((1, 0), (1, 15)), _unseen())  # a line's own ends: seen


def test_the_cells_whose_dots_lie_outside_the_image_are_unseen() -> None:
    """The lattice of the photo above, as measured: 16 cells of 5 dots at 6.43 px a
    pitch, two blank columns between cells, starting at -22.7 px on a 642 px image."""
    starts = -22.7 + 45.0 * np.arange(16)
    xs = (starts[:, None] + 6.43 * np.arange(5)[None, :]).ravel()
    ys = np.concatenate([39.9 + 5.44 * np.arange(7), 94.3 + 5.44 * np.arange(7)])
    lattice = Lattice(
        xs=xs,
        ys=ys,
        gap_xs=np.zeros(0),
        gap_ys=np.zeros(0),
        cell_gap=2,
        line_layout=(8, 2),
        pitch=(6.43, 5.44),
        score=0.03,
    )
    grid = GridSample(
        cells=np.zeros((2, 16, 35)),
        contrast=1.0,
        alignment=1.0,
        offset=(0.0, 0.0),
        scale=(1.0, 1.0),
        darkness=np.zeros((168, 642)),
        lattice=lattice,
    )
    expected = np.zeros((2, 16), dtype=bool)
    expected[:, [0, 15]] = True  # the first cell starts left of the image, the last ends past it
    assert (grid.unseen == expected).all()
    tall = GridSample(**{**grid.__dict__, "darkness": np.zeros((100, 700))})
    assert tall.unseen[1].all()  # the second line below the image
    assert tall.unseen[0].tolist() == [True] + [False] * 15  # the last cell inside now


@pytest.fixture
def cut_off_rule_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader as before the rule: nothing lies outside the panel image (nor, since
    stop 48, is the faint ink after the short date seen: ``voting.ink_after`` holds
    that photo too, ``test_ink_after.py``)."""
    monkeypatch.setattr(reader, "touches_unseen", lambda cells, unseen: False)
    monkeypatch.setattr(voting, "ink_after", lambda read, match: False)


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_short_date_read_on_a_lattice_past_the_panel_is_to_confirm(tmp_path: Path) -> None:
    """ocr43a's tuning seed 148002, X11 5x8 held out, wide hard photo 7: the quad found
    covers part of the panel, the lattice measured on it runs past the image on both
    sides, and the date 28/09/2025's last two digits fall beyond it; the cells read
    `28/09/20`, a real short layout of the Linky's clock. It stays the value offered (the
    reader has nothing better) but to confirm, saying why."""
    photo, truth = wide_photo(tmp_path, "hard", 7, 148002, font="x11_5x8")
    assert truth == "2025-09-28"
    reading = read_held_out(photo, "x11_5x8")
    assert reading.value == "2020-09-28"
    assert not reading.confident
    assert REPAIR_REMARKS[Repair.CUT_OFF] in reading.warnings


@pytest.mark.usefixtures("nine_pitch_background")
def test_without_the_rule_that_short_date_was_confidently_wrong(
    tmp_path: Path, cut_off_rule_off: None
) -> None:
    photo, truth = wide_photo(tmp_path, "hard", 7, 148002, font="x11_5x8")
    reading = read_held_out(photo, "x11_5x8")
    assert reading.value == "2020-09-28" != truth
    assert reading.confident
