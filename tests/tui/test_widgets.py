"""Small UI helpers: chart resampling, French number formats, STGE lines."""

from __future__ import annotations

from linkytool.tui.screens.meter_format import drift_text, quantity, rate_text
from linkytool.tui.widgets.chart import cell_char, resample


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
