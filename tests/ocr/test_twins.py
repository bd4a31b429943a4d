"""Two digit cells drawn alike are one digit (ocrZ, :mod:`linkytool.ocr.twins`).

The photo is ``bench/ocr_accuracy.py --font x11_5x7 --level hard --seed 105012``, photo
40, the X11 5x7 set held out, regenerated from its seed: the PRM ``15435383411418``
shows two X11 8s 4.6 dots apart (the panel's clear 1s up to 4.9 dots from each other);
blur closes their upper loops, one reads 8, the other 0 by 0.06 dot.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import read_photo, valuecells
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts
from linkytool.ocr.twins import panel_noise, twin_costs

from .conftest import bench_photo


def _costs(*rows: dict[int, float]) -> np.ndarray:
    out = np.full((len(rows), 10), 9.0)
    for at, row in enumerate(rows):
        for digit, cost in row.items():
            out[at, digit] = cost
    return out


def test_a_thin_cell_takes_the_digit_it_and_its_twin_fit_best() -> None:
    cells = np.zeros((4, 35))
    cells[0, :2] = 1.0  # two clear 1s, 2 dots apart: the panel's noise
    cells[1, :4] = 1.0
    cells[2, 10:13] = 1.0  # the twins, 1 dot apart, far from the 1s
    cells[3, 10:14] = 1.0
    costs = _costs({1: 1.0}, {1: 1.2}, {8: 3.0, 0: 3.5}, {0: 3.4, 8: 3.5})
    assert panel_noise(cells, costs, np.array([True, True, False, False])) == 2.0
    out, changed = twin_costs(cells, costs, letters=1.0)
    assert changed
    assert np.argmin(out, axis=1).tolist() == [1, 1, 8, 8]
    # a twin beyond the panel's noise is no twin
    cells[3, 20:30] = 1.0
    assert twin_costs(cells, costs, letters=1.0) == (costs, False)
    # nor one the panel's rules already moved (its costs are no longer the templates')
    cells[3, 20:30] = 0.0
    plain = costs.copy()
    plain[3, 0] = 3.0
    assert not twin_costs(cells, costs, 1.0, plain)[1]


def test_an_x11_8_read_0_beside_its_twin_read_8_is_an_8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x7", "hard", 40, seed=105012)
    assert truth == "15435383411418"
    with use_template_fonts(tuple(name for name in template_fonts() if name != "x11_5x7")):
        reading = read_photo(photo)
        assert (reading.value, reading.confident) == (truth, False)
        monkeypatch.setattr(valuecells, "twin_costs", lambda cells, costs, *_: (costs, False))
        before = read_photo(photo)
    assert before.value == "15435383411410"
