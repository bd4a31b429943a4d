"""The meter in the photo: LCD and face styles drawn for one photo, the camera pose, the
warp of the face into the scene, its drop shadow, defocus, and a finger on "+".
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image

from ocrsynth import degrade, font5x7, geometry, render, scene, screens
from ocrsynth.draws import Draws
from ocrsynth.levels import Level
from ocrsynth.screens import Screen

#: LCD colours (background, ink) with the backlight on and off.
_LCD_ON = ((176, 212, 118), (28, 40, 24))
_LCD_OFF = ((148, 156, 138), (34, 40, 32))
#: Front-cover colours: Linky green variants, and the light grey of some models.
_COVERS = ((186, 212, 88), (172, 204, 96), (196, 214, 120), (206, 208, 202), (222, 222, 216))


def _lcd_style(
    draw: Draws,
    level: Level,
    *,
    backlight: bool | None,
    panel: render.LcdGeometry,
    extra: Draws,
    screen: Screen,
    font: str | None = None,
) -> render.LcdStyle:
    if backlight is None:
        backlight = draw.chance("backlight", level.backlight_prob)
    else:
        draw.put("backlight", backlight)
    base, ink = _LCD_ON if backlight else _LCD_OFF
    tint = draw.rng.integers(-10, 11, size=3)
    background = [int(np.clip(c + t, 0, 255)) for c, t in zip(base, tint, strict=True)]
    drawn_font = "alt" if draw.chance("alt_font", level.alt_font_prob) else "hd44780"
    # a glyph set asked for (leave-one-font-out benchmark) replaces the drawn one after
    # the draw, so that every other draw of the photo stays the same
    font = drawn_font if font is None else draw.put("font", font)
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


def _transition(draw: Draws, level: Level, screen: Screen) -> dict[str, Any]:
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


def _rom(draw: Draws, level: Level, font: str) -> dict[str, font5x7.Glyph] | None:
    """A variant ROM with the level's probability (derived generator: streams unchanged)."""
    derived = screens.derived_rng(draw.rng, screens.TAG_ROM)
    if not draw.put("rom_variant", bool(derived.random() < level.rom_variant_prob)):
        return None
    rom = font5x7.variant_rom(font, derived)
    draw.put("rom_changed", "".join(c for c in sorted(rom) if rom[c] != font5x7.FONTS[font][c]))
    return rom


#: The "wide" geometry range: panel designs other than the standard one (see
#: :func:`_wide_geometry`); named draws, recorded in the truth's ``params``.
WIDE_MARGIN_X = (1.5, 8.0)
WIDE_MARGIN_Y = (1.0, 6.0)
WIDE_ASPECT = (0.9, 1.2)
WIDE_DOT_FILL = (0.40, 0.90)
#: Dot outline exponents: round, rounded square, square.
WIDE_DOT_SHAPES = (2.0, 4.0, 12.0)
WIDE_CHAR_GAPS = (1, 2)
WIDE_LINE_GAPS = (1, 2, 3, 4)
#: Probability of 5×8 cells (an underline row under the 7) and of 20 columns.
WIDE_CELL8_PROB = 0.3
WIDE_COLUMNS20_PROB = 0.3
#: The geometry ranges a photo can be drawn with.
GEOMETRIES = ("default", "wide")


def _geometry(draw: Draws, level: Level) -> render.LcdGeometry:
    """Standard or varied panel geometry, from a child generator (the parent stream, and
    so every photo made before geometry varied, stays the same)."""
    child = Draws(draw.rng.spawn(1)[0], draw.overrides)
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


def _wide_geometry(draw: Draws) -> render.LcdGeometry:
    """A panel drawn from the "wide" range: margins, dot aspect, size (40-90 % of the
    pitch) and shape (round to square), gaps between cells and lines, 5×8 cells, 16 or
    20 columns. Own child generator: the photo's other draws stay as in "default"."""
    child = Draws(draw.rng.spawn(1)[0], draw.overrides)
    child.params = draw.params

    def pick(name: str, options: tuple[float, ...]) -> float:
        return float(child.put(name, options[int(child.rng.integers(0, len(options)))]))

    return render.LcdGeometry(
        margin_x=round(child.uniform("lcd_margin_x", WIDE_MARGIN_X), 2),
        margin_y=round(child.uniform("lcd_margin_y", WIDE_MARGIN_Y), 2),
        aspect=round(child.uniform("dot_aspect", WIDE_ASPECT), 3),
        columns=20 if child.chance("columns_20", WIDE_COLUMNS20_PROB) else 16,
        cell_rows=8 if child.chance("cell_5x8", WIDE_CELL8_PROB) else 7,
        char_gap=int(pick("char_gap", WIDE_CHAR_GAPS)),
        line_gap=int(pick("line_gap", WIDE_LINE_GAPS)),
        dot_fill=round(child.uniform("wide_dot_fill", WIDE_DOT_FILL), 3),
        dot_shape=pick("dot_shape", WIDE_DOT_SHAPES),
    )


def _fit_font(panel: render.LcdGeometry, font: str | None, draw: Draws) -> render.LcdGeometry:
    """A 5×8 glyph set needs 5×8 cells: the panel gets them, a line gap shorter."""
    rows = 7 if font is None else font5x7.font_rows(font)
    if rows <= panel.cell_rows:
        return panel
    draw.put("cell_5x8", True)
    return replace(panel, cell_rows=rows, line_gap=max(1, panel.line_gap - 1))


