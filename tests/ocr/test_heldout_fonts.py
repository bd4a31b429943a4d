"""Held-out glyph sets: a reader built without a photo's font is never confidently wrong.

Each photo below is one of ``bench/ocr_accuracy.py --font all --level normal,hard --seed
41`` or ``--seed 501`` (the tuning seeds) that the reader read, or would read without the
unfamiliar-digits rule, confidently wrong; it is regenerated from its seed, font and
index.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, read_photo
from linkytool.ocr.dotmatrix import CellRead, unfamiliar_digits, use_template_fonts
from linkytool.ocr.font5x7 import FONTS
from linkytool.ocr.grammar import parse_screen
from linkytool.ocr.indexes import parse_index
from linkytool.ocr.policy import REPAIR_REMARKS, Repair
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.valuecells import mark_glued_before

from .conftest import bench_photo, square_background_set


def _without(font: str) -> tuple[str, ...]:
    return tuple(name for name in FONTS if name != font)


@pytest.mark.parametrize(
    ("photo", "templates", "read"),
    [
        # the alternative set's round 3 is 3 dots from HD44780's 8: "80" for 30
        ((41, "alt", 3), ("hd44780",), "80"),
        # (41, "alt", 1), the alternative set's open 4 read 9 (35179 for 35174, every
        # other set as templates), is now read right and confidently: its shape is a
        # 4's (test_shape_reading.py, with the rule off for contrast)
        # the tailed 5 is 3 dots from the alternative set's 6 (margin 2.9): a date's
        # 15 read 16 (every other set as templates, the narrow designs not stretched:
        # stretched, the X11 5 is the tailed 5, see test_stretched_designs_read_...)
        ((501, "tailed", 5), _without("tailed"), None),
        # (41, "tailed", 7), a tailed 6 once read 8 (2028-04-12T18:18 for
        # 2026-04-12T18:13), is now read right and confidently: the panel's own 8
        # rules the 8 out (test_panel_margins.py, with the rule off for contrast)
    ],
)
def test_digits_of_an_unknown_design_are_to_confirm(
    tmp_path: Path,
    photo: tuple[int, str, int],
    templates: tuple[str, ...],
    read: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the designs these photos were misread with: no narrow design stretched
    unstretched = dataclasses.replace(dotmatrix.SETTINGS, stretch_cost=float("inf"))
    monkeypatch.setattr(dotmatrix, "SETTINGS", unstretched)
    seed, font, index = photo
    path, _ = bench_photo(tmp_path, font, "normal", index, seed)
    with use_template_fonts(templates):
        reading = read_photo(path)
    if read is not None:
        assert reading.value == read  # the nearest reading, offered to confirm
    assert not reading.confident
    assert REPAIR_REMARKS[Repair.UNFAMILIAR_DIGITS] in reading.warnings


def test_an_index_glued_to_a_letter_is_to_confirm(tmp_path: Path) -> None:
    """'plain' index 753 shown "000000753 kWh": its 0s read as O and its straight 7 as T
    left "53" after the letters; it was confident. (The straight 7 now fits the other
    sets' 7 one column off: the photo reads 753.)"""
    path, value = bench_photo(tmp_path, "plain", "normal", 11)
    with use_template_fonts(("hd44780", "alt")):
        reading = read_photo(path)
    assert reading.value == value == "753"
    match = parse_index("OOOOOOT53kWh")
    assert match is not None and match.value == "53" and match.repaired
    clean = parse_index("   000053 kWh")
    assert clean is not None and clean.value == "53" and not clean.repaired


def _cells(text: str, distance: float) -> list[CellRead]:
    return [CellRead(c, distance, " ", distance + 5) for c in text]


def test_unfamiliar_digits_compares_the_digits_with_the_title_letters() -> None:
    digits = np.array([[0.8] + [6.0] * 9, [3.9] + [7.0] * 9])
    assert unfamiliar_digits(digits, _cells("PRM", 0.8), excess=2.0)
    # a misfit of 3.1 dots with a margin of 5.1: the unknown glyph's own class cannot
    # be the second digit; accepted unless the misfit passes the cap
    wide = np.array([[0.8] + [6.0] * 9, [3.9] + [9.0] * 9])
    assert not unfamiliar_digits(wide, _cells("PRM", 0.8), excess=2.0, slack=1.0, cap=4.5)
    assert unfamiliar_digits(wide, _cells("PRM", 0.8), excess=2.0, slack=2.5, cap=4.5)
    assert unfamiliar_digits(wide, _cells("PRM", 0.8), excess=2.0, slack=1.0, cap=3.0)
    # a blurred panel: the letters fit as badly, nothing says the design is unknown
    assert not unfamiliar_digits(digits, _cells("PRM", 2.5), excess=2.0)
    # too few letters to compare
    assert not unfamiliar_digits(digits, _cells("P", 0.8), excess=2.0)


def test_a_mark_glued_before_an_index_is_to_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seed 8317 (the first held-out run of the tolerant classifier, now a tuning
    seed), HD44780 left out, hard photo 13: the blurred 4 of "497 kWh" fitted no digit
    and read "(": "(97kWh" gave 97, confidently. (The X11 4 stretched onto 5×7, and the
    font detection keeping every set for it, now read it: the rule is pinned with the
    designs and the detection it was found with.)"""
    unstretched = dataclasses.replace(dotmatrix.SETTINGS, stretch_cost=float("inf"))
    monkeypatch.setattr(dotmatrix, "SETTINGS", unstretched)
    monkeypatch.setattr(dotmatrix, "FONT_CELL_SLACK", 2.0)
    path, value = bench_photo(tmp_path, "hd44780", "hard", 13, seed=8317)
    with use_template_fonts(("alt", "x11_5x7", "x11_5x8")):
        reading = read_photo(path)
    assert value == "497"
    assert reading.value != value  # still misread ...
    assert not reading.confident  # ... but offered to confirm
    assert REPAIR_REMARKS[Repair.LAYOUT] in reading.warnings


def test_only_a_mark_glued_to_the_number_counts_not_the_line_start() -> None:
    """A 9-digit padded index starts its line: the line above it is no mark
    (seed 6029 normal photo 6, "000000058 kWh", lost its confidence to that)."""
    padded = [" " * 16, "000000058 kWh   "]
    match = parse_screen(ScreenKind.INJECTION_INDEX, padded)
    assert match is not None and not mark_glued_before(padded, match)
    glued = [" " * 16, "     (97kWh     "]
    match = parse_screen(ScreenKind.INJECTION_INDEX, glued)
    assert match is not None and match.value == "97" and mark_glued_before(glued, match)


@pytest.mark.parametrize(
    ("lines", "guess"),
    [
        (("DATE  09/07/2026", "HEURE      II:IA"), True),  # time shown, unread
        (("09/07/2026", "HEURE"), True),  # the time's label alone
        (("DATE  09/07/2026", "HEURE      11:14"), False),  # read: not a guess
        (("DATE COURANTE", "11/01/2025"), False),  # a screen without a time
        (("DATE ET HEURE", "    10/10/26    "), False),  # HEURE before the date
    ],
)
def test_a_date_whose_time_is_shown_but_unread_is_a_guess(
    lines: tuple[str, str], guess: bool
) -> None:
    match = parse_screen(ScreenKind.DATE, lines)
    assert match is not None and match.repaired is guess, match


def test_a_date_screen_whose_time_reads_as_letters_is_to_confirm(tmp_path: Path) -> None:
    """Seed 61483 (topo's first held-out seed, looked at since), HD44780 left out, hard
    photo 4: "DATE 09/07/2026 / HEURE 11:14" with the ROM's 1 and 4 read as letters
    ("HEURE II:IA"): the date alone came back as the value, confidently; the time the
    screen shows is part of the value (the EXIF cross-check compares it). Since its
    time is read as a time whatever its cells read (``grammar.number_token``, ocrC), the
    whole value is read, confidently and right; the date alone is never confident."""
    path, value = bench_photo(tmp_path, "hd44780", "hard", 4, seed=61483)
    with use_template_fonts(("alt", "x11_5x7", "x11_5x8", "spleen_5x8")):
        reading = read_photo(path)
    assert value == "2026-07-09T11:14"
    assert reading.value == value
    assert reading.confident


@pytest.mark.parametrize(
    ("token", "rest", "number"),
    [
        ("II:IA", "", True),  # HD44780's 1 and 4 read as letters, laid out as a time
        ("TT:Tk", "", True),  # the plain 1 and 4 read T and k
        ("OT:HH", "", True),  # the alternative ROM's 0, 7 and open 4s
        ("11:14", "", True),  # digits: as before
        ("HEURE", "", False),  # a word stays a word ("HEURE" keeps its H)
        ("DATE", "", False),
        ("I:IA", "", False),  # not the HH:MM layout
        ("TTO", " kWh", True),  # before the unit: as before
    ],
)
def test_a_token_laid_out_as_a_time_leans_to_digits(token: str, rest: str, number: bool) -> None:
    from linkytool.ocr.grammar import number_token

    assert number_token(token, rest) is number


@pytest.mark.parametrize(
    ("font", "index", "square"),
    [
        ("hd44780", 25, False),  # 30/06/2025 11:14 read "II:IA"
        ("plain", 25, False),  # the same screen read "TT:Tk"
        # 08/12/26 07:44 read "OT:HH"; with stop 45's background bounded within a pitch
        # the time reads as digits even without the rule: read on stop 44's map
        ("alt", 17, True),
    ],
)
def test_a_time_read_as_letters_is_read_as_digits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font: str, index: int, square: bool
) -> None:
    """Seed 45127 (ocrC's first held-out seed, its misses read since), each font left
    out: a date screen whose time's cells all read as letters lost its time (the date
    alone, a layout guess: not even exact). A token laid out HH:MM is a time whatever
    its cells read: its cells lean to digits as a number's do, and the digits are then
    judged as any value's (here confident and right). Without the layout rule, the time
    is lost again."""
    from linkytool.ocr import valuecells
    from linkytool.ocr.indexes import number_before_unit

    if square:
        square_background_set(monkeypatch, 5)
    path, value = bench_photo(tmp_path, font, "normal", index, seed=45127)
    fonts = tuple(name for name in _shipped() if name != font)
    with use_template_fonts(fonts):
        reading = read_photo(path)
    assert (reading.value, reading.confident) == (value, True)

    def digits_or_unit(token: str, rest: str) -> bool:
        return any(c.isdigit() for c in token) or number_before_unit(token, rest)

    monkeypatch.setattr(valuecells, "number_token", digits_or_unit)
    with use_template_fonts(fonts):
        before = read_photo(path)
    assert before.value != value and not before.confident


def _shipped() -> tuple[str, ...]:
    from linkytool.ocr.settings import SETTINGS

    return SETTINGS.fonts if SETTINGS.fonts is not None else tuple(FONTS)
