"""A title word two screens share names neither of them (ocrZ).

"INDEX" starts the injection index's title and another screen's ("INDEX NON CONSO").
The photo is ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 105012``, photo
94, the X11 5x8 set held out, regenerated from its seed: every variant reads the title
"INDEX TMIECTTON" (the X11 N and J misread), INJECTION is the word spotted best (over
the spotting's bound) and the panel was taken for another screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import read_photo, screenkind
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.titles import classify_title, other_by_shared_word

from .conftest import bench_photo, lattice_rules_off, panel_rules_off, square_background_set


@pytest.fixture(autouse=True)
def _old_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    # the photo read on the panel the rule was set on (ocrG's turned reads read its
    # title on another grid, the index even without the rule; ocr42b's lattice reads
    # "TNDEX TNIECTTON" on an (8, 1) layout, where the index is spotted without it;
    # stop 45's background bounded within a pitch makes that old panel's title another
    # screen's even with the rule, while the shipped reader still reads the index)
    panel_rules_off(monkeypatch)
    lattice_rules_off(monkeypatch)
    square_background_set(monkeypatch, 5)


def test_a_title_naming_another_screen_only_by_index_is_no_other_screen() -> None:
    kind = ScreenKind.INJECTION_INDEX
    assert classify_title("INDEX TMIECTTON") is ScreenKind.OTHER
    assert other_by_shared_word("INDEX TMIECTTON", kind)
    assert not other_by_shared_word("INDEX NON CONSO", kind)  # NON, CONSO: another screen
    assert not other_by_shared_word("HEURE CREUSE", kind)
    assert not other_by_shared_word("INDEX INJECTION", kind)  # names the index itself
    assert not other_by_shared_word("INDEX TMIECTTON", ScreenKind.DATE)


def test_an_x11_index_title_misread_is_the_index_spotted_to_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 94, seed=105012)
    assert truth == "930"
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x8")):
        reading = read_photo(photo)
        assert (reading.screen, reading.value, reading.confident) == (
            ScreenKind.INJECTION_INDEX,
            "930",
            False,
        )
        monkeypatch.setattr(screenkind, "_kind_behind_a_shared_word", lambda *_: None)
        before = read_photo(photo)
    assert (before.screen, before.value) == (ScreenKind.OTHER, None)


def test_the_pin_reads_the_index_to_confirm_as_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same photo with every panel and lattice rule on, as shipped: the index, its
    value right, to confirm (the title uncertain)."""
    monkeypatch.undo()
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 94, seed=105012)
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x8")):
        reading = read_photo(photo)
    assert (reading.screen, reading.value, reading.confident) == (
        ScreenKind.INJECTION_INDEX,
        truth,
        False,
    )
