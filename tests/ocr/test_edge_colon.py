"""A colon opening or closing a number's token separates nothing: it may be a digit
(ocrZ, :func:`linkytool.ocr.valuecells.number_cells`).

The photo is ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 105012``, photo
77, the X11 5x8 set held out, regenerated from its seed: the date ``14/03/2025`` reads
``:4/03/2025`` (the blurred X11 1, a stem and a base, read as a colon), so no date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import read_photo, valuecells
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.valuecells import number_cells

from .conftest import bench_photo, lattice_rules_off, panel_rules_off


def test_a_colon_at_a_tokens_edge_is_one_of_its_number_cells() -> None:
    assert number_cells(list(":4/03/2025"), None)[1] == [0, 1, 3, 4, *range(6, 10)]
    assert number_cells(list("12:34"), None)[1] == [0, 1, 3, 4]  # a time's colon stays
    assert number_cells(list("12:"), None)[1] == [0, 1, 2]


@pytest.mark.usefixtures("nine_pitch_background")
def test_an_x11_1_read_as_a_colon_opening_a_date_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 77, seed=105012)
    assert truth == "2025-03-14"
    # as shipped, the date is read right, to confirm (another grid, see below)
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x8")):
        shipped = read_photo(photo)
    assert (shipped.value, shipped.confident) == (truth, False)
    # ocrG's turned reads (panel.read_turned) sample this panel on the mirror of its
    # turned grid, where the 1 is no colon (``14/05/2025``), and ocr42b's lattice on
    # two blank columns between cells (``14/05/2025`` too): switched off, the panel is
    # read where the colon rule was set
    panel_rules_off(monkeypatch)
    lattice_rules_off(monkeypatch)
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x8")):
        reading = read_photo(photo)
        assert (reading.value, reading.confident) == (truth, False)
        monkeypatch.setattr(valuecells, "_EDGE_COLON_IS_A_CELL", False)
        before = read_photo(photo)
    assert before.value is None
