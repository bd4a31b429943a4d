"""Hard photos' confidence, fifth pass (ocrP): evidence that held exact readings back.

The photos are ``bench/ocr_accuracy.py --font FONT --level hard --seed 130001`` (ocrP's
tuning seed), the font held out; each is read right and was held to confirm by the one
rule its test switches back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import read_photo, valuecells, voting
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.imaging import median
from linkytool.ocr.panel import PanelRead
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import bench_photo

SEED = 130001


def _read(photo: Path, held_out: str) -> tuple[ScreenKind, str | None, bool, tuple[str, ...]]:
    with use_template_fonts(tuple(name for name in template_fonts() if name != held_out)):
        reading = read_photo(photo)
    return reading.screen, reading.value, reading.confident, reading.warnings


def test_a_digit_dimmed_with_its_neighbours_is_not_faint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a glare dims the PRM's middle: ink falls smoothly to 0.44 of the value's median
    # (0.49 and 0.61 beside it), no residue: a faint digit is one fainter than both
    photo, truth = bench_photo(tmp_path, "x11_5x7", "hard", 18, seed=SEED)
    assert truth == "33645311411901"
    screen, value, confident, warnings = _read(photo, "x11_5x7")
    assert (screen, value, confident) == (ScreenKind.PRM, truth, True)
    assert not any("pâle" in warning for warning in warnings)

    def against_the_median(
        read: PanelRead, match: valuecells.ScreenMatch, kind: ScreenKind
    ) -> bool:
        ink = read.grid.ink
        assert ink is not None
        levels = ink.reshape(-1)[[valuecells.cell_index(c) for c in match.cells]]
        return bool(levels.min() < SETTINGS.faint_digit_share * median(levels))

    monkeypatch.setattr(voting, "faint_digit", against_the_median)
    screen, value, confident, warnings = _read(photo, "x11_5x7")
    assert (screen, value, confident) == (ScreenKind.PRM, truth, False)
    assert any("pâle" in warning for warning in warnings)


def test_noise_after_a_date_far_fainter_than_its_digits_is_blank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "T0/0k/2025  N440": the blank cells after the date, their noise normalised into
    # glyphs, hold 0.15-0.25 of the date's ink; read as "something after" (an unread
    # time?), they made the date a layout guess
    photo, truth = bench_photo(tmp_path, "plain", "hard", 22, seed=130003)
    assert truth == "2025-04-10"
    assert _read(photo, "plain")[:3] == (ScreenKind.DATE, truth, True)
    monkeypatch.setattr(valuecells, "_faint_cells_blank", lambda read, lines, cells: lines)
    assert _read(photo, "plain")[:3] == (ScreenKind.DATE, truth, False)
