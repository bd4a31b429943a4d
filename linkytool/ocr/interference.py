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

import numpy as np
import numpy.typing as npt
from PIL import Image

from linkytool.ocr.imaging import from_array
from linkytool.ocr.lcd_layout import PANEL_W
from linkytool.ocr.rectify import BORDER
from linkytool.ocr.settings import SETTINGS

FloatArray = npt.NDArray[np.float64]

#: Frequencies [cycles a dot pitch] searched: over the pitch's (with a margin for the
#: warp's perspective), and at least this far from every lattice harmonic.
_FINER_THAN = 1.15
_OFF_LATTICE = 0.15
#: Bins [FFT bins] taken out around a peak (the perspective smears it over a few).
_NOTCH = 3
#: Bins [FFT bins] around a peak that belong to it when other peaks are compared.
_ALONE = 8
#: At most this many peaks taken out (a sinusoid and its mirror count as one).
_MAX_PEAKS = 2


def _band(shape: tuple[int, int], px_per_dot: float) -> npt.NDArray[np.bool_]:
    """The FFT bins finer than the dot pitch and off the standard lattice's harmonics."""
    fy = np.fft.fftfreq(shape[0])[:, None] * px_per_dot
    fx = np.fft.fftfreq(shape[1])[None, :] * px_per_dot
    near = np.hypot(fx - np.round(fx), fy - np.round(fy))
    band: npt.NDArray[np.bool_] = (np.hypot(fx, fy) > _FINER_THAN) & (near > _OFF_LATTICE)
    return band


def _signed(index: int, size: int) -> int:
    return index - size if index > size // 2 else index


def _around(shape: tuple[int, int], row: int, col: int, radius: int) -> npt.NDArray[np.bool_]:
    """The bins within ``radius`` of (``row``, ``col``) and of its mirror through 0."""
    height, width = shape
    rows, cols = np.ogrid[:height, :width]
    near = np.zeros(shape, dtype=bool)
    for r, c in ((row, col), ((-row) % height, (-col) % width)):
        dr = np.minimum(np.abs(rows - r), height - np.abs(rows - r))
        dc = np.minimum(np.abs(cols - c), width - np.abs(cols - c))
        near |= (dr <= radius) & (dc <= radius)
    return near


def interference_peaks(grey: FloatArray) -> list[tuple[int, int, float]]:
    """(row bin, column bin, strength over the band's median) of each peak taken out.

    A stripe is one sinusoid: its peak stands ``Settings.interference_peak`` times over
    the band's median and ``Settings.interference_alone`` times over every other peak
    of the band (the dots' and the glyphs' harmonics come in families of like height:
    the cells repeat along the line), and it is not mirrored across the panel's axes
    (its column frequency's sign changed holds under ``Settings.interference_mirror``
    of its magnitude: a rectangular dot lattice, a wide panel's whose pitch is not the
    standard one, is symmetric about its axes, a slanted stripe is not). A peak within
    the notch of an axis cannot be told from its mirror and is left."""
    height, width = grey.shape
    px_per_dot = width / (PANEL_W + 2 * BORDER)
    band = _band((height, width), px_per_dot)
    window = np.outer(np.hanning(height), np.hanning(width))
    magnitude = np.abs(np.fft.fft2((grey - grey.mean()) * window))
    level = float(np.median(magnitude[band]))
    if level <= 0:
        return []
    left = np.where(band, magnitude, 0.0)
    peaks: list[tuple[int, int, float]] = []
    while len(peaks) < _MAX_PEAKS:
        row, col = (int(i) for i in np.unravel_index(int(np.argmax(left)), left.shape))
        peak = float(left[row, col])
        rest = np.where(_around(left.shape, row, col, _ALONE), 0.0, left)
        off_axes = min(abs(_signed(row, height)), abs(_signed(col, width))) > 2 * _NOTCH
        if not (
            peak >= SETTINGS.interference_peak * level
            and peak >= SETTINGS.interference_alone * float(rest.max())
            and off_axes
            and float(magnitude[row, (-col) % width]) < SETTINGS.interference_mirror * peak
        ):
            break
        peaks.append((row, col, peak / level))
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
    spectrum = np.fft.fft2(grey)
    for row, col, _ in peaks:
        spectrum[_around(grey.shape, row, col, _NOTCH)] = 0.0
    return from_array(np.fft.ifft2(spectrum).real.astype(np.float32))
