"""A second degradation model, from the camera's point of view (``PhotoSpec(camera=True)``).

The levels (:mod:`ocrsynth.photometric`) degrade the scene; this model adds what a phone
camera does to it, with its own ranges, so that a reader tuned on the levels is measured on
degradations it was not tuned on: defocus and hand-shake blur, an exposure and white-balance
error, the moiré of a screen's dot lattice beating with the sensor's pixel grid, a
specular reflection on the window glass, a finger over a corner of the frame, and a phone
JPEG quality of 60-92. Drawn from a child generator: the photo's other draws stay the same.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from ocrsynth import degrade, scene
from ocrsynth.draws import Draws

#: Ranges of the camera model (named draws, recorded in the truth's ``params``).
DEFOCUS_DOTS = (0.0, 0.45)
SHAKE_PROB = 0.5
SHAKE_DOTS = (0.2, 1.0)
EXPOSURE = (0.65, 1.35)
WHITE_BALANCE = 0.2
MOIRE_PROB = 0.5
MOIRE_AMPLITUDE = (3.0, 10.0)
SPECULAR_PROB = 0.5
SPECULAR_STRENGTH = (0.3, 0.8)
FINGER_PROB = 0.25
JPEG_QUALITY = (60, 92)
#: Skin tones of a finger over a corner (RGB).
_SKINS = ((232, 190, 160), (214, 164, 128), (176, 122, 88), (120, 80, 56))


def apply_camera(image: Image.Image, quad: np.ndarray | None, draw: Draws) -> Image.Image:
    """The upright photo as the phone's camera records it; ``quad`` = the LCD panel."""
    cam = draw.child()
    width, height = image.size
    pitch = float(draw.params.get("dot_pitch_px", width / 400))
    image = degrade.optical_blur(image, cam.uniform("camera_defocus_dots", DEFOCUS_DOTS) * pitch)
    if cam.chance("camera_shake", SHAKE_PROB):
        length = cam.uniform("camera_shake_dots", SHAKE_DOTS) * pitch
        image = degrade.motion_blur(image, length, cam.uniform("camera_shake_angle", (0.0, 180.0)))
    if quad is not None and cam.chance("camera_specular", SPECULAR_PROB):
        lcd_w = float(np.linalg.norm(quad[1] - quad[0]))
        centre = (
            float(quad[:, 0].mean() + cam.rng.uniform(-0.4, 0.4) * lcd_w),
            float(quad[:, 1].mean() + cam.rng.uniform(-0.1, 0.1) * lcd_w),
        )
        image = degrade.glare(
            image,
            centre=centre,
            radii=(0.12 * lcd_w, 0.05 * lcd_w),
            strength=cam.uniform("camera_specular_strength", SPECULAR_STRENGTH),
        )
    if cam.chance("camera_moire", MOIRE_PROB):
        image = _moire(image, cam)
    gains = [round(float(g), 3) for g in cam.rng.uniform(1 - WHITE_BALANCE, 1 + WHITE_BALANCE, 3)]
    cam.put("camera_white_balance", gains)
    image = degrade.tone(
        image,
        contrast=1.0,
        exposure=cam.uniform("camera_exposure", EXPOSURE),
        gains=(gains[0], gains[1], gains[2]),
    )
    if cam.chance("camera_finger", FINGER_PROB):
        corner = int(cam.put("camera_finger_corner", int(cam.rng.integers(0, 4))))
        tip = ((0.08, 0.1), (0.92, 0.1), (0.92, 0.9), (0.08, 0.9))[corner]
        angle = (225.0, 315.0, 45.0, 135.0)[corner]  # towards the hand, out of the frame
        skin = _SKINS[int(cam.rng.integers(0, len(_SKINS)))]
        image = scene.draw_finger(
            image, (tip[0] * width, tip[1] * height), angle, 0.18 * min(width, height), skin
        )
    return image


def _moire(image: Image.Image, cam: Draws) -> Image.Image:
    """Beating of the dot lattice with the sensor grid: a fine sinusoidal pattern."""
    width, height = image.size
    period = cam.uniform("camera_moire_period_px", (2.2, 6.0))
    angle = math.radians(cam.uniform("camera_moire_angle", (0.0, 180.0)))
    amplitude = cam.uniform("camera_moire_amplitude", MOIRE_AMPLITUDE)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    phase = (xs * math.cos(angle) + ys * math.sin(angle)) * (2 * math.pi / period)
    pattern = (np.sin(phase) * amplitude)[..., None]
    pixels = np.asarray(image, dtype=np.float32) + pattern
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def camera_jpeg_quality(draw: Draws) -> int:
    """A phone's JPEG quality (60-92)."""
    low, high = JPEG_QUALITY
    return int(draw.put("camera_jpeg_quality", int(draw.child().rng.integers(low, high + 1))))
