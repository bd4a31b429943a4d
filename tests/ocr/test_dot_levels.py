"""A value held as an unfamiliar design is read again with each dot's levels from its
neighbourhood (``lcdgrid.dot_normalised``, ``reader._read_again``, ocr48a): a phone's
highlight lowers the contrast over part of a cell, which the cell's own levels leave
near its unlit dots. The second reading only vouches for the value the first one held."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import lcdgrid
from linkytool.ocr.lcdgrid import dot_normalised, normalise_samples
from linkytool.ocr.screenkind import ScreenKind

from .conftest import held_out_verdict

CAMERA = Path(__file__).resolve().parents[1] / "data" / "ocr-camera"


def test_a_dimmed_stroke_is_lit_again_by_its_neighbourhood() -> None:
    """A highlight's fringe over part of a cell: its left column at full contrast, its
    other strokes and the cells beyond at 0.4 over an unlit 0.1. The cell's own levels
    leave the dimmed strokes under 0.5 (Otsu's split puts them with the unlit dots); each
    dot's neighbourhood, dimmed alike, lights them again and keeps the unlit dots unlit."""
    samples = np.full((14, 80), 0.1)
    samples[:7, 0:35:2] = 0.9  # bright strokes before the highlight
    samples[:7, 35] = 0.9  # the cell's left column, outside it
    samples[:7, 37:50:2] = 0.4  # its other strokes and the next cells', under it
    samples[:7, 40] = 0.4
    by_cell = normalise_samples(samples)
    levelled = dot_normalised(samples, by_cell)
    assert by_cell[:7, 39].max() < 0.5
    assert levelled[:7, 39].min() > 0.5
    assert levelled[:7, 38].max() < 0.2


PHOTO = CAMERA / "plain-normal-camera-29-149910.jpg"
PRM = "10756681261478"


def test_a_highlighted_prm_read_again_is_confident() -> None:
    """Tuning seed 149910's camera photo 29 (plain held out): a highlight over the PRM
    holds it as an unfamiliar design; read again with each dot's levels from its
    neighbourhood, the same value is clear: confident."""
    assert held_out_verdict(PHOTO, "plain") == (ScreenKind.PRM, PRM, True)


def test_without_the_second_reading_it_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lcdgrid, "dot_normalised", lambda samples, by_cell: by_cell)
    assert held_out_verdict(PHOTO, "plain") == (ScreenKind.PRM, PRM, False)
