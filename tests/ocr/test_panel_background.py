"""A dot's background is the brightest level of a ``Settings.background_window``-pitch
square, never brighter than the brightest within ``Settings.background_reach`` of a
pitch: near enough to follow a phone's specular highlight, far enough to see the unlit
place beside every dot (stop 44: a 9-pitch square -> 5; stop 45: the bound within a
pitch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import read_photo
from linkytool.ocr.font5x7 import COLS, ROWS, glyph_bits
from linkytool.ocr.imaging import box_blur
from linkytool.ocr.lcdgrid import darkness_map
from linkytool.ocr.reader import SCREEN_OFF
from linkytool.ocr.screenkind import ScreenKind

from .conftest import SAMPLES_PHOTOS, held_out_verdict, square_background_set

CAMERA = Path(__file__).resolve().parents[1] / "data" / "ocr-camera"
PX = 6  # rectified px a standard pitch
PANEL, INK = 150.0, 60.0  # grey levels of the blank panel and of a lit dot


def square_map(grey: np.ndarray, window: int) -> np.ndarray:
    """:func:`darkness_map` over a ``window``-pitch square without the bound within a
    pitch (the reader before stop 45, with its window)."""
    with pytest.MonkeyPatch.context() as patch:
        square_background_set(patch, window)
        return darkness_map(grey)


def _highlight(height: int, width: int, centre_y: float) -> np.ndarray:
    """A bright panel with a ``screen``-blended highlight five pitches high, as
    ``ocrsynth.degrade.glare`` draws a phone's: no ink at all."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    field = 0.6 * np.exp(
        -2.0 * (((xs - width / 2) / (12 * PX)) ** 2 + ((ys - centre_y) / (5 * PX)) ** 2)
    )
    return np.asarray(255 - (255 - PANEL) * (1 - field), dtype=np.float32)


def test_a_highlight_reads_less_as_ink_where_it_fades() -> None:
    """Down a blank panel from a highlight's core, a square background keeps the core's
    level beyond its edge: the blank panel reads up to 0.23 dark over 9 pitches (as dark
    as faint ink), 0.14 over 5. Bounded within a pitch it follows the highlight down:
    under 0.1."""
    grey = _highlight(30 * PX, 60 * PX, centre_y=12 * PX)
    below = [(12 + k) * PX for k in range(9)]

    def darkest(darkness: np.ndarray) -> float:
        return float(darkness[below, 30 * PX].max())

    assert darkest(darkness_map(grey)) < 0.1
    assert darkest(square_map(grey, 5)) > 0.13
    assert darkest(square_map(grey, 9)) > 0.2


def _digits(fill: float, blur: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ten digits (HD44780 design) drawn at ``PX`` px a pitch, square dots of
    ``fill`` of the pitch, blurred (three box passes of radius ``blur`` [px]): the
    image and the (row, col) px of its lit and of its unlit dot centres."""
    text = "0123456789"
    grey = np.full((13 * PX, (len(text) * 6 + 6) * PX), PANEL, dtype=np.float32)
    lit, unlit = [], []
    half = fill * PX / 2
    ys, xs = np.mgrid[0 : grey.shape[0], 0 : grey.shape[1]]
    for k, char in enumerate(text):
        bits = glyph_bits(char)
        for row in range(ROWS):
            for col in range(COLS):
                y, x = (3 + row + 0.5) * PX, (3 + 6 * k + col + 0.5) * PX
                (lit if bits[row, col] else unlit).append((int(y), int(x)))
                if bits[row, col]:
                    grey[(abs(xs - x) <= half) & (abs(ys - y) <= half)] = INK
    for _ in range(3):
        grey = box_blur(grey, blur)
    return grey, np.array(lit), np.array(unlit)


@pytest.mark.parametrize(("fill", "blur"), [(0.85, 1), (0.5, 1), (0.85, 2), (0.85, 3), (0.5, 3)])
def test_lit_and_unlit_dots_stay_as_far_apart(fill: float, blur: int) -> None:
    """Inside a digit the brightest level within a pitch can be a blurred unlit dot, not
    the panel: the lit dots read less dark there. The palest lit dot still stands as far
    above the darkest unlit one as on the 5-pitch map, small dots and heavy blur too."""
    grey, lit, unlit = _digits(fill, blur)

    def apart(darkness: np.ndarray) -> float:
        return float(
            darkness[lit[:, 0], lit[:, 1]].min() - darkness[unlit[:, 0], unlit[:, 1]].max()
        )

    assert apart(darkness_map(grey)) >= apart(square_map(grey, 5)) - 0.002


@pytest.mark.parametrize(
    "case",
    [
        # stop 44: the title read `NUMEROW/RM`; a date's 1 unfamiliar (9-pitch square)
        ("x11_5x7-normal-camera-11-85431.jpg", "x11_5x7", ScreenKind.PRM, "09183387238857", 9),
        ("hd44780-normal-camera-44-85431.jpg", "hd44780", ScreenKind.DATE, "2026-01-02T07:29", 9),
        # stop 45: digits unfamiliar, a layout guess (5-pitch square)
        ("alt-normal-camera-17-85620.jpg", "alt", ScreenKind.DATE, "2025-01-11", 5),
        ("x11_5x7-normal-camera-22-85620.jpg", "x11_5x7", ScreenKind.DATE, "2026-10-17", 5),
    ],
)
def test_a_reading_under_a_highlight_is_confident(
    case: tuple[str, str, ScreenKind, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clear photos with a phone's highlight over the panel, read right but held to
    confirm on the background of a ``window``-pitch square alone, read confidently with
    the background bounded within a pitch; the font held out as in the benchmark."""
    name, font, kind, value, window = case
    photo = CAMERA / name
    assert held_out_verdict(photo, font) == (kind, value, True)
    square_background_set(monkeypatch, window)
    assert held_out_verdict(photo, font) == (kind, value, False)


def test_a_screen_off_keeps_its_advice() -> None:
    """The committed screen-off photo (t19): its panel reads blank, and the user is told
    to press « + ». The bound within a pitch holds inside the panel only: applied to the
    rectified image's border too, it made the darker bezel a line of dots one pitch wide
    on which the grid of the panel turned 180° read ('               1',
    '...............J'), and the advice became « Titre de l'écran illisible ». Read here,
    not from the session's store: a pin of ``test_lcdgrid.py`` reads t19 on the 9-pitch
    square, and whichever test reads first fills the store."""
    reading = read_photo(SAMPLES_PHOTOS / "t19-screen-off.jpg")
    assert reading.value is None and reading.lines == ()
    assert reading.warnings == (SCREEN_OFF,)
