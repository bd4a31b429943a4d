"""Photographic degradations of a whole photo, drawn per level: camera shake, light,
glare, tone, noise, phone sharpening (the functions themselves live in ``degrade``).
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from ocrsynth import degrade
from ocrsynth.draws import Draws
from ocrsynth.levels import Level


def apply_photometric(
    image: Image.Image, quad: np.ndarray | None, level: Level, draw: Draws
) -> Image.Image:
    rng = draw.rng
    width, height = image.size
    pitch = float(draw.params.get("dot_pitch_px", width / 400))
    if draw.chance("motion", level.motion_prob):
        length = draw.uniform("motion_dots", level.motion_dots) * pitch
        image = degrade.motion_blur(image, length, draw.uniform("motion_angle", (0.0, 180.0)))
    shadow = (
        draw.uniform("shadow_depth", level.shadow_depth)
        if draw.chance("shadow", level.shadow_prob)
        else 0.0
    )
    angle = float(rng.uniform(0, 2 * math.pi))
    centre = (0.5, 0.5) if quad is None else (quad[:, 0].mean() / width, quad[:, 1].mean() / height)
    edge = float(rng.uniform(-0.25, 0.25))
    line = (
        math.cos(angle),
        math.sin(angle),
        centre[0] * math.cos(angle) + centre[1] * math.sin(angle) + edge,
    )
    draw.put("shadow_line", [round(v, 4) for v in line])
    image = degrade.illumination(
        image,
        gradient=draw.uniform("gradient", level.gradient),
        gradient_angle=draw.uniform("gradient_angle", (0.0, 360.0)),
        vignette=draw.uniform("vignette", level.vignette),
        shadow=shadow,
        shadow_line=line,
    )
    if quad is not None and draw.chance("glare", level.glare_prob):
        lcd_w = float(np.linalg.norm(quad[1] - quad[0]))
        radius = draw.uniform("glare_radius", level.glare_radius) * lcd_w
        gx = float(quad[:, 0].mean() + rng.uniform(-0.45, 0.45) * lcd_w)
        gy = float(quad[:, 1].mean() + rng.uniform(-0.15, 0.15) * lcd_w)
        draw.put("glare_centre", [round(gx, 1), round(gy, 1)])
        image = degrade.glare(
            image,
            centre=(gx, gy),
            radii=(radius, radius * float(rng.uniform(0.4, 1.0))),
            strength=draw.uniform("glare_strength", level.glare_strength),
        )
    spread = level.white_balance
    gains = tuple(round(float(g), 3) for g in rng.uniform(1 - spread, 1 + spread, size=3))
    draw.put("white_balance", list(gains))
    contrast = draw.uniform("contrast", level.contrast)
    exposure = draw.uniform("exposure", level.exposure)
    contrast, exposure = _legibility_floor(draw, level, contrast, exposure)
    image = degrade.tone(
        image, contrast=contrast, exposure=exposure, gains=(gains[0], gains[1], gains[2])
    )
    image = degrade.noise(image, draw.uniform("noise", level.noise), rng)
    extra = draw.child()
    if quad is not None and extra.chance("sharpen", level.sharpen_prob):
        image = degrade.sharpen_region(
            image,
            quad,
            radius=max(1.0, 0.5 * pitch),
            percent=round(extra.uniform("sharpen_percent", level.sharpen_percent)),
        )
    return image


#: Relative ink contrast of a panel whose backlight is off (dimmer, greyer background).
_BACKLIGHT_OFF_CONTRAST = 0.8


def _legibility_floor(
    draw: Draws, level: Level, contrast: float, exposure: float
) -> tuple[float, float]:
    """Raise global contrast, then exposure, so the compound ink contrast stays readable.

    Independent draws can stack (backlight off × washed-out LCD × low contrast × dark
    exposure) into a panel nobody can read; a level that promises legibility keeps
    ``lcd_contrast × contrast × exposure × backlight factor`` ≥ ``min_ink_contrast``.
    """
    lcd_contrast = draw.params.get("lcd_contrast")
    if lcd_contrast is None or level.min_ink_contrast <= 0:
        return contrast, exposure
    backlight = 1.0 if draw.params.get("backlight") else _BACKLIGHT_OFF_CONTRAST
    base = float(lcd_contrast) * backlight
    if base * contrast * exposure < level.min_ink_contrast:
        contrast = min(1.0, level.min_ink_contrast / (base * exposure))
        exposure = max(exposure, min(1.0, level.min_ink_contrast / (base * contrast)))
        draw.put("contrast", round(contrast, 4))
        draw.put("exposure", round(exposure, 4))
        draw.put("legibility_floor", True)
    draw.put("ink_contrast", round(base * contrast * exposure, 4))
    return contrast, exposure
