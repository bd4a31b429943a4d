"""Synthetic Linky screen photos with ground truth: one photo, or a whole set on disk.

:func:`generate_photo` draws a scene from a :class:`PhotoSpec` and a random generator and
returns the stored image (pixels as the camera writes them, EXIF attached) with its
:class:`PhotoTruth`. :func:`encode_photo` turns it into file bytes (JPEG, PNG, or a
deliberately truncated JPEG). :func:`generate_set` writes ``count`` photos and
``truth.json``; photo ``i`` of seed ``S`` at level ``L`` only depends on (S, L, i).
"""

from __future__ import annotations

import importlib
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from PIL import Image

from linkytool.fileio import atomic_write_bytes, atomic_write_text
from linkytool.ocr.synth import degrade, font5x7, geometry, render, scene, screens
from linkytool.ocr.synth.errors import EncoderUnavailableError
from linkytool.ocr.synth.levels import LEVELS, Level
from linkytool.ocr.synth.screens import Screen

#: What a photo can show; the truth kind of ``screen_off`` is ``not_linky``.
SCENES = ("prm", "date", "injection_index", "other", "not_linky", "screen_off")
#: Default scene mix of a generated set.
DEFAULT_MIX = {
    "prm": 0.28,
    "date": 0.28,
    "injection_index": 0.28,
    "other": 0.10,
    "not_linky": 0.03,
    "screen_off": 0.03,
}
#: Upright photo sizes (landscape; portrait photos swap them) and draw weights.
PHOTO_SIZES = (
    ((1600, 1200), 0.22),
    ((2048, 1536), 0.22),
    ((2592, 1944), 0.2),
    ((1920, 1080), 0.08),
    ((3264, 2448), 0.12),
    ((4000, 3000), 0.08),
    ((4032, 3024), 0.08),
)
PHONES = (
    ("samsung", "SM-A525F"),
    ("Apple", "iPhone 12"),
    ("Apple", "iPhone SE (2nd generation)"),
    ("Xiaomi", "Redmi Note 9 Pro"),
    ("Google", "Pixel 6a"),
    ("OnePlus", "ONEPLUS A6003"),
    ("HUAWEI", "ELE-L29"),
)
PARIS = ZoneInfo("Europe/Paris")
TRUTH_VERSION = 1

#: LCD colours (background, ink) with the backlight on and off.
_LCD_ON = ((176, 212, 118), (28, 40, 24))
_LCD_OFF = ((148, 156, 138), (34, 40, 32))
#: Front-cover colours: Linky green variants, and the light grey of some models.
_COVERS = ((186, 212, 88), (172, 204, 96), (196, 214, 120), (206, 208, 202), (222, 222, 216))


