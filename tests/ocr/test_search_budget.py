"""The panel search reads at most ``Settings.max_panel_quads`` quads a photo (ocrS):
past it, the best panel read so far is used, never confidently (``Repair.SEARCH_CUT``,
a French remark that says to check the value or retake the photo).

The photo is ocrS's tuning seed 125002, X11 5x8 hard photo 9 (``bench/ocr_accuracy.py
--font x11_5x8 --level hard --seed 125002``, read here with every glyph set): a date
screen no quad reads cleanly, so the search went on through 52 quads, and the one it
chose was its first. With the budget it stops after 40 and reads the same date, to
confirm; without it, the same date confident (the budget's cost: a confident reading
that needed more quads than the budget lets the search read). The shipped budget (96)
is above every count measured; the mechanism is pinned here with ocrS's budget of 40.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from linkytool.ocr import panel, read_photo
from linkytool.ocr.candidate import REPAIR_REMARKS, Repair
from linkytool.ocr.rectify import Warper
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import bench_photo


def _count_quads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the quads the panel search asks for (the last one past the budget included)."""
    counted = [0]
    original = panel._quads_to_try

    def counting(
        warp: Warper, coarse: npt.NDArray[np.float64], from_bezel: bool
    ) -> Iterator[npt.NDArray[np.float64]]:
        for quad in original(warp, coarse, from_bezel):
            counted[0] += 1
            yield quad

    monkeypatch.setattr(panel, "_quads_to_try", counting)
    return counted


@pytest.mark.usefixtures("nine_pitch_background")
def test_the_search_stops_at_its_budget_and_fails_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 9, seed=125002)
    assert truth == "2027-03-12T18:35"
    counted = _count_quads(monkeypatch)
    budget = 40
    monkeypatch.setattr(panel, "SETTINGS", dataclasses.replace(SETTINGS, max_panel_quads=budget))
    reading = read_photo(photo)
    assert counted[0] == budget + 1  # stopped when it wanted one more
    assert (reading.screen, reading.value) == (ScreenKind.DATE, truth)
    assert not reading.confident
    assert REPAIR_REMARKS[Repair.SEARCH_CUT] in reading.warnings
    monkeypatch.setattr(panel, "SETTINGS", dataclasses.replace(SETTINGS, max_panel_quads=0))
    counted[0] = 0
    unbounded = read_photo(photo)
    assert budget < counted[0] <= SETTINGS.max_panel_quads  # the shipped budget lets it through
    assert (unbounded.screen, unbounded.value, unbounded.confident) == (
        ScreenKind.DATE,
        truth,
        True,
    )
    assert REPAIR_REMARKS[Repair.SEARCH_CUT] not in unbounded.warnings


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_photo_within_the_budget_says_nothing_of_it(tmp_path: Path) -> None:
    """The shipped reader (budget 96) reads this 52-quad photo whole, sure."""
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 9, seed=125002)
    reading = read_photo(photo)
    assert (reading.value, reading.confident) == (truth, True)
    assert REPAIR_REMARKS[Repair.SEARCH_CUT] not in reading.warnings
