"""Hard photos' confidence, fourth pass (ocrF): an index title every variant's text
names, a shape read through a speck; the unfamiliar-design doubt of the widest window
(ocrF judged it in the sharpest samplings only; reverted, see below).

The photos are ``bench/ocr_accuracy.py --font FONT --level hard --seed 110011`` (ocrF's
tuning seed), the font held out, regenerated from the seed; each is read right and was
held to confirm by the one rule its test switches back off; the speck's photo, found
on the held-out seed, was read confidently wrong.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, screenkind, voting
from linkytool.ocr.candidate import Repair
from linkytool.ocr.dotmatrix import DIGITS
from linkytool.ocr.font5x7 import FONTS, bits_of
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.structure import admitted, speckled
from linkytool.ocr.valuecells import GRAMMAR_EXCLUSIVE_KINDS
from linkytool.ocr.voting import VariantValue, vote

from .conftest import bench_photo, held_out_verdict

SEED = 110011


def test_the_index_named_by_its_text_alone_unless_tesseract_names_another_screen() -> None:
    alone = screenkind._text_names_it_alone
    assert alone(ScreenKind.INJECTION_INDEX, None)
    assert alone(ScreenKind.INJECTION_INDEX, ScreenKind.INJECTION_INDEX)
    assert not alone(ScreenKind.INJECTION_INDEX, ScreenKind.OTHER)  # "INDEX NON CONSO"?
    assert alone(ScreenKind.PRM, ScreenKind.OTHER) and alone(ScreenKind.DATE, None)
    assert not alone(ScreenKind.OTHER, None)


def test_an_x11_index_title_every_variant_reads_is_certain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "INDEX INTECTION" (the X11 5x8 J read T) in every variant; INJECTION spotted at
    # 2.09 dots a letter, 3.86 below DATE and PRM: under spot_sure_gap
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 16, seed=SEED)
    assert truth == "905"
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "905", True)
    monkeypatch.setattr(
        screenkind, "_text_names_it_alone", lambda kind, *_: kind in GRAMMAR_EXCLUSIVE_KINDS
    )
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "905", False)


@pytest.mark.usefixtures("nine_pitch_background")
def test_an_unfamiliar_design_doubted_in_the_widest_window_alone_is_to_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ocrF judged the unfamiliar-design doubt in the sharpest samplings only; the lead's
    safety seed 86532 (X11 5x7 held out, hard photo 16) then read the index 000002 as 7,
    confidently: the blurred X11 2 read 7, doubted in the 5 px window alone. Every
    variant's doubt counts again; the sharp-window version fails this test."""
    photo, truth = bench_photo(tmp_path, "x11_5x7", "hard", 16, seed=86532)
    assert truth == "2"
    assert held_out_verdict(photo, "x11_5x7") == (ScreenKind.INJECTION_INDEX, "7", False)
    unseen = frozenset({Repair.UNFAMILIAR_DIGITS})

    def sharpest_only(variants: list[VariantValue]) -> frozenset[Repair]:
        sharpest = min(v.window for v in variants)
        return frozenset().union(
            *(v.repairs if v.window == sharpest else v.repairs - unseen for v in variants)
        )

    monkeypatch.setattr(voting, "_repairs", sharpest_only)
    assert held_out_verdict(photo, "x11_5x7") == (ScreenKind.INJECTION_INDEX, "7", True)


@pytest.mark.xfail(
    strict=True,
    reason="known confident-wrong (found at stop 51 by ocr51b): on the shipped darkness map "
    "the 2's faint bottom bar leaves a 7 at 1.5-1.6 dots of misfit, under the "
    "unfamiliar-digits doubt's 2.0, in every variant; open in issue 13",
)
def test_the_unfamiliar_design_pin_is_not_read_confidently_wrong_as_shipped(
    tmp_path: Path,
) -> None:
    """The pin above reads its photo on the 9-pitch darkness map its rule was set on,
    where the 5 px window's misfit (2.06) holds the reading. As shipped (the 5-pitch
    background bounded within a pitch, stop 45) the same photo, X11 5x7 held out, is read
    ``7`` and confidently (window 3: 7 at 4.14 dots, 2 at 6.64, misfit 1.46, the cell's
    ink 0.68 of the value's median; window 5: misfit 1.61): the suite never saw it,
    because the pin switches the background back. Kept here, failing, until a rule holds
    it; a strict xfail, so the day it passes the mark must go."""
    photo, truth = bench_photo(tmp_path, "x11_5x7", "hard", 16, seed=86532)
    assert truth == "2"
    kind, value, confident = held_out_verdict(photo, "x11_5x7")
    assert not confident or (kind, value) == (ScreenKind.INJECTION_INDEX, truth)


def test_a_doubt_of_any_window_is_the_candidate_s() -> None:
    cells = ((1, 0), (1, 1))
    sharp = VariantValue("42", cells, 2.0, cost=1.0, rule="index", window=3)
    unseen = frozenset({Repair.UNFAMILIAR_DIGITS})
    wide = VariantValue("42", cells, 2.0, unseen, cost=1.2, rule="index", window=5)
    candidate = vote(ScreenKind.INJECTION_INDEX, [sharp, wide, sharp], True)
    assert candidate is not None and candidate.repairs == unseen
    other = VariantValue("47", cells, 2.0, cost=1.2, rule="index", window=5)
    candidate = vote(ScreenKind.INJECTION_INDEX, [sharp, other, sharp], True)
    assert candidate is not None and not candidate.variants_agree


def test_no_digit_of_any_glyph_set_has_a_speck() -> None:
    digits = [bits_of(glyphs[d]) for glyphs in FONTS.values() for d in DIGITS if d in glyphs]
    cells = np.array([bits[:7].reshape(-1) for bits in digits], dtype=np.float64)
    assert len(cells) >= 60 and not speckled(cells).any()
    open_four = np.array([[c == "#" for c in row] for row in _OPEN_FOUR], dtype=np.float64)
    assert not speckled(open_four.reshape(1, -1)).any()
    stray = open_four.copy()
    stray[0, 2] = 1.0  # a stuck dot between the stems' tops: a speck
    assert speckled(stray.reshape(1, -1)).all()
    # it gave a top cap, a 5's shape, until stop 38 made a cap a stroke: still a 4
    assert admitted(stray.reshape(-1)) == {"4"}


_OPEN_FOUR = ("#...#", "#...#", "#...#", "#####", "....#", "....#", "....#")


def test_a_shape_read_through_a_speck_is_to_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # held-out seed 113331 (ocrF's, found there: main read it confidently wrong), alt
    # held out: the minutes' open 4 carries a stray dot, read 5 by its shape until stop
    # 38 (a cap is a stroke: its shape is a 4's now); the speck still keeps it to confirm
    photo, truth = bench_photo(tmp_path, "alt", "hard", 4, seed=113331)
    assert truth == "2026-03-10T08:14"
    assert held_out_verdict(photo, "alt") == (ScreenKind.DATE, truth, False)
    monkeypatch.setattr(dotmatrix, "speckled", lambda cells: np.zeros(len(cells), dtype=bool))
    assert held_out_verdict(photo, "alt") == (ScreenKind.DATE, truth, True)