#: ADS type codes (digits 5-6) of three-phase Linky meters (docs/tic.md; others: single-phase).
_THREE_PHASE_TYPES = frozenset({"63", "71", "76"})


def _face_style(draw: Draws, ads: str) -> render.FaceStyle:
    rng = draw.rng
    cover = _COVERS[int(rng.integers(0, len(_COVERS)))]
    draw.put("cover", list(cover))
    three_phase = ads[4:6] in _THREE_PHASE_TYPES
    references = (
        f"ADS {ads}",
        "Cl.A   3x230/400 V   5-60 A   50 Hz" if three_phase else "Cl.A   230 V   5-90 A   50 Hz",
        f"1000 imp/kWh   M{ads[2:4]} {int(rng.integers(1000, 9999))}",
        "LINKY G3 - TRIPHASE 60A" if three_phase else "LINKY G3 - MONOPHASE 90A",
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


def _finger(image: Image.Image, to_photo: np.ndarray, scale: float, extra: Draws) -> Image.Image:
    """A finger on the "+" button (below the window: it never hides the text)."""
    button = geometry.apply_homography(to_photo, np.array([[610.0, 700.0]]) * scale)[0]
    rim = geometry.apply_homography(to_photo, np.array([[610.0, 742.0]]) * scale)[0]
    width = 2.2 * float(np.linalg.norm(rim - button)) * 1.6
    angle = extra.uniform("finger_angle", (60.0, 120.0))
    skin = _SKINS[int(extra.rng.integers(0, len(_SKINS)))]
    extra.put("finger_tip", [round(float(button[0]), 1), round(float(button[1]), 1)])
    return scene.draw_finger(image, (float(button[0]), float(button[1])), angle, width, skin)


def _keep_lcd_in_frame(
    pose: geometry.Pose,
    panel: render.LcdGeometry,
    scale: float,
    size: tuple[int, int],
    draw: Draws,
    *,
    level: Level,
) -> geometry.Pose:
    """Shift the camera so the whole LCD panel is in the photo (2 px margin).

    Offsets are drawn against the unrotated panel; a strong roll or tilt on a small
    frame could push a corner out, which would make a "legible" photo unreadable. With
    the level's ``cut_prob`` the photo is badly framed on purpose instead: 20-45 % of
    the panel's width falls off the left or right edge (``params.lcd_cut``).
    """
    x0, y0, x1, y1 = (v * scale for v in panel.lcd_box())
    quad = geometry.project(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), pose)
    width, height = size
    derived = screens.derived_rng(draw.rng, screens.TAG_CUT)
    if draw.put("lcd_cut", bool(derived.random() < level.cut_prob)):
        cut = float(derived.uniform(0.2, 0.45)) * (quad[:, 0].max() - quad[:, 0].min())
        if derived.random() < 0.5:
            shift_x = -(quad[:, 0].min() + cut)
        else:
            shift_x = width - quad[:, 0].max() + cut
        draw.put("lcd_cut_px", round(cut, 1))
        return replace(pose, target=(pose.target[0] + shift_x, pose.target[1]))
    margin = 2.0
    shift_x = max(0.0, margin - quad[:, 0].min()) - max(0.0, quad[:, 0].max() - width + margin)
    shift_y = max(0.0, margin - quad[:, 1].min()) - max(0.0, quad[:, 1].max() - height + margin)
    if shift_x == 0.0 and shift_y == 0.0:
        return pose
    draw.put("lcd_shifted_in_frame", [round(shift_x, 1), round(shift_y, 1)])
    target = (pose.target[0] + shift_x, pose.target[1] + shift_y)
    return replace(pose, target=target)


def render_meter(
    image: Image.Image,
    screen: Screen,
    *,
    backlight: bool | None,
    level: Level,
    draw: Draws,
    ads: str,
    font: str | None = None,
    wide: bool = False,
) -> tuple[Image.Image, np.ndarray, list[str]]:
    """Draw the meter into ``image``; ``font`` forces a glyph set, ``wide`` draws the
    panel from the "wide" geometry range.

    Returns (image, (2, 4, 2) array: panel quad and dot-area quad [upright px], references).
    """
    width, height = image.size
    panel = _geometry(draw, level)
    if wide:
        panel = _wide_geometry(draw)
    panel = _fit_font(panel, font, draw)
    lcd_px = max(draw.uniform("lcd_fraction", level.lcd_fraction) * width, level.min_lcd_px)
    lcd_px = draw.put("lcd_px", round(min(lcd_px, 0.85 * width), 1))
    lcd_box = panel.lcd_box()
    scale = lcd_px / (lcd_box[2] - lcd_box[0])
    pitch_px = lcd_px / (2 * panel.margin_x + panel.text_w)
    pitch_px = draw.put("dot_pitch_px", round(pitch_px, 3))
    extra = draw.child()
    lcd_style = _lcd_style(
        draw, level, backlight=backlight, panel=panel, extra=extra, screen=screen, font=font
    )
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
    pose = _keep_lcd_in_frame(pose, panel, scale, (width, height), draw, level=level)
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
