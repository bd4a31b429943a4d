"""A date followed by a cell of faint ink is to confirm (``valuecells.ink_after``,
``Repair.FAINT_AFTER``): a glare may have washed out the rest of it, and a two-digit
year is a layout the screen shows, so ``15/04/20`` parses whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from linkytool.ocr import ScreenKind, read_image, voting

from .conftest import held_out_verdict
from .test_reader_guesses import _framed, _panel

#: Stop 48's report seed 85931, camera model, X11 5x8 held out, hard photo 39: a glare
#: over the end of ``15/04/2027`` leaves ``27`` at a third of the date's ink.
PHOTO = (
    Path(__file__).resolve().parents[1] / "data" / "ocr-camera" / "x11_5x8-hard-camera-39-85931.jpg"
)


def _date_then(faint: float) -> Image.Image:
    """``15/04/20`` drawn sharp, the ``27`` after it at ``faint`` of the ink."""
    return _framed(Image.blend(_panel(("DATE", "15/04/20")), _panel(("DATE", "15/04/2027")), faint))


def test_a_date_with_nothing_after_it_is_confident() -> None:
    reading = read_image(_date_then(0.0), use_tesseract=False)
    assert (reading.value, reading.confident) == ("2020-04-15", True)


def test_a_date_followed_by_faint_ink_is_to_confirm() -> None:
    reading = read_image(_date_then(0.2), use_tesseract=False)
    assert (reading.value, reading.confident) == ("2020-04-15", False)
    assert any("points pâles suivent la date" in w for w in reading.warnings)


def test_a_glare_over_a_years_end_is_held() -> None:
    assert held_out_verdict(PHOTO, "x11_5x8") == (ScreenKind.DATE, "2020-04-15", False)


def test_without_the_faint_ink_it_was_confidently_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(voting, "ink_after", lambda read, match: False)
    assert held_out_verdict(PHOTO, "x11_5x8") == (ScreenKind.DATE, "2020-04-15", True)
