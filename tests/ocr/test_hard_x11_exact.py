"""Exact readings of hard photos of the held-out X11 and tailed designs (ocrX).

The photos are ``bench/ocr_accuracy.py --font NAME --level hard --seed S`` (ocrX's
tuning seeds 92031 and 92032), the drawn glyph set held out, regenerated from their
seed and index. Each rule's photos read the true value, a guess left to confirm, and
read none or another value with the rule off. They are read with ocrG's panel rules off
(``conftest.panel_rules_off``): those rules read some of them on another grid or quad
(``tests/ocr/test_read_turned.py`` says which and how). They are read on the lattice
measured before ocr42b too (``conftest.lattice_rules_off``): its y fit and extra line
layouts sample three of them on a lattice where they read right without the rule (the
shipped reader's readings of those three are pinned below, as regressions).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dates, dotmatrix, read_photo, screenkind
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts

from .conftest import (
    bench_photo,
    lattice_rules_off,
    nine_pitch_background_set,
    panel_rules_off,
)


@pytest.fixture(autouse=True)
def _old_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    panel_rules_off(monkeypatch)
    lattice_rules_off(monkeypatch)


def _without(font: str) -> tuple[str, ...]:
    return tuple(name for name in template_fonts() if name != font)


def _read(path: Path, font: str) -> tuple[str | None, bool]:
    with use_template_fonts(_without(font)):
        reading = read_photo(path)
    return reading.value, reading.confident


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (12, "2025-11-24T15:53"),  # "24'11'2025 15:53": both slashes read quotes
        (24, "2027-12-22"),  # "22K12/2027": a slash read K, leaning to a digit (2)
    ],
)
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_date_token_whose_x11_slashes_misread_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int, value: str
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x7", "hard", index, seed=92031)
    assert truth == value
    assert _read(photo, "x11_5x7") == (value, False)
    monkeypatch.setattr(dates, "_DATE_TOKEN_LAYOUTS", ())
    assert _read(photo, "x11_5x7")[0] is None


@pytest.mark.parametrize(
    "case",
    [
        ("x11_5x7", 92031, 23, "2027-11-16T08:45"),  # "16/11/7027": an X11 2 read 7
        ("tailed", 92032, 56, "2027-01-31"),  # "3T/04/2027": a tailed 1 read T, 37
        ("x11_5x8", 92032, 56, "2027-01-31"),  # "61/01/2027"
    ],
)
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_date_no_calendar_holds_is_re_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, int, int, str]
) -> None:
    font, seed, index, value = case
    photo, truth = bench_photo(tmp_path, font, "hard", index, seed=seed)
    assert truth == value
    assert _read(photo, font) == (value, False)
    monkeypatch.setattr(dates, "_outside_calendar", lambda match: False)
    assert _read(photo, font)[0] is None


def test_a_date_no_calendar_holds_keeps_its_time_once_re_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ocr42b's tuning seed 147310, tailed hard photo 8 (``DATE  14/03/P026``, ``HEURE
    T0:26``), read as shipped (every panel and lattice rule on): the date's cells hold
    no calendar date, re-decided they give the date and its time; rule off, the time
    is lost (``2025-03-14``). A pin of the rule on ocr42b's lattice, where the photos
    above read right without it."""
    monkeypatch.undo()  # the shipped panel and lattice rules
    nine_pitch_background_set(monkeypatch)  # the darkness map the rule was set on
    photo, truth = bench_photo(tmp_path, "tailed", "hard", 8, seed=147310)
    assert truth == "2025-03-14T10:25"
    assert _read(photo, "tailed") == (truth, False)
    monkeypatch.setattr(dates, "_outside_calendar", lambda match: False)
    assert _read(photo, "tailed") == ("2025-03-14", False)


@pytest.mark.parametrize(
    "case",
    [
        ("x11_5x8", 55, "2026-08-09T18:09", "2026-08-09T16:09"),  # a blurred 8 beside a 6
        ("x11_5x8", 46, "2026-04-15T14:40", "2026-04-15T14:41"),  # a 0 beside the 1s
        ("x11_5x7", 20, "07226870069722", "97226870069722"),  # a 0 beside a 9
    ],
)
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_damaged_digit_keeps_its_own_when_the_panel_draws_the_next_unlike_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, int, str, str]
) -> None:
    font, index, value, moved = case
    photo, truth = bench_photo(tmp_path, font, "hard", index, seed=92032)
    assert truth == value
    assert _read(photo, font) == (value, False)
    monkeypatch.setattr(
        dotmatrix,
        "next_digit_drawn_unlike",
        lambda cells, *_, **__: np.zeros(len(cells), dtype=np.bool_),
    )
    assert _read(photo, font) == (moved, False)


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_title_another_variant_reads_names_the_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X11 5x8 held out: "TNDEXZIN)ECYID*" on the chosen variant, the index title on the
    wide window's, INJECTION spotted best (over the spotting bound): the index screen,
    its title uncertain; rule off: another screen."""
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 21, seed=92031)
    assert truth == "4"
    assert _read(photo, "x11_5x8") == ("4", False)
    monkeypatch.setattr(screenkind, "_kind_named_by_another_variant", lambda *_: None)
    assert _read(photo, "x11_5x8")[0] is None


_FOUR_YEAR_CELLS = re.compile(
    r"(?<!\d)(\d{2})/(\d{2})/([^\n/:]{4})(?:[\s\S]*?(?<!\d)(\d{2}):(\d{2})(?!\d))?"
)


@pytest.mark.parametrize("font", ["x11_5x7", "x11_5x8", "tailed"])
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_two_digit_year_glued_to_residue_is_not_four_year_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font: str
) -> None:
    """ "16/02/270BRM": "DD/MM/YY" and a previous screen's residue. Four year cells
    "270B" were re-decided 2045 (held-out seed 92617 of ocrX, hard photo 44, each font;
    the rule was then measured on a fresh held-out seed)."""
    photo, truth = bench_photo(tmp_path, font, "hard", 44, seed=92617)
    assert truth == "2027-02-16"
    assert _read(photo, font) == (truth, False)
    monkeypatch.setattr(dates, "_DATE_CELLS_RE", _FOUR_YEAR_CELLS)
    assert _read(photo, font)[0] == "2045-02-16"


@pytest.mark.parametrize(
    "case",
    [
        ("x11_5x7", 92031, 23, "2027-11-16T08:45", True),
        ("x11_5x8", 92032, 56, "2027-01-31", False),  # main: another screen, no value
        ("x11_5x7", 92032, 20, "07226870069722", True),
    ],
)
def test_the_pins_the_new_lattice_reads_without_their_rule_read_right_as_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, int, int, str, bool]
) -> None:
    """ocr42b's lattice (blank rows weighed, the other line layouts read) reads these
    pins right without the rules above: with every panel and lattice rule on, as
    shipped, they read their true value (x11_5x8 56 was taken for another screen)."""
    font, seed, index, value, confident = case
    monkeypatch.undo()  # the shipped panel and lattice rules
    photo, truth = bench_photo(tmp_path, font, "hard", index, seed=seed)
    assert truth == value
    assert _read(photo, font) == (value, confident)