@dataclass(frozen=True)
class PhotoSpec:
    """What to draw; None = draw at random (level ranges apply to everything else).

    ``when``: the meter's date and time shown on a date screen; ``exif_time``: the
    phone's DateTimeOriginal (default: ``when`` + 5..100 s); ``size``: upright (w, h)
    [px]; ``orientation``: EXIF orientation (1, 3, 6 or 8); ``overrides``: fixed values
    for any entry of the ground truth's ``params`` (e.g. ``{"roll": 0.0}``).
    """

    scene: str = "prm"
    level: str = "normal"
    prm: str | None = None
    when: datetime | None = None
    kwh: int | None = None
    date_label: str | None = None
    date_format: str | None = None
    time_shown: bool | None = None
    padding: str | None = None
    ads: str | None = None
    size: tuple[int, int] | None = None
    orientation: int | None = None
    backlight: bool | None = None
    exif: bool | None = None
    exif_time: datetime | None = None
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class PhotoTruth:
    """Ground truth of one synthetic photo (serialised in ``truth.json``).

    ``kind``/``value`` are what ``linkytool.ocr.read_photo`` must return as ``screen`` /
    ``value``; ``lcd_quad`` = the LCD panel's corners TL, TR, BR, BL in stored-pixel
    coordinates (None without a LCD), ``text_quad`` the same for the dot area (margins
    excluded: 95 × 16 dot pitches); ``params`` = every degradation drawn.
    """

    kind: str
    value: str | None
    level: str
    scene: str
    lines: list[str]
    screen: dict[str, Any]
    references: list[str]
    ads: str | None
    legible: bool
    width: int
    height: int
    format: str = "JPEG"
    jpeg_quality: int | None = None
    exif_orientation: int | None = None
    exif_datetime: str | None = None
    lcd_quad: list[list[float]] | None = None
    text_quad: list[list[float]] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    seed: list[int] = field(default_factory=list)
    expect_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (field order as declared)."""
        return asdict(self)


class _Draw:
    """Records every random draw under a name so the truth lists them all."""

    def __init__(self, rng: np.random.Generator, overrides: dict[str, Any]) -> None:
        self.rng = rng
        self.overrides = overrides
        self.params: dict[str, Any] = {}

    def uniform(self, name: str, bounds: tuple[float, float], *, signed: bool = False) -> float:
        low, high = bounds
        value = float(self.rng.uniform(low, high)) if high > low else float(low)
        if signed and self.rng.random() < 0.5:
            value = -value
        return float(self.put(name, round(value, 4)))

    def chance(self, name: str, probability: float) -> bool:
        return bool(self.put(name, bool(self.rng.random() < probability)))

    def child(self) -> _Draw:
        """A recorder on a spawned generator: new draws leave this stream unchanged (so
        photos made before a feature was added stay the same)."""
        child = _Draw(self.rng.spawn(1)[0], self.overrides)
        child.params = self.params
        return child

    def put(self, name: str, value: Any) -> Any:
        value = self.overrides.get(name, value)
        self.params[name] = value
        return value


def _screen_for(spec: PhotoSpec, rng: np.random.Generator) -> Screen:
    if spec.scene == "prm":
        return screens.prm_screen(rng, spec.prm)
    if spec.scene == "date":
        return screens.date_screen(
            rng,
            spec.when,
            label=spec.date_label,
            date_format=spec.date_format,
            time_shown=spec.time_shown,
        )
    if spec.scene == "injection_index":
        return screens.injection_screen(rng, spec.kwh, padding=spec.padding)
    if spec.scene == "other":
        return screens.other_screen(rng)
    return screens.blank_screen()


def _photo_size(spec: PhotoSpec, rng: np.random.Generator) -> tuple[int, int]:
    if spec.size is not None:
        return spec.size
    sizes, weights = zip(*PHOTO_SIZES, strict=True)
    width, height = sizes[int(rng.choice(len(sizes), p=np.array(weights) / sum(weights)))]
    return (height, width) if rng.random() < 0.35 else (width, height)


def _orientation(spec: PhotoSpec, size: tuple[int, int], rng: np.random.Generator) -> int:
    """Phones hold the sensor landscape: portrait shots are mostly stored rotated (6/8)."""
    if spec.orientation is not None:
        return spec.orientation
    width, height = size
    draw = rng.random()
    if height > width:
        return 6 if draw < 0.6 else 8 if draw < 0.7 else 1
    return 3 if draw < 0.05 else 1


def _exif_time(spec: PhotoSpec, screen: Screen, rng: np.random.Generator) -> datetime:
    if spec.exif_time is not None:
        return spec.exif_time
    base = spec.when
    if base is None:
        if screen.kind == screens.KIND_DATE and screen.value is not None:
            base = datetime.fromisoformat(screen.value)
            if "T" not in screen.value:
                base = base.replace(hour=int(rng.integers(8, 19)), minute=int(rng.integers(0, 60)))
        else:
            base = screens.random_datetime(rng)
    return base + timedelta(seconds=int(rng.integers(5, 100)))


def _exif_skew(level: Level, rng: np.random.Generator, draw: _Draw) -> timedelta:
    """A phone clock that disagrees with the meter: an hour (time zone / DST left in
    UTC) or days (clock reset), with the level's probability; 0 otherwise."""
    derived = screens.derived_rng(rng, screens.TAG_EXIF_SKEW)
    seconds = 0
    if derived.random() < level.exif_skew_prob:
        if derived.random() < 0.6:
            seconds = int(derived.choice([-3600, 3600, -7200]))
        else:
            seconds = int(derived.integers(1, 400)) * 86_400 * int(derived.choice([-1, 1]))
    return timedelta(seconds=int(draw.put("exif_skew_s", seconds)))


