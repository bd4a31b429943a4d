"""How large the screen's dots are in the photo, and what to tell a user whose screen is
too small in it.

The panel's dot pitch in the photo [px] is the largest single factor in whether a hard
photo reads confidently (ocr43b's census, docs/ocr.md "twelfth pass": under 4 px a dot
pitch 41 % of the exact fields read confidently, from 4 px on 81.5 %). A reading that is
to confirm on such a photo cannot be mended by the reader: the user can, by stepping
closer or zooming, and is told so in French.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from linkytool.ocr.lcdgrid import GridSample
from linkytool.ocr.rectify import quad_pitches
from linkytool.ocr.settings import SETTINGS


def dot_pitch_px(quad: npt.NDArray[np.float64], grid: GridSample) -> float:
    """The panel's dot pitch in the photo [photo px], the smaller of its two axes.

    ``quad`` is the panel's corners TL, TR, BR, BL in the photo [px], rectified onto
    ``PANEL_W × PANEL_H`` standard pitches of ``grid.px_per_dot`` px; a lattice measured
    on the rectified panel gives its own pitch [rectified px] (a wide panel holds more
    pitches than the standard layout), else the standard pitch is the dot pitch.
    """
    standard_x, standard_y = quad_pitches(quad)  # photo px a standard pitch
    if grid.lattice is None:
        return min(standard_x, standard_y)
    pitch_x, pitch_y = grid.lattice.pitch
    return float(
        min(pitch_x * standard_x / grid.px_per_dot, pitch_y * standard_y / grid.px_per_dot)
    )


def small_screen_remark(pitch: float) -> str | None:
    """The advice for a reading to confirm whose screen's dot pitch is ``pitch`` [px of
    the image read]: None when the dots are large enough (``Settings.small_screen_pitch``).

    No figure is shown, neither the pitch nor the bound: on a wide panel read on the
    standard layout the measure can be a third off (lead, stop 43: 1.4 px measured for
    2.1 drawn), and the image read is the photo decoded at about 2000-2600 px
    (``loading.DECODE_SIZE``, ``WORKING_SIZE``), so a 4032 px photo is read at half its
    size: its dots drawn 8.2 px apart measured 4 (ocr53b, stop 53), and « moins de 4
    pixels par point » was false of the photo the user sees. What helps either way is
    a screen larger in the frame, which the advice says."""
    if pitch >= SETTINGS.small_screen_pitch:
        return None
    return (
        "L'écran est trop petit sur la photo pour une lecture sûre : rapprochez-vous ou "
        "zoomez pour qu'il occupe une plus grande part de l'image, puis reprenez la photo."
    )


__all__ = ["dot_pitch_px", "small_screen_remark"]
