"""A clean read on the standard layout is checked against the panel's own (issue 13, ocr40b).

The panel search stops at the first read clean enough (a title read on line 1, cells
near their glyphs); on a wide panel that read may sample the standard layout where the
panel's is another: line 2 a row off (a line gap of 1, 3 or 4 pitches, 5 × 8 cells), or
cells two blank columns apart sampled at the largest scale the standard search allows.
Such a read is compared with the panel's measured lattice (``panel._layout_checked``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from linkytool.ocr.lcdgrid import line_beside_rows, sample_grid, scale_at_bound
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import drawn_panel, read_held_out, wide_photo


def _rectified(geometry: LcdGeometry, lines: tuple[str, str]) -> Image.Image:
    """``lines`` drawn on an index screen of ``geometry``, placed as the reader does."""
    return drawn_panel(geometry, Screen("index", lines, None), font="alt", dot_fill=0.8)


INDEX = ("INDEX INJECTION ", "     0 kWh      ")


@pytest.mark.parametrize(
    ("geometry", "beside"),
    [
        (LcdGeometry(), False),
        (LcdGeometry(margin_x=2.8, margin_y=3.4, cell_rows=8, line_gap=4), True),
        (LcdGeometry(margin_x=3.7, margin_y=3.1, line_gap=1), True),
    ],
)
def test_a_line_a_row_off_the_standard_layout_is_seen(geometry: LcdGeometry, beside: bool) -> None:
    """The standard layout puts two blank rows between the lines: on a panel with one or
    four (wide seed 144502, normal photos 33 and 26), line 2's ink lies a row beside the
    rows sampled, though line 1 fits."""
    grid = sample_grid(_rectified(geometry, INDEX))
    assert line_beside_rows(grid) is beside


@pytest.mark.parametrize(
    ("geometry", "at_bound"),
    [
        (LcdGeometry(), False),
        (LcdGeometry(margin_x=1.5, margin_y=5.2, char_gap=2, line_gap=1), True),
    ],
)
def test_a_standard_scale_stopped_at_its_bound_is_seen(
    geometry: LcdGeometry, at_bound: bool
) -> None:
    """Cells two blank columns apart with narrow margins need an x scale past the range
    the standard layout searches: its fit stops at the bound."""
    grid = sample_grid(_rectified(geometry, ("DATE            ", "25/05/2027 12:05")))
    assert scale_at_bound(grid) is at_bound


def test_a_time_on_cells_two_columns_apart_is_not_read_confidently_wrong(tmp_path: Path) -> None:
    """Wide seed 144502, X11 5x7 held out, normal photo 7 (sharp, 5.7 px a pitch, two
    blank columns between cells, a margin of 1.5 pitches): the title ``DATE`` read
    cleanly on the standard layout at its largest x scale (1.04), which sampled the last
    cell's left dot column between dots; its 5 read 3 and its shape ruled the 5 out:
    ``25/05/2027 12:03``, sûr, on main. The panel's lattice reads it right and ranks
    better."""
    path, truth = wide_photo(tmp_path, "normal", 7, 144502, "x11_5x7")
    assert truth == "2027-05-25T12:05"
    reading = read_held_out(path, "x11_5x7")
    assert (reading.value, reading.confident) == (truth, True)


def test_an_index_a_row_below_the_standard_layout_is_read(tmp_path: Path) -> None:
    """Wide seed 144502, alternative ROM held out, normal photo 26 (5 × 8 cells, four
    blank rows between the lines): ``INDEX INJECTION`` read cleanly on the standard
    layout, line 2 a row off (``- Lh.`` for ``0 kWh``): no value on main."""
    path, truth = wide_photo(tmp_path, "normal", 26, 144502, "alt")
    assert truth == "0"
    reading = read_held_out(path, "alt")
    assert (reading.value, reading.confident) == ("0", True)