def _utc_offset(moment: datetime) -> str:
    offset = moment.replace(tzinfo=PARIS).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def _stored_points(points: np.ndarray, size: tuple[int, int], orientation: int) -> np.ndarray:
    """Upright pixel coordinates → stored-pixel coordinates for EXIF ``orientation``."""
    width, height = size
    x, y = points[:, 0], points[:, 1]
    if orientation == 3:
        return np.column_stack([width - x, height - y])
    if orientation == 6:
        return np.column_stack([y, width - x])
    if orientation == 8:
        return np.column_stack([height - y, x])
    return points


def _lcd_style(
    draw: _Draw,
    level: Level,
    *,
    spec: PhotoSpec,
    panel: render.LcdGeometry,
    extra: _Draw,
    screen: Screen,
) -> render.LcdStyle:
    backlight = spec.backlight
    if backlight is None:
        backlight = draw.chance("backlight", level.backlight_prob)
    else:
        draw.put("backlight", backlight)
    base, ink = _LCD_ON if backlight else _LCD_OFF
    tint = draw.rng.integers(-10, 11, size=3)
    background = [int(np.clip(c + t, 0, 255)) for c, t in zip(base, tint, strict=True)]
    font = "alt" if draw.chance("alt_font", level.alt_font_prob) else "hd44780"
    return render.LcdStyle(
        background=(background[0], background[1], background[2]),
        ink=ink,
        ghost=draw.uniform("lcd_ghost", (0.0, 0.06)),
        dot_fill=draw.uniform("dot_fill", (0.78, 0.92)),
        contrast=draw.uniform("lcd_contrast", level.lcd_contrast),
        font=font,
        backlight=backlight,
        sheen=draw.uniform("lcd_sheen", (0.0, 0.15)),
        seed=int(draw.rng.integers(0, 2**31)),
        geometry=panel,
        rom=_rom(draw, level, font),
        **_transition(draw, level, screen),
        reflection=extra.uniform("lcd_reflection", level.reflection),
        dust=int(extra.put("lcd_dust", int(extra.rng.integers(0, level.dust_max + 1)))),
    )


def _transition(draw: _Draw, level: Level, screen: Screen) -> dict[str, Any]:
    """The screen shown before "+" was pressed, still fading (cold, slow LCD), or none."""
    derived = screens.derived_rng(draw.rng, screens.TAG_TRANSITION)
    fading = draw.put("transition", bool(derived.random() < level.transition_prob))
    if not fading or screen.off:
        draw.params["transition"] = False
        return {}
    previous = screens.other_screen(derived).lines
    strength = float(derived.uniform(*level.transition_strength))
    draw.put("previous_lines", list(previous))
    return {
        "previous": previous,
        "previous_strength": draw.put("transition_strength", round(strength, 3)),
    }


def _rom(draw: _Draw, level: Level, font: str) -> dict[str, font5x7.Glyph] | None:
    """A variant ROM with the level's probability (derived generator: streams unchanged)."""
    derived = screens.derived_rng(draw.rng, screens.TAG_ROM)
    if not draw.put("rom_variant", bool(derived.random() < level.rom_variant_prob)):
        return None
    rom = font5x7.variant_rom(font, derived)
    draw.put("rom_changed", "".join(c for c in sorted(rom) if rom[c] != font5x7.FONTS[font][c]))
    return rom


def _geometry(draw: _Draw, level: Level) -> render.LcdGeometry:
    """Standard or varied panel geometry, from a child generator (the parent stream, and
    so every photo made before geometry varied, stays the same)."""
    child = _Draw(draw.rng.spawn(1)[0], draw.overrides)
    child.params = {}
    panel = render.STANDARD_GEOMETRY
    if child.chance("varied_panel", level.geometry_prob):
        panel = render.LcdGeometry(
            margin_x=round(child.uniform("lcd_margin_x", level.margin_x), 2),
            margin_y=round(child.uniform("lcd_margin_y", level.margin_y), 2),
            aspect=round(child.uniform("dot_aspect", level.dot_aspect), 3),
        )
    draw.params.update(child.params)
    draw.put("lcd_margin_x", panel.margin_x)
    draw.put("lcd_margin_y", panel.margin_y)
    draw.put("dot_aspect", panel.aspect)
    return panel


