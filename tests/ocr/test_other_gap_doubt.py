"""The other cell gap at a fit's cell pitch is read only where the gap is in doubt
(ocr51a, ``Settings.lattice_other_gap_doubt``, :func:`linkytool.ocr.lcdgrid._other_gap_in_doubt`).

The X11 designs draw their glyphs 4 dots wide, flush left, so with two blank columns
between cells the ink repeats as 4 lit and 3 blank columns: on a blurred panel that
profile fits 5-dot cells with one blank column at 7/6 of the pitch nearly as well as the
drawn cells (ocr50b: wide 151500, X11 5x8 photo 0, x scores 0.061 and 0.060). ocr50b read
the other gap on every panel measured (+14-16 % CPU, not merged); it is read now only
when its x fit scores within ``lattice_other_gap_doubt`` of the fit's, and the panel
search reads it only when no other lattice named a value screen. On the drawn
panels below: the blurred X11 5x8 panel's other gap scores 0.86 of the fit's; a crisp
HD44780 panel's 0.62 (one blank column, drawn) and is not read.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image, ImageFilter

from linkytool.ocr import lcdgrid, panel
from linkytool.ocr.lcdgrid import darkness_map, measure_lattices
from linkytool.ocr.panel import PanelRead
from linkytool.ocr.rectify import BORDER, PANEL_W, PX_PER_DOT
from linkytool.ocr.settings import SETTINGS
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import drawn_panel

SCREEN = Screen("injection_index", ("INDEX INJECTION ", "004352kWh       "), None)
#: 16 columns, 5 x 8 cells, two blank columns between cells (the drawn X11 5x8 design).
X11 = LcdGeometry(margin_x=4.5, margin_y=3.0, cell_rows=8, char_gap=2, line_gap=4)
#: 16 columns, 5 x 7 cells, one blank column (the standard HD44780 panel's gap).
HD44780 = LcdGeometry(margin_x=4.5, margin_y=3.0, cell_rows=7, char_gap=1, line_gap=4)


def _lattices(geometry: LcdGeometry, font: str, blur: float) -> list[lcdgrid.Lattice]:
    """The panel drawn, blurred ``blur`` px (0: crisp), measured."""
    image = drawn_panel(geometry, SCREEN, font=font, dot_fill=0.85)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    grey = np.asarray(image.convert("L"), np.float32)
    darkness = darkness_map(grey)
    return measure_lattices(darkness) + measure_lattices(darkness, others=True)


def _drawn_xs(geometry: LcdGeometry) -> tuple[np.ndarray, float]:
    """Where the dot columns of the 16 cells were drawn [rectified px], and the pitch."""
    pitch, _, pad, _ = geometry.pads(9)
    scale = PANEL_W * PX_PER_DOT / (2 * pad + geometry.text_w * pitch)
    xs = [pad + (c * geometry.char_pitch + k + 0.5) * pitch for c in range(16) for k in range(5)]
    return np.array(xs) * scale + BORDER * PX_PER_DOT, pitch * scale


def _doubt(monkeypatch: pytest.MonkeyPatch, doubt: float) -> None:
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(SETTINGS, lattice_other_gap_doubt=doubt)
    )


def test_a_blurred_x11_panel_gets_its_drawn_gap_among_the_lattices() -> None:
    xs, pitch = _drawn_xs(X11)
    lattices = _lattices(X11, "x11_5x8", 1.5)
    first = lattices[0]
    # the best fit: one blank column at 7/6 of the pitch, the same cell pitch
    assert first.cell_gap == 1
    assert first.pitch[0] * 6 == pytest.approx(pitch * 7, rel=0.02)
    drawn = [lat for lat in lattices if lat.cell_gap == 2]
    assert drawn
    assert drawn[0].pitch[0] == pytest.approx(pitch, rel=0.02)
    assert np.abs(drawn[0].xs - xs).max() < pitch / 3


def test_without_the_rule_no_lattice_has_the_drawn_pitch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, pitch = _drawn_xs(X11)
    _doubt(monkeypatch, 0.0)
    assert all(abs(lat.pitch[0] - pitch) > 0.02 * pitch for lat in _lattices(X11, "x11_5x8", 1.5))


def test_a_crisp_panel_is_not_read_on_the_other_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gap is not in doubt on crisp dots (the other gap scores 0.62 of the drawn
    one): the same lattices as without the rule, none with two blank columns (the cost
    ocr50b's rule added on every panel measured is not paid here)."""
    gated = _lattices(HD44780, "hd44780", 0.0)
    assert all(lat.cell_gap == 1 for lat in gated)
    _doubt(monkeypatch, 0.0)
    plain = _lattices(HD44780, "hd44780", 0.0)
    assert [(lat.cell_gap, lat.pitch) for lat in gated] == [
        (lat.cell_gap, lat.pitch) for lat in plain
    ]


def _others_asked(monkeypatch: pytest.MonkeyPatch, image: Image.Image) -> tuple[PanelRead, int]:
    """``image`` (a rectified panel) read on its measured lattices, and how many times
    the other gap's lattices were asked for."""
    asked = []
    measure = panel.measure_lattices

    def counting(darkness: np.ndarray, others: bool = False) -> list[lcdgrid.Lattice]:
        asked.append(others)
        return measure(darkness, others=others)

    monkeypatch.setattr(panel, "measure_lattices", counting)
    read = panel._measured_read(panel.read_panel(image, panel.VARIANTS[0]))
    assert read is not None
    return read, sum(asked)


def test_the_other_gap_is_read_only_when_no_lattice_names_a_value_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The blurred X11 panel's first lattices (one blank column) read no title: the
    other gap is asked for, and its read names the index screen. The crisp HD44780
    panel's first lattice reads its title: the other gap is not asked for (it is not in
    doubt there either)."""
    blurred = drawn_panel(X11, SCREEN, font="x11_5x8", dot_fill=0.85)
    read, asked = _others_asked(monkeypatch, blurred.filter(ImageFilter.GaussianBlur(1.5)))
    assert asked == 1
    assert read.names_value_screen
    assert read.grid.lattice is not None and read.grid.lattice.cell_gap == 2
    read, asked = _others_asked(
        monkeypatch, drawn_panel(HD44780, SCREEN, font="hd44780", dot_fill=0.85)
    )
    assert asked == 0
    assert read.names_value_screen
