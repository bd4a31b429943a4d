"""A fine periodic pattern over the rectified panel, measured and taken out (issue 13, ocr54b).

A phone's photo can carry a stripe pattern that is not the screen's: a sensor's beat or
a lamp's flicker banding, one sinusoid across the frame (the camera model's moiré,
``ocrsynth.camera``: 3-10 grey levels, a period of 2.2-6 photo pixels). Finer than the
dot pitch, it is not a glyph's: a screen draws nothing between its dots but the dot's
own outline, whose harmonics sit on the lattice (whole cycles a pitch along each axis).
Sampled at the dots it beats with them into bands a few dot rows apart, which blank
cells read as ``E``, ``M`` or ``5`` (tuning seed 157001, camera hard photo 19: the
index's blank cells read ``EE59MF`` under stripes 4.5 rectified px apart).

:func:`without_interference` finds the strongest spectral peak of the panel finer than
the pitch and away from the standard lattice's harmonics, and takes it out (with the
few bins the warp's perspective smears it over) only when it is a lone sinusoid
(:func:`interference_peaks`: far over the band's level, far over every other peak, not
mirrored across the panel's axes); then the next one. A panel without such a peak is
returned as it is, the same image: its reading does not change.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.imaging import from_array
from linkytool.ocr.lcd_layout import PANEL_W
from linkytool.ocr.rectify import BORDER, PX_PER_DOT
from linkytool.ocr.settings import SETTINGS

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Frequencies [cycles a dot pitch] searched: over the pitch's (with a margin for the
#: warp's perspective), and at least this far from every lattice harmonic.
_FINER_THAN = 1.15
_OFF_LATTICE = 0.15
#: Bins [FFT bins of the measured area] taken out around a peak (the perspective smears
#: it over a few).
_NOTCH = 3
#: Bins around a peak that belong to it when other peaks are compared.
_ALONE = 8
#: At most this many peaks taken out (a sinusoid and its mirror count as one).
_MAX_PEAKS = 2
#: The measured area [px of a 6 px pitch panel]: the panel's middle, inside the bezel,
#: at sizes the FFT factors quickly (a 6 px panel is 168 x 642 px).
_AREA = (128, 600)


@cache
def _spectrum_frame(
    shape: tuple[int, int], px_per_dot: float
) -> tuple[npt.NDArray[np.float32], BoolArray]:
    """The measured area's window (Hann) and band: the real FFT's bins (rows, the first
    half of the columns) finer than the dot pitch and off the standard lattice's
    harmonics."""
    height, width = shape
    window = np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    fy = np.fft.fftfreq(height)[:, None] * px_per_dot
    fx = np.fft.rfftfreq(width)[None, :] * px_per_dot
    near = np.hypot(fx - np.round(fx), fy - np.round(fy))
    band: BoolArray = (np.hypot(fx, fy) > _FINER_THAN) & (near > _OFF_LATTICE)
    return window, band


def _around(shape: tuple[int, int], row: int, col: int, radius: int) -> BoolArray:
    """The real FFT's bins (``shape``: rows, half the columns) within ``radius`` of
    (``row``, ``col``) or of its mirror through 0 (folded back into the half)."""
    height = shape[0]
    rows, cols = np.ogrid[: shape[0], : shape[1]]
    dr = np.minimum(np.abs(rows - row), height - np.abs(rows - row))
    near: BoolArray = (dr <= radius) & (np.abs(cols - col) <= radius)
    mirror = (-row) % height
    dm = np.minimum(np.abs(rows - mirror), height - np.abs(rows - mirror))
    folded: BoolArray = near | ((dm <= radius) & (cols + col <= radius))
    return folded


def interference_peaks(grey: FloatArray) -> list[tuple[float, float, float]]:
    """(row and column frequency [cycles a px], strength over the band's median) of
    each peak to take out, measured on the panel's middle (:data:`_AREA`, scaled).

    A stripe is one sinusoid: its peak stands ``Settings.interference_peak`` times over
    the band's median and ``Settings.interference_alone`` times over every other peak
    of the band (the dots' and the glyphs' harmonics come in families of like height:
    the cells repeat along the line), and it is not mirrored across the panel's axes
    (its column frequency's sign changed holds under ``Settings.interference_mirror``
    of its magnitude: a rectangular dot lattice, a wide panel's whose pitch is not the
    standard one, is symmetric about its axes, a slanted stripe is not). A peak within
    ``2 * _NOTCH`` bins of an axis cannot be told from its mirror and is left."""
    height, width = grey.shape
    px_per_dot = width / (PANEL_W + 2 * BORDER)
    scale = px_per_dot / PX_PER_DOT
    rows, cols = (
        min(size, round(area * scale)) for size, area in zip(grey.shape, _AREA, strict=True)
    )
    top, left_edge = (height - rows) // 2, (width - cols) // 2
    area = grey[top : top + rows, left_edge : left_edge + cols].astype(np.float32)
    window, band = _spectrum_frame((rows, cols), px_per_dot)
    magnitude = np.abs(np.fft.rfft2((area - area.mean()) * window))
    level = float(np.median(magnitude[band]))
    if level <= 0:
        return []
    left = np.where(band, magnitude, 0.0)
    peaks: list[tuple[float, float, float]] = []
    while len(peaks) < _MAX_PEAKS:
        row, col = (int(i) for i in np.unravel_index(int(np.argmax(left)), left.shape))
        peak = float(left[row, col])
        rest = np.where(_around(left.shape, row, col, _ALONE), 0.0, left)
        signed_row = row - rows if row > rows // 2 else row
        # the mirror (row, -col) of a real image's spectrum is (-row, col)'s conjugate
        mirror = float(magnitude[(-row) % rows, col])
        if not (
            peak >= SETTINGS.interference_peak * level
            and peak >= SETTINGS.interference_alone * float(rest.max())
            and min(abs(signed_row), col) > 2 * _NOTCH
            and mirror < SETTINGS.interference_mirror * peak
        ):
            break
        peaks.append((signed_row / rows, col / cols, peak / level))
        left = rest
    return peaks


def without_interference(panel: Image.Image) -> Image.Image:
    """``panel`` (one channel, rectified) without the fine periodic pattern it carries
    (:func:`interference_peaks`), or ``panel`` itself when it carries none."""
    if SETTINGS.interference_peak <= 0:
        return panel
    grey = np.asarray(panel, dtype=np.float64)
    peaks = interference_peaks(grey)
    if not peaks:
        return panel
    height, width = grey.shape
    scale = width / (PANEL_W + 2 * BORDER) / PX_PER_DOT
    spectrum = np.fft.fft2(grey)
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.fftfreq(width)[None, :]
    # a bin of the measured area, in cycles a px
    reach_y, reach_x = ((_NOTCH + 0.5) / round(area * scale) for area in _AREA)
    for peak_y, peak_x, _ in peaks:
        for sign in (1.0, -1.0):
            near = (np.abs(fy - sign * peak_y) <= reach_y) & (np.abs(fx - sign * peak_x) <= reach_x)
            spectrum[near] = 0.0
    return from_array(np.fft.ifft2(spectrum).real.astype(np.float32))