def _face_style(draw: _Draw, ads: str) -> render.FaceStyle:
    rng = draw.rng
    cover = _COVERS[int(rng.integers(0, len(_COVERS)))]
    draw.put("cover", list(cover))
    references = (
        f"ADS {ads}",
        "Cl.A   230 V   5-90 A   50 Hz",
        f"1000 imp/kWh   M{ads[2:4]} {int(rng.integers(1000, 9999))}",
        "LINKY G3 - MONOPHASE 90A",
    )
    return render.FaceStyle(
        cover=cover,
        label=(238, 238, 232) if rng.random() < 0.5 else cover,
        text=(40, 44, 40),
        references=references,
        brand="Linky",
        led_on=bool(rng.random() < 0.3),
    )


def _inside(quad: np.ndarray, point: np.ndarray) -> bool:
    """Whether ``point`` lies inside the convex quadrilateral ``quad`` (either winding)."""
    signs = []
    for index in range(4):
        a, b = quad[index], quad[(index + 1) % 4]
        signs.append(float((b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0])))
    return all(v >= 0 for v in signs) or all(v <= 0 for v in signs)


def _visible_window(
    to_photo: np.ndarray, face: tuple[int, int], photo: tuple[int, int], margin: int
) -> tuple[int, int, int, int]:
    """The part of the face [face px] that lands in the photo, plus ``margin`` px."""
    width, height = photo
    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    back = geometry.apply_homography(np.linalg.inv(to_photo), frame)
    left = max(0, math.floor(back[:, 0].min()) - margin)
    top = max(0, math.floor(back[:, 1].min()) - margin)
    right = min(face[0], math.ceil(back[:, 0].max()) + margin)
    bottom = min(face[1], math.ceil(back[:, 1].max()) + margin)
    return (left, top, max(left + 1, right), max(top + 1, bottom))


#: Skin tones of the finger pressing "+" (RGB).
_SKINS = ((232, 190, 160), (214, 164, 128), (176, 122, 88), (120, 80, 56), (240, 204, 180))


def _finger(image: Image.Image, to_photo: np.ndarray, scale: float, extra: _Draw) -> Image.Image:
    """A finger on the "+" button (below the window: it never hides the text)."""
    button = geometry.apply_homography(to_photo, np.array([[610.0, 700.0]]) * scale)[0]
    rim = geometry.apply_homography(to_photo, np.array([[610.0, 742.0]]) * scale)[0]
    width = 2.2 * float(np.linalg.norm(rim - button)) * 1.6
    angle = extra.uniform("finger_angle", (60.0, 120.0))
    skin = _SKINS[int(extra.rng.integers(0, len(_SKINS)))]
    extra.put("finger_tip", [round(float(button[0]), 1), round(float(button[1]), 1)])
    return scene.draw_finger(image, (float(button[0]), float(button[1])), angle, width, skin)


