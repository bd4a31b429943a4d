"""``lcdgrid.measure_lattices`` remembers the last maps it measured (lead, stop 50: the
panel search measured one darkness map again for each read of its panel, 78 of 307
measures on the 101 pinned photos). A repeat is served without fitting again, but only
for the same map under the same settings: a test switching a lattice rule off, or
another map, is measured afresh."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from linkytool.ocr import lcdgrid
from linkytool.ocr.rectify import PANEL_H, PANEL_W, PX_PER_DOT, dot_centres
from linkytool.ocr.settings import SETTINGS


def _dots(seed: int) -> np.ndarray:
    """A darkness map of the standard panel with a random half of its dots lit."""
    rng = np.random.default_rng(seed)
    size = (
        (PANEL_H + 2 * lcdgrid.BORDER) * PX_PER_DOT,
        (PANEL_W + 2 * lcdgrid.BORDER) * PX_PER_DOT,
    )
    darkness = np.zeros(size, dtype=np.float32)
    xs, ys = dot_centres()
    for y in ys:
        for x in xs:
            if rng.random() < 0.5:
                darkness[int(y) - 2 : int(y) + 2, int(x) - 2 : int(x) + 2] = 1.0
    return darkness


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    original = lcdgrid._measure_lattices

    def counted(smooth: np.ndarray, px_per_dot: int = PX_PER_DOT) -> list[lcdgrid.Lattice]:
        calls[0] += 1
        return original(smooth, px_per_dot)

    monkeypatch.setattr(lcdgrid, "_measure_lattices", counted)
    monkeypatch.setattr(lcdgrid, "_MEASURED", type(lcdgrid._MEASURED)())
    return calls


def test_the_same_map_is_measured_once_and_gets_the_same_lattices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    darkness = _dots(1)
    first = lcdgrid.measure_lattices(darkness)
    again = lcdgrid.measure_lattices(darkness.copy())
    assert calls == [1]
    assert again == first and again is not first  # a list of its own: callers extend it
    assert [lattice.pitch for lattice in first] == [
        lattice.pitch for lattice in lcdgrid._measure_lattices(darkness)
    ]


def test_another_map_or_other_settings_are_measured_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    darkness = _dots(2)
    lcdgrid.measure_lattices(darkness)
    lcdgrid.measure_lattices(_dots(3))
    assert calls == [2]
    monkeypatch.setattr(lcdgrid, "SETTINGS", dataclasses.replace(SETTINGS, lattice_layout_tie=0.0))
    lcdgrid.measure_lattices(darkness)
    assert calls == [3]
