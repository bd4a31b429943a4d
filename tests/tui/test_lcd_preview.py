"""The LCD preview: one LCD dot per braille dot, digits readable, unsure cells marked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from linkytool.ocr.lcd_layout import (
    CHAR_H,
    CHAR_PITCH,
    CHAR_W,
    LINE_PITCH,
    MARGIN_X,
    MARGIN_Y,
    PANEL_H,
    PANEL_W,
)
from linkytool.tui.lcd_dots import (
    LcdView,
    braille_picture,
    display_digits,
    draw,
    lcd_view,
    picture_of,
    remember,
    unsure_cells,
)
from linkytool.tui.widgets.lcd_preview import UNSURE_STYLE, braille_text

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
    text = braille_text(braille_picture(view)).plain.split("\n")
    assert len(text) == (PANEL_H + 3) // 4 and all(len(row) == (PANEL_W + 1) // 2 for row in text)
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
    styled = [
        span for span in braille_text(braille_picture(view)).spans if span.style == UNSURE_STYLE
    ]
    assert len(styled) == 3 * 2  # the 5-dot-wide glyph spans 3 braille columns, 2 rows


def test_dates_are_compared_in_the_order_the_lcd_shows_them() -> None:
    assert display_digits("2026-11-20T14:32") == "201120261432"
    assert display_digits("2026-11-20") == "20112026"
    assert display_digits("30002345678901") == "30002345678901"


def test_no_panel_no_preview(tmp_path: Path) -> None:
    from linkytool.ocr import PhotoReading, ScreenKind

    assert lcd_view(PhotoReading(path=tmp_path / "x.jpg", screen=ScreenKind.NOT_LINKY)) is None


def test_the_picture_drawn_by_the_worker_is_the_one_shown(
    photo_reader: CachedPhotoReader,
) -> None:
    """The photo worker draws the picture and the UI finds it by the crop: the same
    picture as drawn on the spot, and the UI's thread samples nothing."""
    import dataclasses

    reading = photo_reader(SAMPLES / "photos" / "demo-prm.jpg")
    picture = draw(reading)
    assert picture is not None
    assert "".join(picture.rows).strip("\u2800")  # some dots lit
    # a crop the UI never sampled: the remembered picture is what it shows
    other = dataclasses.replace(reading, crop=reading.crop + b"\0")  # type: ignore[operator]
    marker = dataclasses.replace(picture, rows=("marker",))
    remember(other.crop, marker)  # type: ignore[arg-type]
    assert picture_of(other) == marker
    assert picture_of(reading) == picture


def test_the_photos_screen_loads_neither_numpy_nor_the_ocr() -> None:
    """F3 pressed at start-up: the Photos screen's import must not load numpy and the
    OCR (~0.35 s on the UI's thread while the photos are being read elsewhere)."""
    import subprocess
    import sys

    code = (
        "import sys; import linkytool.tui.app, linkytool.tui.screens.photos;"
        "print(sorted(m for m in ('numpy', 'PIL', 'linkytool.ocr') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_the_confirmation_notice_stays_right_of_the_lcd_previews_at_80x24(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    """Entrée on the PRM moves to the date, whose preview the installer now compares with
    its value: the "Enregistré au dossier" notice stays right of the previews' column (40
    cells wide at 80 columns, it covered the right half of any LCD preview or
    cross-check line scrolled under it for 5 s)."""
    from textual.widgets._toast import Toast

    from linkytool.tui.app import make_app
    from linkytool.tui.widgets.lcd_preview import LcdPreview

    from .conftest import frozen_clock, wait_for

    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        photos = await _photos_read(app, pilot, wait_for)
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "value-prm")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "value-date")
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        for _ in range(3):
            await pilot.pause(0.05)  # the notice and the scroll to the date laid out
        preview = photos.query_one("#crop-date", LcdPreview).region
        assert preview.width >= 40 and preview.height == 6
        for toast in app.screen.query(Toast):
            # right of the previews' column, whatever slot scrolls under it
            assert toast.region.x >= preview.right, (toast.region, preview)


async def _photos_read(app: Any, pilot: Any, wait_for: Any) -> Any:
    """The Photos screen once its three photos are read (in the test's reader threads)."""
    await wait_for(pilot, lambda: "photos" in app.panes and app.panes["photos"].built)
    photos = app.panes["photos"]
    await wait_for(
        pilot,
        lambda: all(photos.slot(s).reading is not None for s in ("prm", "date", "injection_index")),
        timeout=120,
    )
    return photos


ARRIVAL = """
import pickle
import sys

import linkytool.tui.app
import linkytool.tui.screens.photos

# as the pool hands them over: each reading with the picture its worker drew
readings, drawn = pickle.loads(sys.stdin.buffer.read())
from linkytool.ocr import cross_check
from linkytool.tui.lcd_dots import picture_of, remember

for reading, picture in zip(readings, drawn):
    remember(reading.crop, picture)  # as PhotoJobs does with a worker's outcome

checks = cross_check(readings)
pictures = [picture_of(reading) for reading in readings]
loaded = sorted(m for m in ("numpy", "PIL", "linkytool.ocr.reader") if m in sys.modules)
print(loaded, [r.value for r in readings], len(checks), sum(p is not None for p in pictures))
"""


def test_readings_arriving_in_the_ui_load_neither_numpy_nor_the_reader(
    photo_reader: CachedPhotoReader,
) -> None:
    """The UI process unpickles each reading from its worker and cross-checks them: that
    imported the whole OCR package (numpy, Pillow, the reader: ~0.3 s of the UI's CPU)
    just when the first value was to be shown."""
    import pickle
    import subprocess
    import sys

    from linkytool.tui.lcd_dots import draw

    photos = SAMPLES / "photos"
    readings = [photo_reader(photos / f"demo-{name}.jpg") for name in ("prm", "date", "index")]
    result = subprocess.run(
        [sys.executable, "-c", ARRIVAL],
        input=pickle.dumps((readings, [draw(reading) for reading in readings])),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    from linkytool.ocr import cross_check

    values = [reading.value for reading in readings]
    assert values == ["30002345678901", "2026-11-20T14:32", "12"]
    expected = f"[] {values} {len(cross_check(readings))} 3"
    assert result.stdout.decode().strip() == expected