def _render_meter(
    image: Image.Image,
    screen: Screen,
    *,
    spec: PhotoSpec,
    level: Level,
    draw: _Draw,
    ads: str,
) -> tuple[Image.Image, np.ndarray, list[str]]:
    """Draw the meter into ``image``.

    Returns (image, (2, 4, 2) array: panel quad and dot-area quad [upright px], references).
    """
    width, height = image.size
    panel = _geometry(draw, level)
    lcd_px = max(draw.uniform("lcd_fraction", level.lcd_fraction) * width, level.min_lcd_px)
    lcd_px = draw.put("lcd_px", round(min(lcd_px, 0.85 * width), 1))
    lcd_box = panel.lcd_box()
    scale = lcd_px / (lcd_box[2] - lcd_box[0])
    pitch_px = lcd_px / (2 * panel.margin_x + render.TEXT_DOTS_W)
    pitch_px = draw.put("dot_pitch_px", round(pitch_px, 3))
    extra = draw.child()
    lcd_style = _lcd_style(draw, level, spec=spec, panel=panel, extra=extra, screen=screen)
    face_style = _face_style(draw, ads)
    blur_sigma = draw.uniform("blur_dots", level.blur_dots) * pitch_px
    blur_sigma = draw.put("blur_px", round(blur_sigma, 3))

    margin_x = max(0.0, (width - lcd_px * 1.1) / 2) / width
    lcd_h = lcd_px * panel.panel_ratio()
    margin_y = max(0.0, (height - lcd_h * 1.6) / 2) / height
    dx = draw.uniform("offset_x", (0.0, min(level.offset, margin_x)), signed=True)
    dy = draw.uniform("offset_y", (0.0, min(level.offset, margin_y)), signed=True)
    anchor = ((lcd_box[0] + lcd_box[2]) / 2 * scale, (lcd_box[1] + lcd_box[3]) / 2 * scale)
    pose = geometry.Pose(
        yaw=draw.uniform("yaw", (0.0, level.tilt), signed=True),
        pitch=draw.uniform("pitch", (0.0, level.tilt), signed=True),
        roll=draw.uniform("roll", (0.0, level.roll), signed=True),
        focal=0.85 * max(width, height),
        anchor=anchor,
        target=(width * (0.5 + dx), height * (0.5 + dy)),
    )
    face_w, face_h = render.face_size(scale)
    corners = np.array([[0, 0], [face_w, 0], [face_w, face_h], [0, face_h]], dtype=np.float64)
    projected = geometry.project(corners, pose)
    to_photo = geometry.homography(corners, projected)
    window = _visible_window(to_photo, (face_w, face_h), image.size, math.ceil(3 * blur_sigma) + 4)
    face, layout = render.render_face(screen, lcd_style, face_style, scale, window)
    tile_to_photo = to_photo @ np.array(
        [[1, 0, window[0]], [0, 1, window[1]], [0, 0, 1]], dtype=np.float64
    )

    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    if not all(_inside(projected, point) for point in frame):
        shadow_shift = np.array([0.015 * width, 0.025 * height])
        image = degrade.soft_shadow_polygon(
            image, [(float(x), float(y)) for x, y in projected + shadow_shift], 0.35
        )
    left = max(0, math.floor(projected[:, 0].min()))
    top = max(0, math.floor(projected[:, 1].min()))
    right = min(width, math.ceil(projected[:, 0].max()))
    bottom = min(height, math.ceil(projected[:, 1].max()))
    if right > left and bottom > top:
        tile = face.transform(
            (right - left, bottom - top),
            Image.Transform.PERSPECTIVE,
            geometry.pil_perspective_data(tile_to_photo, (left, top)),
            Image.Resampling.BILINEAR,
            fillcolor=(0, 0, 0, 0),
        )
        image.paste(tile, (left, top), tile)
        # Defocus on the meter's plane, its edge against the wall included.
        grow = math.ceil(3 * blur_sigma)
        region = (
            max(0, left - grow),
            max(0, top - grow),
            min(width, right + grow),
            min(height, bottom + grow),
        )
        image.paste(degrade.optical_blur(image.crop(region), blur_sigma), region[:2])
    if extra.chance("finger", level.finger_prob):
        image = _finger(image, to_photo, scale, extra)
    quad = geometry.apply_homography(to_photo, layout.lcd)
    text_quad = geometry.apply_homography(to_photo, layout.text)
    return image, np.stack([quad, text_quad]), list(face_style.references)


