"""Difficulty levels: the ranges each degradation parameter is drawn from.

Blur is expressed in LCD dot pitches (so "hard" is equally hard on a 1600 px and a 4000
px photo); ``lcd_fraction`` is the LCD panel's width over the upright photo's width,
floored by ``min_lcd_px`` so that a character never falls under ~13 px of height on a
small photo (levels up to ``hard`` must stay legible to a person). ``extreme`` is not
meant to be read: it checks that a reader flags what it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

Range = tuple[float, float]


@dataclass(frozen=True)
class Level:
    """Parameter ranges of one difficulty level (uniform draws unless stated)."""

    name: str
    #: LCD panel width / upright photo width.
    lcd_fraction: Range
    #: Floor of the LCD panel width [px] (≈ 101 dot pitches).
    min_lcd_px: int
    #: Maximum |in-plane rotation| [°].
    roll: float
    #: Maximum |yaw| and |pitch| of the camera relative to the meter [°].
    tilt: float
    #: Maximum offset of the LCD centre from the photo centre [fraction of each side].
    offset: float
    #: Gaussian defocus sigma [LCD dot pitches].
    blur_dots: Range
    #: Probability and length [dot pitches] of camera-shake blur.
    motion_prob: float
    motion_dots: Range
    #: Sensor noise sigma [grey levels].
    noise: Range
    #: JPEG quality.
    jpeg_quality: tuple[int, int]
    #: Probability that the LCD backlight is on.
    backlight_prob: float
    #: LCD ink strength (1 = full contrast).
    lcd_contrast: Range
    #: Global contrast around mid-grey.
    contrast: Range
    #: Exposure gain.
    exposure: Range
    #: Darkening across the frame (linear gradient) and in the corners (vignette).
    gradient: Range
    vignette: Range
    #: Probability and depth (darkening) of a cast shadow edge.
    shadow_prob: float
    shadow_depth: Range
    #: Probability, strength (0..1) and radius [LCD widths] of a glare spot on the glass.
    glare_prob: float
    glare_strength: Range
    glare_radius: Range
    #: Probability that the alternative glyph set is used.
    alt_font_prob: float
    #: Probability that the photo carries no EXIF (stripped by a messaging app).
    no_exif_prob: float
    #: Whether a person can read every photo of this level (ground truth "legible").
    legible: bool = True
    #: Floor of lcd_contrast × contrast × exposure × (0.8 if backlight off) (0 = none).
    min_ink_contrast: float = 0.0
    #: Probability that the panel's margins and dot aspect differ from the standard
    #: 3-pitch margins and square pitch, and the ranges drawn then.
    geometry_prob: float = 0.0
    margin_x: Range = (2.5, 6.0)
    margin_y: Range = (2.0, 4.5)
    dot_aspect: Range = (1.0, 1.15)
    #: Strength of the surroundings reflected by the window glass.
    reflection: Range = (0.0, 0.0)
    #: Maximum number of dust specks / fine scratches on the glass.
    dust_max: int = 0
    #: Probability that a finger pressing "+" is in the picture.
    finger_prob: float = 0.0
    #: Probability of phone sharpening (unsharp mask) and its strength [%].
    sharpen_prob: float = 0.0
    sharpen_percent: Range = (40.0, 120.0)
    #: Probability that the phone's clock disagrees with the meter (EXIF time skewed).
    exif_skew_prob: float = 0.0
    #: Probability that the photo is badly framed: part of the LCD out of the picture.
    cut_prob: float = 0.0
    #: White-balance error: each channel's gain drawn in 1 ± this (tungsten, shade...).
    white_balance: float = 0.08
    #: Probability that the LCD uses a variant ROM (one dot flipped in half the glyphs).
    rom_variant_prob: float = 0.0
    #: Probability that the previous screen still fades on the LCD, and its strength.
    transition_prob: float = 0.0
    transition_strength: Range = (0.08, 0.18)


LEVELS: Mapping[str, Level] = MappingProxyType(
    {
        "easy": Level(
            name="easy",
            lcd_fraction=(0.40, 0.60),
            min_lcd_px=600,
            roll=1.0,
            tilt=3.0,
            offset=0.05,
            blur_dots=(0.0, 0.1),
            motion_prob=0.0,
            motion_dots=(0.0, 0.0),
            noise=(0.0, 2.0),
            jpeg_quality=(88, 95),
            backlight_prob=0.9,
            lcd_contrast=(0.9, 1.0),
            contrast=(0.95, 1.0),
            exposure=(0.95, 1.05),
            gradient=(0.0, 0.1),
            vignette=(0.0, 0.1),
            shadow_prob=0.0,
            shadow_depth=(0.0, 0.0),
            glare_prob=0.0,
            glare_strength=(0.0, 0.0),
            glare_radius=(0.1, 0.2),
            alt_font_prob=0.1,
            no_exif_prob=0.0,
            min_ink_contrast=0.75,
            reflection=(0.0, 0.05),
            sharpen_prob=0.3,
            white_balance=0.04,
        ),
        "normal": Level(
            name="normal",
            lcd_fraction=(0.25, 0.50),
            min_lcd_px=400,
            roll=3.0,
            tilt=8.0,
            offset=0.12,
            blur_dots=(0.0, 0.2),
            motion_prob=0.1,
            motion_dots=(0.2, 0.5),
            noise=(1.0, 5.0),
            jpeg_quality=(70, 92),
            backlight_prob=0.7,
            lcd_contrast=(0.7, 1.0),
            contrast=(0.8, 1.0),
            exposure=(0.8, 1.1),
            gradient=(0.0, 0.3),
            vignette=(0.0, 0.25),
            shadow_prob=0.25,
            shadow_depth=(0.2, 0.45),
            glare_prob=0.3,
            glare_strength=(0.15, 0.4),
            glare_radius=(0.1, 0.35),
            alt_font_prob=0.2,
            no_exif_prob=0.1,
            geometry_prob=0.3,
            min_ink_contrast=0.45,
            reflection=(0.0, 0.15),
            dust_max=3,
            finger_prob=0.15,
            sharpen_prob=0.5,
            exif_skew_prob=0.05,
            transition_prob=0.05,
        ),
        "hard": Level(
            name="hard",
            lcd_fraction=(0.14, 0.32),
            min_lcd_px=280,
            roll=10.0,
            tilt=18.0,
            offset=0.2,
            blur_dots=(0.1, 0.35),
            motion_prob=0.3,
            motion_dots=(0.3, 0.8),
            noise=(3.0, 10.0),
            jpeg_quality=(45, 80),
            backlight_prob=0.4,
            lcd_contrast=(0.55, 0.9),
            contrast=(0.65, 0.95),
            exposure=(0.6, 1.2),
            gradient=(0.1, 0.5),
            vignette=(0.1, 0.4),
            shadow_prob=0.5,
            shadow_depth=(0.3, 0.6),
            glare_prob=0.5,
            glare_strength=(0.3, 0.6),
            glare_radius=(0.1, 0.4),
            alt_font_prob=0.3,
            no_exif_prob=0.15,
            geometry_prob=0.5,
            min_ink_contrast=0.33,
            reflection=(0.05, 0.25),
            dust_max=8,
            finger_prob=0.3,
            sharpen_prob=0.5,
            exif_skew_prob=0.1,
            rom_variant_prob=0.25,
            transition_prob=0.15,
            transition_strength=(0.1, 0.25),
            white_balance=0.15,
        ),
        "extreme": Level(
            name="extreme",
            lcd_fraction=(0.06, 0.14),
            min_lcd_px=150,
            roll=25.0,
            tilt=35.0,
            offset=0.3,
            blur_dots=(0.5, 1.2),
            motion_prob=0.5,
            motion_dots=(1.0, 3.0),
            noise=(8.0, 20.0),
            jpeg_quality=(15, 45),
            backlight_prob=0.3,
            lcd_contrast=(0.25, 0.5),
            contrast=(0.35, 0.6),
            exposure=(0.35, 1.4),
            gradient=(0.3, 0.7),
            vignette=(0.3, 0.6),
            shadow_prob=0.7,
            shadow_depth=(0.5, 0.8),
            glare_prob=0.8,
            glare_strength=(0.7, 0.95),
            glare_radius=(0.2, 0.6),
            alt_font_prob=0.3,
            no_exif_prob=0.3,
            legible=False,
            geometry_prob=0.5,
            reflection=(0.1, 0.4),
            dust_max=15,
            finger_prob=0.4,
            sharpen_prob=0.5,
            exif_skew_prob=0.2,
            rom_variant_prob=0.3,
            transition_prob=0.3,
            transition_strength=(0.3, 0.6),
            white_balance=0.2,
            cut_prob=0.2,
        ),
    }
)


def _span(values: tuple[float, float], unit: str = "") -> str:
    low, high = values
    return f"{low:g}{unit}" if low == high else f"{low:g}–{high:g}{unit}"


def levels_table() -> str:
    """The levels as a Markdown table (docs/ocr-synth.md embeds it; a test compares)."""
    rows: list[tuple[str, Callable[[Level], str]]] = [
        ("LCD width / photo width", lambda lv: _span(lv.lcd_fraction)),
        ("LCD width floor [px]", lambda lv: str(lv.min_lcd_px)),
        ("roll (in-plane) [°]", lambda lv: f"±{lv.roll:g}"),
        ("yaw, pitch (perspective) [°]", lambda lv: f"±{lv.tilt:g}"),
        ("LCD centre offset [frame]", lambda lv: f"±{lv.offset:g}"),
        ("defocus σ [dot pitches]", lambda lv: _span(lv.blur_dots)),
        (
            "camera shake: p, length [dots]",
            lambda lv: f"{lv.motion_prob:g}, {_span(lv.motion_dots)}",
        ),
        ("noise σ [grey levels]", lambda lv: _span(lv.noise)),
        ("JPEG quality", lambda lv: _span((float(lv.jpeg_quality[0]), float(lv.jpeg_quality[1])))),
        ("backlight on: p", lambda lv: f"{lv.backlight_prob:g}"),
        ("LCD ink contrast", lambda lv: _span(lv.lcd_contrast)),
        ("global contrast", lambda lv: _span(lv.contrast)),
        ("exposure", lambda lv: _span(lv.exposure)),
        ("white-balance gain error per channel", lambda lv: f"±{lv.white_balance:g}"),
        ("gradient, vignette", lambda lv: f"{_span(lv.gradient)}, {_span(lv.vignette)}"),
        ("shadow edge: p, depth", lambda lv: f"{lv.shadow_prob:g}, {_span(lv.shadow_depth)}"),
        (
            "glare: p, strength, radius [LCD widths]",
            lambda lv: f"{lv.glare_prob:g}, {_span(lv.glare_strength)}, {_span(lv.glare_radius)}",
        ),
        ("alternative glyph set: p", lambda lv: f"{lv.alt_font_prob:g}"),
        ("variant ROM (1 dot off in half the glyphs): p", lambda lv: f"{lv.rom_variant_prob:g}"),
        ("EXIF stripped: p", lambda lv: f"{lv.no_exif_prob:g}"),
        ("EXIF clock skewed (±1–2 h or days): p", lambda lv: f"{lv.exif_skew_prob:g}"),
        (
            "varied panel: p, margins x / y [pitches], dot aspect",
            lambda lv: (
                f"{lv.geometry_prob:g}, {_span(lv.margin_x)} / {_span(lv.margin_y)}, "
                f"{_span(lv.dot_aspect)}"
            ),
        ),
        (
            "glass reflection, dust specks (max)",
            lambda lv: f"{_span(lv.reflection)}, {lv.dust_max}",
        ),
        ("finger pressing +: p", lambda lv: f"{lv.finger_prob:g}"),
        ("LCD partly out of the frame: p", lambda lv: f"{lv.cut_prob:g}"),
        (
            "phone sharpening: p, amount [%]",
            lambda lv: f"{lv.sharpen_prob:g}, {_span(lv.sharpen_percent)}",
        ),
        ("compound ink contrast floor", lambda lv: f"{lv.min_ink_contrast:g}"),
        ("legible (truth)", lambda lv: "yes" if lv.legible else "no"),
    ]
    names = list(LEVELS)
    lines = [
        "| parameter | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(LEVELS[n]) for n in names) + " |")
    return "\n".join(lines)
