"""Normal photos of every held-out font, third pass (ocrT): the glyph sets a panel keeps.

The photos are ``bench/ocr_accuracy.py --font tailed --level normal --seed 137001``
(ocrT's tuning seed), the tailed set held out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix
from linkytool.ocr.dotmatrix import DIGITS, char_distances
from linkytool.ocr.font5x7 import FONTS
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo, held_out_verdict

SEED = 137001


@pytest.mark.parametrize(("index", "value", "kept_alone"), [(12, "6", "8"), (45, "846", "848")])
def test_a_six_only_a_left_out_set_reads_keeps_every_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int, value: str, kept_alone: str
) -> None:
    # the tailed 6 (".###." over "#...#") is 1 dot from the alternative ROM's 6 and 2
    # from HD44780's 8; the panel's other glyphs are HD44780's, so the font detection
    # kept HD44780 alone (the 6 fits it 0.6-1.0 dot worse, under FONT_CELL_SLACK) and
    # read 8. Its shape is a 6's and no 8's.
    photo, truth = bench_photo(tmp_path, "tailed", "normal", index, seed=SEED)
    assert truth == value
    assert held_out_verdict(photo, "tailed") == (ScreenKind.INJECTION_INDEX, value, True)
    monkeypatch.setattr(dotmatrix, "_shape_needs_left_out", lambda cells, read, kept: False)
    assert held_out_verdict(photo, "tailed") == (ScreenKind.INJECTION_INDEX, kept_alone, False)


def _glyph_windows(font: str, digit: str) -> list[np.ndarray]:
    glyph = FONTS[font][digit]
    windows = [glyph[:7]] if len(glyph) == 7 else [glyph[:7], glyph[1:8]]
    return [
        np.array([[c == "#" for c in row] for row in w], dtype=float).reshape(35) for w in windows
    ]


@pytest.mark.parametrize("font", ["hd44780", "alt", "x11_5x7", "x11_5x8"])
def test_a_template_sets_digit_a_dot_off_keeps_its_set(font: str) -> None:
    # a panel drawn in a set the templates hold, one dot of a digit dead or stray: no
    # other set reads it as the one digit its shape is, nearer than its own set
    names = ("hd44780", "alt", "x11_5x7", "x11_5x8", "spleen_5x8")
    for digit in DIGITS:
        for base in _glyph_windows(font, digit):
            for switched in (-1, *range(35)):
                cell = base.copy()
                if switched >= 0:
                    cell[switched] = 1.0 - cell[switched]
                read = {name: char_distances(cell[None], name, designs=True) for name in names}
                assert not dotmatrix._shape_needs_left_out(cell[None], read, (font,)), (
                    digit,
                    switched,
                )
