"""The panel's own dot lattice, measured from its periodicity (issue 13).

Panels drawn by the generator with another layout than the standard 2 × 16 cells of
5 × 7 dots (margins, blank columns between cells, 5 × 8 cells, line spacing, 20 columns)
and rectified as the reader does: the lattice measured puts every dot of the 16 cells
read within a third of a pitch of where it was drawn.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr import read_photo
from linkytool.ocr.lcdgrid import (
    darkness_map,
    measure_lattice,
    sample_grid,
    sample_measured,
    turned_lattice,
)
from linkytool.ocr.rectify import BORDER, PANEL_H, PANEL_W, PX_PER_DOT
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import SAMPLES_PHOTOS, CommittedReadings, drawn_panel, wide_photo

LINES = ("NUMERO PRM", "12345678901234")


PANEL = Screen("prm", (LINES[0].ljust(16), LINES[1].center(16)), None)


def _rectified(geometry: LcdGeometry) -> Image.Image:
    """The PRM screen drawn with ``geometry`` and placed as :func:`rectify` does."""
    return drawn_panel(geometry, PANEL, font="hd44780", dot_fill=0.85)


def _truth(geometry: LcdGeometry) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Where the dots of the 16 middle cells were drawn [rectified px], and the pitches."""
    pitch_x, pitch_y, pad_x, pad_y = geometry.pads(9)
    width = 2 * pad_x + geometry.text_w * pitch_x
    height = 2 * pad_y + geometry.text_h * pitch_y
    sx, sy = PANEL_W * PX_PER_DOT / width, PANEL_H * PX_PER_DOT / height
    first = (geometry.columns - 16) // 2
    cells = range(first, first + 16)
    xs = [pad_x + (c * geometry.char_pitch + k + 0.5) * pitch_x for c in cells for k in range(5)]
    ys = [pad_y + (li * geometry.line_pitch + r + 0.5) * pitch_y for li in (0, 1) for r in range(7)]
    border = BORDER * PX_PER_DOT
    return np.array(xs) * sx + border, np.array(ys) * sy + border, pitch_x * sx, pitch_y * sy


@pytest.mark.parametrize(
    "geometry",
    [
        LcdGeometry(),
        LcdGeometry(margin_x=7.5, margin_y=2.6, char_gap=2, line_gap=2, dot_fill=0.45),
        LcdGeometry(margin_x=2.0, margin_y=1.5, columns=20, cell_rows=8, line_gap=1),
        LcdGeometry(margin_x=4.0, margin_y=5.0, columns=20, char_gap=2, line_gap=4, aspect=1.15),
    ],
)
def test_the_lattice_measured_is_the_one_drawn(geometry: LcdGeometry) -> None:
    grey = np.asarray(_rectified(geometry).convert("L"), dtype=np.float32)
    lattice = measure_lattice(darkness_map(grey))
    xs, ys, pitch_x, pitch_y = _truth(geometry)
    assert lattice.cell_gap == geometry.char_gap
    assert np.abs(lattice.xs - xs).max() < pitch_x / 3
    assert np.abs(lattice.ys - ys).max() < pitch_y / 3


@pytest.mark.parametrize(
    "geometry",
    [
        LcdGeometry(margin_x=7.5, margin_y=2.6, char_gap=2, line_gap=3, dot_fill=0.45),
        LcdGeometry(margin_x=2.0, margin_y=1.5, columns=20, cell_rows=8, line_gap=1),
    ],
)
def test_the_lattice_turned_is_the_one_drawn_on_the_panel_turned(geometry: LcdGeometry) -> None:
    """The lattice measured on a panel, turned (:func:`turned_lattice`), puts the dots of
    the panel turned 180° where they were drawn: the panel search reads the other way up
    of a measured quad there instead of measuring it again (ocr40a)."""
    image = _rectified(geometry)
    grey = np.asarray(image.rotate(180).convert("L"), dtype=np.float32)
    turned = turned_lattice(measure_lattice(darkness_map(grey)), image.size)
    xs, ys, pitch_x, pitch_y = _truth(geometry)
    assert np.abs(turned.xs - xs).max() < pitch_x / 3
    assert np.abs(turned.ys - ys).max() < pitch_y / 3


