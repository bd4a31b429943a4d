"""A digit's shape is no evidence on a panel drawn a dot off the templates (issue 13).

The shape rule (``structure.DIGIT_SHAPES``, see docs/ocr.md "Structural evidence") holds
for every design of ``font5x7`` and tolerates doubtful dots, but not a dot drawn
otherwise: one dot opens or closes a loop. Leave-one-font-out seed 38411, tailed hard
photo 38 (``bench/ocr_accuracy.py --font tailed --level hard --count 50 --seed 38411``):
a variant ROM (one dot flipped in half its glyphs) draws the tailed 9 with its tail one
dot longer, so it encloses two holes, an 8's shape, and lies 1 dot from the 8 template
and 2 from any 9. The shape ruled the 9 out of the margin: 10729 read 10728, confident.
The panel's own letters show the ROM is drawn a dot off (``letters_off_template``,
``panel_drawn_off``): there a digit's shape rules out only the digits no reading with
one dot switched admits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import PhotoReading, dotmatrix, read_photo, valuecells
from linkytool.ocr.dotmatrix import (
    DIGITS,
    CellRead,
    cell_windows,
    char_distances,
    letters_off_template,
    panel_drawn_off,
    template_fonts,
    use_template_fonts,
    value_margin,
)
from linkytool.ocr.font5x7 import glyph_bits
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.structure import admitted

from .conftest import bench_photo

#: The shipped templates but the tailed set (as the benchmark's tailed row).
WITHOUT_TAILED = tuple(name for name in template_fonts() if name != "tailed")
#: The variant ROM's tailed 9 of seed 38411 photo 38: its tail reaches one dot lower.
VARIANT_9 = (".###.", "#...#", "#...#", ".####", "#...#", "#...#", ".###.")


def _bits(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[c == "#" for c in row] for row in rows], dtype=np.float64).reshape(-1)


def _glyph(char: str, font: str = "hd44780") -> np.ndarray:
    return cell_windows(glyph_bits(char, font))[0].astype(np.float64).reshape(-1)


def _title(word: str, flipped: int) -> tuple[np.ndarray, list[CellRead]]:
    """Cells of ``word`` in HD44780 letters, the first ``flipped`` letters with their
    top-left dot drawn otherwise, and their readings (1 dot off when flipped)."""
    cells = np.stack([_glyph(c) for c in word])
    cells[:flipped, 0] = 1.0 - cells[:flipped, 0]
    reads = [CellRead(c, 1.0 if i < flipped else 0.0, " ", 9.0) for i, c in enumerate(word)]
    return cells, reads


def _digit_costs(cells: np.ndarray) -> np.ndarray:
    with use_template_fonts(WITHOUT_TAILED):
        chars, distances = char_distances(cells, designs=True)
    return distances[:, [chars.index(d) for d in DIGITS]]


def test_letters_drawn_a_dot_off_are_counted_blur_is_not() -> None:
    cells, reads = _title("INDEX", 2)
    with use_template_fonts(WITHOUT_TAILED):
        assert letters_off_template(cells, reads) == 2
        # one ROM draws a letter one way: the same letter twice is one piece of evidence
        twice, twice_reads = _title("IINDEX", 2)
        assert letters_off_template(twice, twice_reads) == 1
        # blur leaves dots doubtful, not wrong: every dot pulled towards 0.5
        blurred = 0.5 + (np.stack([_glyph(c) for c in "INDEX"]) - 0.5) * 0.4
        assert letters_off_template(blurred, reads) == 0
        # a letter no template set draws is no evidence either way (and no crash)
        stranger = [CellRead("é", 1.0, " ", 9.0), *reads[1:]]
        assert letters_off_template(cells, stranger) == 1


def test_a_variant_9_with_an_8_shape_keeps_the_9_as_runner_up() -> None:
    cells = np.stack([_glyph("1", "tailed"), _bits(VARIANT_9)])
    costs = _digit_costs(cells)
    assert DIGITS[int(costs[1].argmin())] == "8"  # its nearest template: the wrong digit
    assert costs[1, 9] - costs[1, 8] < SETTINGS.confident_margin
    sharp, sharp_reads = _title("INDEX", 0)
    off, off_reads = _title("INDEX", SETTINGS.shape_off_letters)
    with use_template_fonts(WITHOUT_TAILED):
        assert not panel_drawn_off(sharp, sharp_reads)
        assert panel_drawn_off(off, off_reads)
    # a cell read as an 8 keeps the 9 as its runner-up on any panel (blur_closable): its
    # second hole may be a closed tail...
    assert value_margin(cells[1:], costs[1:], sharp_reads) < SETTINGS.confident_margin
    # ...and on one whose letters are drawn a dot off (one dot switched, it is a 9's
    # shape) too
    assert value_margin(cells[1:], costs[1:], off_reads, True) < SETTINGS.confident_margin
    # a shape two dots from any 9 still rules the 9 out there: the tailed 6's one lower hole
    six = _glyph("6", "tailed")[None, :]
    assert "9" not in admitted(six[0], drawn_off=True)


def _read_tailed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: bool, index: int, seed: int
) -> tuple[PhotoReading, str]:
    """Tailed hard photo ``index`` of ``seed`` read without the tailed templates (the
    benchmark's tailed row), ``blur_closable`` switched off unless ``rule``."""
    if not rule:
        monkeypatch.setattr(
            dotmatrix, "blur_closable", lambda costs: np.zeros(len(costs), dtype=np.bool_)
        )
    path, value = bench_photo(tmp_path, "tailed", "hard", index, seed)
    with use_template_fonts(WITHOUT_TAILED):
        return read_photo(path), value


def test_a_cell_read_8_keeps_its_runner_up_under_a_title_too_short_to_judge() -> None:
    """``value_margin``'s other path (fewer title letters than ``letters_fit`` needs)
    takes the shape's rule-outs from the same place as ``panel_margins``: the two-holed
    9 read 8 keeps the 9 as runner-up there too."""
    cells = np.stack([_bits(VARIANT_9)])
    costs = _digit_costs(cells)
    with use_template_fonts(WITHOUT_TAILED):
        assert value_margin(cells, costs, []) < SETTINGS.confident_margin


@pytest.mark.parametrize("rule", [True, False])
def test_a_variant_rom_9_read_8_is_to_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: bool
) -> None:
    """Seed 38411, tailed hard photo 38: "   010729 kWh", its 9 drawn with an 8's
    holes; with the rule off (the reader before), read 10728 confidently. Since stop
    31 ``blur_closable`` protects it too: both are switched off for the reader before."""
    if not rule:
        monkeypatch.setattr(valuecells, "panel_drawn_off", lambda *args: False)
    reading, value = _read_tailed(tmp_path, monkeypatch, rule, 38, 38411)
    assert value == "10729"
    assert reading.value == "10728"  # the nearest templates' reading, offered to confirm
    assert reading.confident is not rule


@pytest.mark.parametrize("rule", [True, False])
def test_a_blurred_tailed_9_read_8_on_a_sharp_titled_panel_is_to_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: bool
) -> None:
    """Held-out seed 92731 (ocrX's), tailed hard photo 35: ``DATE / 20/12/25 13:49``; blur
    closes the tailed 9's tail into a second hole, an 8's shape, and the title letters
    fit the templates (the panel is not drawn off): the shape ruled the 9 out of the
    margin (1.78 dots) and 13:48 was read confidently. A cell read as an 8 keeps every
    runner-up (``dotmatrix.blur_closable``)."""
    reading, value = _read_tailed(tmp_path, monkeypatch, rule, 35, 92731)
    assert value == "2025-12-20T13:49"
    assert reading.value == "2025-12-20T13:48"  # the nearest templates', to confirm
    assert reading.confident is not rule
