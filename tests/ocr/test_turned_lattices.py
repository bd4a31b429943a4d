"""A quad measured both ways up is also read each way up on the other way's lattice
(ocr49b, ``Settings.turn_measured_lattices``, :func:`linkytool.ocr.panel._on_lattice`).

The photo is ``bench/ocr_accuracy.py --font x11_5x7 --geometry wide --level normal
--seed 150501 --count 40``, photo 3 (``tests/data/ocr-wide/``), read with the X11 5x7
set held out: an ``INDEX INJECTION`` screen, ``000648561 kWh``, on a 20-column panel
with two blank columns between cells (4.3 rectified px a pitch). Measured upright, the
lattice fit one blank column at 5.0 px a pitch (the cells read as noise, rank 8.7);
measured upside down, it fit the right one (two columns, 4.27 px) and the turned X11
letters read as letters (``NOI13Z(NI XZONI``: N, O, I, X and Z turn into themselves),
rank 2.8, a PRM title spotted. Both ways were measured, so neither was read on the
other's lattice, and the upside-down read won: no value. Read upright on the turned
lattice, the panel reads its title and its index.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from linkytool.ocr import panel
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.loading import open_photo
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.screenkind import classify_title
from linkytool.ocr.settings import SETTINGS

from .conftest import held_out_verdict

PHOTO = (
    Path(__file__).resolve().parents[1] / "data" / "ocr-wide" / "x11_5x7-normal-wide-3-150501.jpg"
)


def test_a_panel_measured_both_ways_up_is_read_upright_on_the_turned_lattice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert held_out_verdict(PHOTO, "x11_5x7") == (ScreenKind.INJECTION_INDEX, "648561", True)
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x7")):
        monkeypatch.setattr(
            panel, "SETTINGS", dataclasses.replace(SETTINGS, turn_measured_lattices=False)
        )
        before = panel.find_panel(open_photo(PHOTO).image)
    assert before is not None
    assert classify_title(before.first.text[0]) is None  # read upside down: no title
    assert "XZONI" in before.first.text[1]