@pytest.mark.usefixtures("nine_pitch_background")
def test_the_other_way_up_of_a_measured_quad_is_read_on_its_lattice(tmp_path: Path) -> None:
    """``bench/ocr_accuracy.py --geometry wide --level hard --seed 143801`` (ocr40a's
    tuning seed), HD44780 glyphs, photo 7: 5 px a pitch, 20 columns, one blank row between
    the lines. The standard layout reads noise either way up, upside down a little closer
    to glyphs: the quad was measured on its lattice upside down only (no title word) and
    the right way up, never measured, was lost ("not a Linky screen"). Read on the lattice
    measured upside down, turned, it reads "INDEX INJECTION / 000009 kWh"."""
    path, truth = wide_photo(tmp_path, "hard", 7, 143801, "hd44780")
    assert truth == "9"
    reading = read_photo(path)
    assert (reading.value, reading.confident) == ("9", True)


@pytest.mark.parametrize(
    "geometry",
    [
        LcdGeometry(margin_y=0.8, margin_x=1.0, line_gap=2),
        LcdGeometry(margin_y=1.0, line_gap=2),
    ],
)
def test_a_margin_narrower_than_the_layout_does_not_lower_the_lattice_alignment(
    geometry: LcdGeometry,
) -> None:
    """The measured lattice's alignment counts the blanks inside the dot area only: the
    layout's margin blank two pitches below the last line lay on the bezel of a panel
    drawn with a one-pitch margin, and its darkness made a lattice that reads the panel
    right score worse than the standard grid (lead, stop 39; photo below)."""
    grid = sample_grid(_rectified(geometry))
    assert sample_measured(grid).alignment >= grid.alignment


def test_a_wide_panel_with_a_one_pitch_margin_is_read_on_its_lattice(tmp_path: Path) -> None:
    """``bench/ocr_accuracy.py --geometry wide --level normal --seed 86102`` (lead's tuning
    seed, stop 39), plain glyphs, photo 42: sharp, 11 px a pitch, a top margin of one
    pitch, two blank rows between the lines. Its lattice read "INDEX INJECTI0N /
    000000 kWh" but scored an alignment of -0.03 (a margin blank on the bezel) and lost
    to the standard grid a row off ("1ULL/ 1UJLL'1VU"): "not a Linky screen" in every
    held-out font."""
    path, truth = wide_photo(tmp_path, "normal", 42, 86102, "plain")
    assert truth == "0"
    reading = read_photo(path)
    assert (reading.value, reading.confident) == ("0", True)


@pytest.mark.parametrize(
    ("index", "value"),
    [
        # 2 blank columns between cells, 8-pitch margins: read "not a Linky" on the
        # standard layout
        (13, "429"),
        # 20 columns of 5 × 8 cells, 1 blank row between the lines
        (19, "30230682527491"),
    ],
)
def test_a_panel_of_another_layout_is_read(tmp_path: Path, index: int, value: str) -> None:
    path, truth = wide_photo(tmp_path, "normal", index, 5001)
    assert truth == value
    assert read_photo(path).value == value


def test_only_the_best_candidates_are_measured_on_their_lattice(
    committed_reading: CommittedReadings,
) -> None:
    """A hard photo tries dozens of quads, refinements and turns; measuring each one's
    lattice (~40 ms) made t17 take 6.5 s instead of 2.2 s. Only the few best by standard
    rank are measured, before the bezel guesses and at the end: at most twice the setting.
    Counted on the session's one read of t17 (``CommittedReadings``: 2.8 s of CPU, it was
    read again here; issue 14)."""
    from linkytool.ocr.settings import SETTINGS

    reading = committed_reading("t17-hard-other.jpg")
    assert reading.value is None  # another screen than the three asked for
    calls = committed_reading.lattice_calls("t17-hard-other.jpg")
    assert 1 <= calls <= 2 * SETTINGS.lattice_candidates


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_screen_off_is_not_read_as_letters_on_a_lattice_fitted_to_its_noise() -> None:
    """t19 (screen off, noise): the lattice measured on noise read it as letters closely
    enough to pass as a panel ('NN7NBB NB  B'); without a title word it names no screen.
    Read here on the 9-pitch square, not through the session's store (``CommittedReadings``
    keeps the first reading of a photo for every test: this one would have been it)."""
    reading = read_photo(SAMPLES_PHOTOS / "t19-screen-off.jpg")
    assert reading.value is None
    assert reading.lines == ()
    assert reading.warnings[0].startswith("Aucun écran Linky trouvé")
