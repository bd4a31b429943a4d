"""Which glyph sets the cell classifier is built from (the leave-one-font-out hook)."""

from __future__ import annotations

import numpy as np
import pytest

from linkytool.ocr.dotmatrix import classify, template_fonts, templates, use_template_fonts
from linkytool.ocr.font5x7 import FONTS, ROWS, glyph_bits
from linkytool.ocr.settings import SETTINGS


def _cells(text: str, font: str) -> np.ndarray:
    return np.stack([glyph_bits(c, font)[:ROWS].astype(np.float64).reshape(-1) for c in text])


SHIPPED = SETTINGS.fonts if SETTINGS.fonts is not None else tuple(FONTS)


def test_the_reader_uses_the_settings_glyph_sets_and_a_block_can_leave_one_out() -> None:
    assert template_fonts() == SHIPPED
    assert {"hd44780", "x11_5x7", "x11_5x8"} <= set(SHIPPED)
    x11_zero = _cells("0", "x11_5x7")[0]
    assert any((v == x11_zero).all() for v in templates().vectors)
    with use_template_fonts(("hd44780", "alt")):
        assert template_fonts() == ("hd44780", "alt")
        assert not any((v == x11_zero).all() for v in templates().vectors)
    with use_template_fonts(("hd44780", "x11_5x7")):
        assert template_fonts() == ("hd44780", "x11_5x7")
        assert any((v == x11_zero).all() for v in templates().vectors)
        assert [r.char for r in classify(_cells("0123", "x11_5x7"))] == list("0123")
    assert template_fonts() == SHIPPED


def test_a_5x8_font_is_templated_on_the_7_rows_a_cell_is_sampled_on() -> None:
    with use_template_fonts(("x11_5x8",)):
        table = templates()
    assert table.vectors.shape[1] == 35
    assert set(table.chars) == set(FONTS["x11_5x8"])
    # an X11 5x8 glyph leaves its top and underline rows unlit: the cell's 7 rows may
    # be either window of the 8
    eight = glyph_bits("8", "x11_5x8").astype(np.float64)
    for window in (eight[:ROWS], eight[1:]):
        assert any((v == window.reshape(-1)).all() for v in table.vectors)


def test_unknown_or_no_glyph_sets_are_refused() -> None:
    with pytest.raises(ValueError, match="glyph sets"), use_template_fonts(("comic",)):
        pass
    with pytest.raises(ValueError, match="glyph sets"), use_template_fonts(()):
        pass
    assert template_fonts() == SHIPPED
