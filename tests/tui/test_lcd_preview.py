"""The LCD preview: one LCD dot per braille dot, digits readable, unsure cells marked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.tui.widgets.lcd_preview import (
    CELLS_H,
    CELLS_W,
    CHAR_H,
    CHAR_PITCH,
    CHAR_W,
    LINE_PITCH,
    MARGIN_X,
    MARGIN_Y,
    UNSURE_STYLE,
    LcdView,
    braille_text,
    display_digits,
    lcd_view,
    unsure_cells,
)

from .conftest import SAMPLES, CachedPhotoReader


def glyph(view: LcdView, line: int, column: int) -> np.ndarray:
    top, left = MARGIN_Y + line * LINE_PITCH, MARGIN_X + column * CHAR_PITCH
    return view.dots[top : top + CHAR_H, left : left + CHAR_W]


@pytest.mark.parametrize("name", ["demo-prm.jpg", "demo-date.jpg", "demo-index.jpg"])
def test_demo_photos_draw_one_glyph_per_character(
    name: str, photo_reader: CachedPhotoReader
) -> None:
    reading = photo_reader(SAMPLES / "photos" / name)
    view = lcd_view(reading)
    assert view is not None
    text = braille_text(view).plain.split("\n")
    assert len(text) == CELLS_H and all(len(row) == CELLS_W for row in text)
    # the same character drawn twice on the LCD gives the same dots; different ones differ
    value_line = reading.lines[1]
    seen: dict[str, np.ndarray] = {}
    for column, char in enumerate(value_line):
        if not char.isdigit():
            continue
        dots = glyph(view, 1, column)
        assert dots.sum() >= 5, f"{char} at {column} drew almost nothing"
        for other, other_dots in seen.items():
            same = int((dots == other_dots).sum())
            if other == char:
                assert same >= 33, f"two {char} differ"  # 35 dots, a little noise
            else:
                assert same < 35, f"{char} and {other} look alike"
        seen.setdefault(char, dots)
    # blank cells stay blank
    for column, char in enumerate(value_line):
        if char == " ":
            assert glyph(view, 1, column).sum() == 0


def test_unsure_digits_are_the_ones_alternatives_change() -> None:
    lines = ("INDEX INJECTION ", "000012 kWh      ")
    assert unsure_cells(lines, "12", ("13", "17")) == {(1, 5)}
    assert unsure_cells(lines, "12", ("112",)) == {(1, 3)}
    date = (" DATE COURANTE  ", "20/11/2026 14:32")
    assert unsure_cells(date, "2026-11-20T14:32", ("2026-11-20T14:38",)) == {(1, 15)}
    assert unsure_cells(lines, "12", ()) == frozenset()


def test_unsure_cells_are_highlighted(photo_reader: CachedPhotoReader) -> None:
    import dataclasses

    reading = photo_reader(SAMPLES / "photos" / "demo-index.jpg")
    unsure = dataclasses.replace(reading, confident=False, candidates=("13",))
    view = lcd_view(unsure)
    assert view is not None and view.unsure == {(1, 5)}
    styled = [span for span in braille_text(view).spans if span.style == UNSURE_STYLE]
    assert len(styled) == 3 * 2  # the 5-dot-wide glyph spans 3 braille columns, 2 rows


def test_dates_are_compared_in_the_order_the_lcd_shows_them() -> None:
    assert display_digits("2026-11-20T14:32") == "201120261432"
    assert display_digits("2026-11-20") == "20112026"
    assert display_digits("30002345678901") == "30002345678901"


def test_no_panel_no_preview(tmp_path: Path) -> None:
    from linkytool.ocr import PhotoReading, ScreenKind

    assert lcd_view(PhotoReading(path=tmp_path / "x.jpg", screen=ScreenKind.NOT_LINKY)) is None
