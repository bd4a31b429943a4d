"""A dot's background is the brightest level within ``Settings.background_window``
pitches: small enough to follow a phone's specular highlight, large enough to reach a
blank column beside every cell (lead, stop 44)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import lcdgrid
from linkytool.ocr.lcdgrid import darkness_map
from linkytool.ocr.screenkind import ScreenKind

from .conftest import held_out_verdict

CAMERA = Path(__file__).resolve().parents[1] / "data" / "ocr-camera"
PX = 6  # rectified px a standard pitch


def _highlight(height: int, width: int, centre_y: float) -> np.ndarray:
    """A bright panel (level 150) with a ``screen``-blended highlight five pitches high,
    as ``ocrsynth.degrade.glare`` draws a phone's: no ink at all."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    field = 0.6 * np.exp(
        -2.0 * (((xs - width / 2) / (12 * PX)) ** 2 + ((ys - centre_y) / (5 * PX)) ** 2)
    )
    return np.asarray(255 - (255 - 150.0) * (1 - field), dtype=np.float32)


def test_a_highlight_reads_less_as_ink_where_it_fades(monkeypatch: pytest.MonkeyPatch) -> None:
    """Down a blank panel from a highlight's core, a nine-pitch background keeps the
    core's level for longer: the blank panel reads up to 0.23 dark, as dark as faint ink.
    Five pitches follow the highlight down: 0.14 at most."""
    grey = _highlight(30 * PX, 60 * PX, centre_y=12 * PX)
    below = [(12 + k) * PX for k in range(9)]

    def darkest() -> float:
        return float(darkness_map(grey)[below, 30 * PX].max())

    assert darkest() < 0.15
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(lcdgrid.SETTINGS, background_window=9)
    )
    assert darkest() > 0.2


@pytest.mark.parametrize(
    ("name", "font", "kind", "value"),
    [
        ("x11_5x7-normal-camera-11-85431.jpg", "x11_5x7", ScreenKind.PRM, "09183387238857"),
        ("hd44780-normal-camera-44-85431.jpg", "hd44780", ScreenKind.DATE, "2026-01-02T07:29"),
    ],
)
def test_a_reading_under_a_highlight_is_confident(
    name: str, font: str, kind: ScreenKind, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clear photos with a highlight on the panel, read right but held to confirm with a
    nine-pitch background (the title read `NUMEROW/RM`; a date's 1 unfamiliar), read
    confidently with five; the font held out as in the benchmark."""
    photo = CAMERA / name
    assert held_out_verdict(photo, font) == (kind, value, True)
    monkeypatch.setattr(
        lcdgrid, "SETTINGS", dataclasses.replace(lcdgrid.SETTINGS, background_window=9)
    )
    assert held_out_verdict(photo, font) == (kind, value, False)
