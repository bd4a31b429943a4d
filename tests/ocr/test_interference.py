"""A lone fine stripe over the rectified panel is taken out before the dots are sampled
(issue 13, ocr54b, stop 54).

The camera model's moiré (``ocrsynth.camera``: one sinusoid of 3-10 grey levels and a
period of 2.2-6 photo pixels across the photo) is finer than the dot pitch on most
panels. Sampled at the dots it beats with them into bands a few dot rows apart, and on
a dim, defocused panel the blank cells read those bands as glyphs: tuning seed 157001
(``bench/ocr_accuracy.py --camera --level hard --font all --count 20 --seed 157001``),
photo 19 (``INDEX INJECTION / 332913 kWh``, 4.6 photo px a pitch, defocus 0.43 pitch,
a moiré of 9.4 grey levels every 3.4 px) read its blank cells ``EE59MF`` and ``E``
around the index in every font (plain held out). A screen draws nothing finer than its
dots but the dot's outline, whose harmonics sit on the lattice, and its glyphs'
harmonics come in families of like height (the cells repeat along the line): a lone
spectral peak finer than the pitch, far over every other, not mirrored across the
panel's axes, is not the screen's (``interference.interference_peaks``).

Drawn here: the index panel defocused 0.43 pitch, its contrast a quarter of a clean
panel's, under a stripe of 12 grey levels every 4.4 rectified px at 80°.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from PIL import Image, ImageFilter

from linkytool.ocr import interference
from linkytool.ocr.interference import interference_peaks, without_interference
from linkytool.ocr.panel import VARIANTS, read_panel
from linkytool.ocr.settings import SETTINGS
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import drawn_panel

INDEX = ("INDEX INJECTION ", "      332913 kWh")
BACKGROUND = np.array([176, 212, 118], dtype=np.float32)  # conftest.clean_panel's


def _panel(
    lines: tuple[str, str] = INDEX,
    geometry: LcdGeometry | None = None,
    *,
    blur: float = 2.6,
    fade: float = 0.25,
    stripe: float = 0.0,
) -> Image.Image:
    """``lines`` drawn (HD44780) on a rectified panel, blurred ``blur`` px (6 px a
    pitch), its ink faded to ``fade`` of its contrast, under a stripe of ``stripe``
    grey levels every 4.4 px at 80°."""
    image = drawn_panel(
        geometry or LcdGeometry(),
        Screen("injection_index", lines, None),
        font="hd44780",
        dot_fill=0.85,
    )
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(blur)), dtype=np.float32)
    pixels = BACKGROUND + (pixels - BACKGROUND) * fade
    ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    angle = math.radians(80.0)
    phase = (xs * math.cos(angle) + ys * math.sin(angle)) * 2 * math.pi / 4.4
    pixels += (stripe * np.sin(phase))[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    off = dataclasses.replace(SETTINGS, interference_peak=0.0)
    monkeypatch.setattr(interference, "SETTINGS", off)


def test_a_stripe_over_a_dim_panel_reads_as_glyphs_in_blank_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    image = _panel(stripe=12.0)
    assert read_panel(image, VARIANTS[0]).text[1] == INDEX[1]
    _switched_off(monkeypatch)
    text = read_panel(image, VARIANTS[0]).text[1]
    assert text != INDEX[1]
    # the blank cells hold the stripe's bands, not the index's ink
    assert any(c != " " for c, truth in zip(text, INDEX[1], strict=True) if truth == " ")


def test_the_stripe_is_found_and_the_panel_without_it_is_left_alone() -> None:
    striped = np.asarray(_panel(stripe=12.0).convert("L"), dtype=np.float64)
    assert len(interference_peaks(striped)) == 1
    plain = _panel().convert("L")
    assert not interference_peaks(np.asarray(plain, dtype=np.float64))
    assert without_interference(plain) is plain  # the same image: the same reading


@pytest.mark.parametrize(
    ("lines", "geometry"),
    [
        (("4" * 16, "4" * 16), LcdGeometry(columns=20)),
        (("8" * 16, "8" * 16), LcdGeometry(columns=20, char_gap=2)),
        ((" DATE COURANTE  ", "11/09/2027 16:24"), LcdGeometry()),
        (("NUMERO PRM      ", "77777777777777  "), LcdGeometry(cell_rows=8, line_gap=2)),
    ],
)
def test_a_sharp_panel_s_own_harmonics_are_no_stripe(
    lines: tuple[str, str], geometry: LcdGeometry
) -> None:
    """Sharp, full-contrast panels: the glyphs' harmonics stand high over the band's
    median (100-1350 times), as a family; a 20-column panel's lattice (not the standard
    pitch) stands alone, mirrored across the axes."""
    for blur in (0.0, 1.0, 2.5):
        grey = np.asarray(_panel(lines, geometry, blur=blur, fade=1.0).convert("L"), float)
        assert not interference_peaks(grey)


def test_the_glyphs_harmonics_are_held_by_their_family(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A line of slashes, nearly sharp: its harmonics stand 300 times over the band's
    median, off the axes, but among their like (the other slashes'): without
    ``interference_alone`` they would be notched out of the panel."""
    grey = np.asarray(_panel(("7" * 16, "/" * 16), blur=1.0, fade=1.0).convert("L"), float)
    assert not interference_peaks(grey)
    alone = dataclasses.replace(SETTINGS, interference_alone=0.0)
    monkeypatch.setattr(interference, "SETTINGS", alone)
    assert interference_peaks(grey)
