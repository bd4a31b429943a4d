"""A date followed by a cell of faint ink is to confirm (``valuecells.ink_after``,
``Repair.FAINT_AFTER``): a glare may have washed out the rest of it, and a two-digit
year is a layout the screen shows, so ``15/04/20`` parses whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from linkytool.ocr import ScreenKind, read_image, reader, voting

from .conftest import held_out_verdict, read_held_out, wide_photo
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


@pytest.mark.usefixtures("nine_pitch_background")
def test_stop_43s_short_date_is_held_by_the_faint_ink_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ocr43a's tuning seed 148002 (X11 5x8 held out, wide hard photo 7): ``28/09/2025``
    read ``28/09/20``, its year's end beyond the lattice, held by the cut-off rule
    (``test_cut_off.py``); the faint ink after it holds it too, the cut-off rule off."""
    monkeypatch.setattr(reader, "touches_unseen", lambda cells, unseen: False)
    photo, truth = wide_photo(tmp_path, "hard", 7, 148002, font="x11_5x8")
    reading = read_held_out(photo, "x11_5x8")
    assert reading.value == "2020-09-28" != truth
    assert not reading.confident
    assert any("points pâles suivent la date" in w for w in reading.warnings)