def _photometric(
    image: Image.Image, quad: np.ndarray | None, level: Level, draw: _Draw
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
    gains = tuple(round(float(g), 3) for g in rng.uniform(0.92, 1.08, size=3))
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
    draw: _Draw, level: Level, contrast: float, exposure: float
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


def generate_photo(spec: PhotoSpec, rng: np.random.Generator) -> tuple[Image.Image, PhotoTruth]:
    """Draw one photo: (stored RGB image with ``info["exif"]``, ground truth).

    The image's pixels are stored as a phone would (rotated when the EXIF orientation is
    not 1); ``truth.width``/``height`` are the stored size.
    """
    if spec.scene not in SCENES:
        raise ValueError(f"unknown scene {spec.scene!r}: expected one of {', '.join(SCENES)}")
    level = LEVELS[spec.level]
    draw = _Draw(rng, dict(spec.overrides))
    screen = _screen_for(spec, rng)
    size = _photo_size(spec, rng)
    draw.put("upright_size", list(size))
    ads = spec.ads if spec.ads is not None else screens.random_ads(rng)
    image = scene.background(size, rng)
    quads: np.ndarray | None = None
    references: list[str] = []
    if spec.scene == "not_linky":
        image, what = scene.not_linky_scene(size, rng)
        draw.put("not_linky_scene", what)
        ads_shown: str | None = None
    else:
        if spec.scene == "screen_off":
            draw.overrides.setdefault("backlight", False)
        image, quads, references = _render_meter(
            image, screen, spec=spec, level=level, draw=draw, ads=ads
        )
        ads_shown = ads
    image = _photometric(image, None if quads is None else quads[0], level, draw)
    orientation = _orientation(spec, size, rng)
    photo = degrade.store_oriented(image, orientation)
    with_exif = (
        spec.exif if spec.exif is not None else not draw.chance("exif_stripped", level.no_exif_prob)
    )
    taken = _exif_time(spec, screen, rng)
    if spec.exif_time is None:
        taken += _exif_skew(level, rng, draw)
    make, model = PHONES[int(rng.integers(0, len(PHONES)))]
    exif_datetime: str | None = None
    if with_exif:
        exif = degrade.build_exif(
            orientation=orientation,
            taken=taken,
            utc_offset=_utc_offset(taken),
            make=make,
            model=model,
        )
        photo.info["exif"] = exif.tobytes()
        exif_datetime = taken.strftime("%Y:%m:%d %H:%M:%S")
    quality = int(rng.integers(level.jpeg_quality[0], level.jpeg_quality[1] + 1))
    stored = [] if quads is None else [_stored_points(q, size, orientation) for q in quads]
    truth = PhotoTruth(
        kind=screen.kind,
        value=screen.value,
        level=level.name,
        scene=spec.scene,
        lines=list(screen.lines),
        screen={
            **screen.details,
            "off": screen.off,
            "font": "alt" if draw.params.get("alt_font") else "hd44780",
            "rom_variant": bool(draw.params.get("rom_variant")),
        },
        references=references,
        ads=ads_shown,
        legible=level.legible and spec.scene not in ("not_linky", "screen_off"),
        width=photo.width,
        height=photo.height,
        jpeg_quality=quality,
        exif_orientation=orientation if with_exif else None,
        exif_datetime=exif_datetime,
        lcd_quad=_rounded(stored[0]) if stored else None,
        text_quad=_rounded(stored[1]) if stored else None,
        params=draw.params,
    )
    return photo, truth


def _rounded(points: np.ndarray) -> list[list[float]]:
    return [[round(float(v), 1) for v in point] for point in points]


def encode_photo(image: Image.Image, truth: PhotoTruth) -> bytes:
    """File bytes for ``image`` per ``truth.format``.

    ``JPEG``, ``PNG``, ``HEIC`` (an iPhone's default; needs the optional ``pillow-heif``,
    else :class:`EncoderUnavailableError`) or ``JPEG-TRUNCATED``: the first 55 % of the JPEG
    (a download cut short; ``truth.expect_error`` says so).
    """
    buffer = io.BytesIO()
    exif = image.info.get("exif", b"")
    if truth.format == "PNG":
        image.save(buffer, "PNG", compress_level=6)
        return buffer.getvalue()
    if truth.format == "HEIC":
        try:
            heif = importlib.import_module("pillow_heif")
        except ImportError as exc:
            raise EncoderUnavailableError(
                "L'écriture d'une photo HEIC nécessite le module pillow-heif.",
                hint="Installez-le (pip install pillow-heif) ou choisissez JPEG ou PNG.",
            ) from exc
        heif.register_heif_opener()
        # pillow-heif's quality scale: 50 ≈ a phone's default HEIC size.
        image.save(buffer, "HEIF", quality=50, exif=exif)
        return buffer.getvalue()
    image.save(buffer, "JPEG", quality=truth.jpeg_quality or 85, exif=exif)
    data = buffer.getvalue()
    if truth.format == "JPEG-TRUNCATED":
        return data[: int(len(data) * 0.55)]
    return data


def photo_rng(seed: int, level: str, index: int) -> np.random.Generator:
    """The generator of photo ``index`` of a set: depends on (seed, level, index) only."""
    return np.random.default_rng([seed, list(LEVELS).index(level), index])


def draw_scene(rng: np.random.Generator, mix: dict[str, float] | None = None) -> str:
    """A scene name drawn from ``mix`` (default :data:`DEFAULT_MIX`)."""
    mix = mix or DEFAULT_MIX
    names = list(mix)
    weights = np.array([mix[n] for n in names], dtype=np.float64)
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]


