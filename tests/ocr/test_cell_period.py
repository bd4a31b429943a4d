"""A lattice whose x pitch is searched around the cell pitch the panel's column profile
repeats at (``lcdgrid._cell_period``, ``lcdgrid._periodic_fit``) is read besides the
best x fit's (``lcdgrid.measure_lattices``): the strokes of the characters repeat from
cell to cell, and that period survives a defocus or a moiré that leaves the dot pitch
itself to the fit's guess."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import lcdgrid
from linkytool.ocr.screenkind import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import held_out_verdict, wide_photo

#: Lead's sweep seed 88121 (stop 49), ``--geometry wide --camera --level normal``, X11
#: 5x7 held out, photo 15: a clean ``DATE ET HEURE`` over ``20/02/2027`` under a finger
#: and a glare. The dots fitted 6.5 px with one blank column between cells (cells 39 px
#: apart) where the text repeats every 30 px (4.27 px, two blank columns): read upside
#: down, no Linky screen.
PHOTO = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "ocr-camera"
    / "x11_5x7-normal-wide-camera-15-88121.jpg"
)


def test_a_wide_date_is_read_on_the_pitch_its_cells_repeat_at() -> None:
    assert held_out_verdict(PHOTO, "x11_5x7") == (ScreenKind.DATE, "2027-02-20", True)


def test_without_the_cell_period_it_named_no_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lcdgrid, "SETTINGS", dataclasses.replace(SETTINGS, lattice_period_peak=2.0))
    screen, value, confident = held_out_verdict(PHOTO, "x11_5x7")
    assert (screen, value, confident) == (ScreenKind.NOT_LINKY, None, False)


def test_crisp_dots_keep_their_own_fit_over_a_multiple_of_their_pitch(tmp_path: Path) -> None:
    """Stop 49's report seed 88201 (``--geometry wide --level normal``), HD44780 held
    out, photo 8: crisp dots repeat at every multiple of their 6 px pitch, and the
    highest peak is 4 dots (24 px, 0.65), not the cell's 6 (36 px, 0.63). A first
    version that put the period's fit in place of the dots' own read the index ``159``
    as no screen, in four fonts; the period's lattice is an alternative the reader keeps
    only when it reads a value screen better, so the index reads right and sure."""
    path, truth = wide_photo(tmp_path, "normal", 8, 88201, "hd44780")
    assert truth == "159"
    assert held_out_verdict(path, "hd44780") == (ScreenKind.INJECTION_INDEX, "159", True)


def _strokes(period: float, width: int = 600, seed: int = 0) -> np.ndarray:
    """A column profile: a dark stroke pair every ``period`` px over the middle of the
    panel (cells of text), noise everywhere."""
    rng = np.random.default_rng(seed)
    x = np.arange(width, dtype=np.float64)
    profile = rng.normal(0.0, 0.002, width)
    text = (x > 100) & (x < 500)
    phase = np.mod(x, period)
    profile[text & (phase < 3)] += 0.02
    profile[text & (np.abs(phase - 0.6 * period) < 1.5)] += 0.02
    return profile


@pytest.mark.parametrize("period", [22.0, 29.9, 38.5, 45.0])
def test_the_cell_period_is_the_strokes_repeat(period: float) -> None:
    found = lcdgrid._cell_period(_strokes(period))
    assert found is not None
    assert abs(found - period) < 0.6


def test_noise_repeats_at_no_period() -> None:
    rng = np.random.default_rng(1)
    assert lcdgrid._cell_period(rng.normal(0.0, 0.01, 600)) is None
    assert lcdgrid._cell_period(np.zeros(600)) is None


@pytest.mark.parametrize(
    "period",
    [round(float(p), 1) for p in np.arange(19.0, 21.01, 0.1)]
    + [round(float(p), 1) for p in np.arange(46.0, 49.01, 0.1)],
)
def test_a_period_at_the_edge_of_the_pitches_gives_a_fit_in_range_or_none(period: float) -> None:
    """A peak whose lag a cell gap explains may be refined (parabola) to a period
    whose dot pitch lies just past :data:`lcdgrid.X_PITCHES`: no fit around it then,
    never a failure (88121 wide camera hard, X11 5x8 photos 11 and 20 raised
    ``max() arg is an empty sequence`` in a first version)."""
    fit = lcdgrid._periodic_fit(_strokes(period, width=640), 320.0)
    if fit is not None:
        gap, pitch, _, _ = fit
        assert gap in lcdgrid.CELL_GAPS
        # the fine search reaches 0.02 px past the coarse range (``_around_best``)
        assert lcdgrid.X_PITCHES[0] - 0.021 <= pitch <= lcdgrid.X_PITCHES[1] + 0.021
