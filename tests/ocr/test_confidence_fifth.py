"""Hard photos' confidence, fifth pass (ocrP): evidence that held exact readings back.

The photos are ``bench/ocr_accuracy.py --font FONT --level hard --seed 130001`` (ocrP's
tuning seed), the font held out; each is read right and was held to confirm by the one
rule its test switches back.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from linkytool.ocr import valuecells, voting
from linkytool.ocr.grammar import ScreenMatch
from linkytool.ocr.imaging import median
from linkytool.ocr.panel import PanelRead
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

from .conftest import bench_photo, read_held_out

SEED = 130001


def _read(photo: Path, held_out: str) -> tuple[ScreenKind, str | None, bool, tuple[str, ...]]:
    reading = read_held_out(photo, held_out)
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

    def against_the_median(read: PanelRead, match: ScreenMatch, kind: ScreenKind) -> bool:
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


def _faint(levels: list[float], kind: ScreenKind) -> bool:
    ink = np.zeros((2, 16))
    ink[1, : len(levels)] = levels
    read = SimpleNamespace(grid=SimpleNamespace(ink=ink))
    match = ScreenMatch("", tuple((1, column) for column in range(len(levels))))
    return valuecells.faint_digit(read, match, kind)  # type: ignore[arg-type]


def test_faint_beside_lit_digits_for_a_prm_or_a_date_by_the_median_for_an_index() -> None:
    glare = [1.4, 1.4, 1.3, 1.2, 1.0, 0.76, 0.54, 0.45, 0.48, 0.72, 0.8, 1.0, 1.0, 1.0]
    residue = [1.0] * 13 + [0.3]  # a previous screen's digit beside the value's last
    for kind in (ScreenKind.PRM, ScreenKind.DATE):
        assert not _faint(glare, kind)
        assert _faint(residue, kind)
    # an index has no length to check: noise glued before it in a glare's shade counts
    assert _faint([0.31, 0.42, 0.47, 0.63, 1.0, 1.21, 1.4, 1.58, 1.97], ScreenKind.INJECTION_INDEX)
    assert not _faint([0.31, 0.42, 0.47, 0.63, 1.0, 1.21, 1.4, 1.58, 1.97], ScreenKind.PRM)