def generate_set(
    out_dir: str | Path,
    count: int,
    level: str,
    seed: int,
    *,
    scenes: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[PhotoTruth]:
    """Write ``count`` photos ``<level>-NNNN.jpg`` and ``truth.json`` into ``out_dir``."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: expected one of {', '.join(LEVELS)}")
    out = Path(out_dir)
    mix = {s: DEFAULT_MIX[s] for s in scenes} if scenes else None
    truths: list[PhotoTruth] = []
    for index in range(count):
        rng = photo_rng(seed, level, index)
        spec = PhotoSpec(scene=draw_scene(rng, mix), level=level)
        image, truth = generate_photo(spec, rng)
        truth.file = f"{level}-{index:04d}.jpg"
        truth.seed = [seed, list(LEVELS).index(level), index]
        atomic_write_bytes(out / truth.file, encode_photo(image, truth))
        truths.append(truth)
        if progress is not None:
            progress(index + 1, count)
    write_truth(out / "truth.json", truths, seed=seed, level=level)
    return truths


def write_truth(path: Path, truths: Sequence[PhotoTruth], **meta: Any) -> None:
    """Write ``truth.json``: generator metadata and one entry per photo."""
    document = {
        "generator": "linkytool.ocr.synth",
        "version": TRUTH_VERSION,
        **meta,
        "count": len(truths),
        "photos": [t.to_dict() for t in truths],
    }
    atomic_write_text(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def load_truth(path: str | Path) -> list[PhotoTruth]:
    """Read a ``truth.json`` written by :func:`write_truth`."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    return [PhotoTruth(**entry) for entry in document["photos"]]


def generate_large_photo(
    spec: PhotoSpec, rng: np.random.Generator, size: tuple[int, int] = (8000, 6000), factor: int = 4
) -> tuple[Image.Image, PhotoTruth]:
    """A photo of ``size`` (upright; 8000 × 6000 = 48 MP by default), made fast.

    The scene is drawn at ``size / factor`` and upscaled (bilinear): the file is as big
    as a 48 MP phone photo (what the reader must refuse or downscale) without spending
    seconds on detail nobody reads. The truth's sizes and LCD quad are scaled to match.
    """
    small = (max(64, size[0] // factor), max(64, size[1] // factor))
    image, truth = generate_photo(replace(spec, size=small), rng)
    exif = image.info.get("exif")
    scale_x = size[0] / small[0]
    scale_y = size[1] / small[1]
    if image.size != small:  # stored rotated by 90°: the axes swap
        scale_x, scale_y = scale_y, scale_x
    large = image.resize((round(image.width * scale_x), round(image.height * scale_y)))
    if exif is not None:
        large.info["exif"] = exif
    truth.width, truth.height = large.size
    if truth.lcd_quad is not None:
        truth.lcd_quad = [[round(x * scale_x, 1), round(y * scale_y, 1)] for x, y in truth.lcd_quad]
    if truth.text_quad is not None:
        truth.text_quad = [
            [round(x * scale_x, 1), round(y * scale_y, 1)] for x, y in truth.text_quad
        ]
    truth.params["upscaled_from"] = list(small)
    return large, truth
