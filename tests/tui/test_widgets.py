"""Small UI helpers: chart resampling, French number formats, STGE lines, image cells."""

from __future__ import annotations

from linkytool.tui.screens.meter_format import drift_text, quantity, rate_text
from linkytool.tui.widgets.chart import cell_char, resample
from linkytool.tui.widgets.image_cells import image_to_text


def test_resample_averages_or_stretches() -> None:
    assert resample([1, 3, 5, 7], 2) == [2, 6]
    assert resample([1, 2], 5) == [1, 1, 2, 2]
    assert resample([], 10) == []


def test_cell_char_eighths() -> None:
    assert cell_char(2.0, 0) == ("█", True)
    assert cell_char(0.5, 0) == ("▄", False)
    assert cell_char(0.5, 1) == (" ", False)


def test_french_formats() -> None:
    assert quantity(8254321, "Wh") == "8\u202f254\u202f321 Wh"
    assert quantity(None, "VA") == "—"
    assert rate_text(0.0123) == "1,2 %"
    assert drift_text(-125.0) == "−2 min 05 s"
    assert drift_text(3.2) == "+3 s"


def test_image_cells_render_two_pixels_per_cell() -> None:
    from PIL import Image

    image = Image.new("RGB", (40, 10), (255, 0, 0))
    text = image_to_text(image, width=20)
    lines = text.plain.splitlines()
    assert len(lines) == 2 and all(line == "▀" * 20 for line in lines)
    tall = image_to_text(Image.new("RGB", (10, 100)), width=20, max_rows=8)
    assert len(tall.plain.splitlines()) == 8
