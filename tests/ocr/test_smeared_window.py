"""A sampling window that spans the dot pitch lends no doubt (issue 13, ocr41b).

The wide variant samples each dot over 5 × 5 rectified px: 5/6 of the standard
layout's 6 px pitch. A wide panel (two blank columns, 20 columns, wide margins) is
rectified into the same 101 pitches, so its measured lattice has 4-5 px a pitch and the
5 px window averages every dot with its neighbours' positions: its misfits, thin
margins and blank cells read as glyphs are the window's, not the glyphs'. Its value
still votes (``voting.witnesses``).
"""

from __future__ import annotations

from pathlib import Path

from linkytool.ocr.lcdgrid import sample_grid, sample_measured
from linkytool.ocr.panel import VARIANTS, classify_grid
from linkytool.ocr.policy import Repair, Verdict, decide
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.voting import VariantValue, spans_pitch, vote
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import drawn_panel, read_held_out, wide_photo

PRM = "38134415811524"
CELLS = tuple((1, c) for c in range(14))


def _variant(window: int, margin: float, repairs: set[Repair], smeared: bool) -> VariantValue:
    return VariantValue(PRM, CELLS, margin, frozenset(repairs), 1.0, "prm", window, smeared)


def test_a_smeared_window_lends_neither_repair_nor_margin() -> None:
    """Tuning seed 145901 (wide normal), HD44780 held out, photo 12: both 3 px samplings
    read the PRM familiar and clear, the 5 px one (on a lattice of 4.9 px a pitch) found a
    4 unfamiliar, margin 4.5."""
    sharp = _variant(3, 2.5, set(), smeared=False)
    wide = _variant(5, 0.4, {Repair.UNFAMILIAR_DIGITS, Repair.LAYOUT}, smeared=True)
    candidate = vote(ScreenKind.PRM, [sharp, wide, sharp], title_certain=True)
    assert candidate is not None
    assert (candidate.repairs, candidate.margin) == (frozenset(), 2.5)
    assert decide(candidate)[0] is Verdict.CONFIDENT


def test_a_window_within_the_pitch_still_doubts() -> None:
    """The same doubt from a window narrower than the pitch (the standard layout's 5 px
    window, ocrF's reverted case) holds the value to confirm, as does every variant
    smeared."""
    sharp = _variant(3, 2.5, set(), smeared=False)
    for wide, others in (
        (_variant(5, 0.4, {Repair.UNFAMILIAR_DIGITS}, smeared=False), sharp),
        (_variant(5, 0.4, {Repair.UNFAMILIAR_DIGITS}, smeared=True), _variant(3, 2.5, set(), True)),
    ):
        candidate = vote(ScreenKind.PRM, [others, wide, others], title_certain=True)
        assert candidate is not None
        assert Repair.UNFAMILIAR_DIGITS in candidate.repairs
        assert decide(candidate)[0] is Verdict.TO_CONFIRM


def test_a_smeared_window_still_votes() -> None:
    """A smeared variant reading another value leaves the variants disagreeing."""
    sharp = _variant(3, 2.5, set(), smeared=False)
    other = VariantValue("38134415811521", CELLS, 2.0, frozenset(), 1.0, "prm", 5, True)
    candidate = vote(ScreenKind.PRM, [sharp, other, sharp], title_certain=True)
    assert candidate is not None
    assert not candidate.variants_agree
    assert decide(candidate)[0] is Verdict.TO_CONFIRM


def test_the_window_spans_a_wide_lattice_pitch_and_not_the_standard_one() -> None:
    """The standard panel's pitch (6 px, fitted at a scale near 1) is wider than the 5 px
    window; the lattice of a 20-column panel with two blank columns between cells is not."""
    wide = next(v for v in VARIANTS if v.window == 5)
    lines = ("   NUMERO PRM   ", "38134415811524  ")
    standard = drawn_panel(LcdGeometry(), Screen("prm", lines, None), font="alt", dot_fill=0.8)
    grid = sample_grid(standard, window=5)
    assert not spans_pitch(classify_grid(grid, wide))
    geometry = LcdGeometry(margin_x=2.0, margin_y=3.8, columns=20, char_gap=2, line_gap=2)
    panel = drawn_panel(geometry, Screen("prm", lines, None), font="alt", dot_fill=0.8)
    measured = sample_measured(sample_grid(panel), window=5)
    assert measured.lattice is not None
    assert min(measured.lattice.pitch) < 5
    assert spans_pitch(classify_grid(measured, wide))


def test_a_prm_doubted_by_the_smeared_window_alone_is_confident(tmp_path: Path) -> None:
    """Tuning seed 145901 (wide normal), HD44780 held out, photo 12 (20 columns, 12.6 px
    a pitch in the photo, 2 px of blur): the lattice measured at 4.9 × 5.6 rectified px;
    the 5 px window alone doubted a 4 (unfamiliar, not vouched by its twins there): to
    confirm on main, sûr here."""
    path, truth = wide_photo(tmp_path, "normal", 12, 145901, "hd44780")
    assert truth == PRM
    reading = read_held_out(path, "hd44780")
    assert (reading.value, reading.confident) == (truth, True)
