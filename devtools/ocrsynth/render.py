"""Drawing a synthetic Linky: the dot-matrix LCD, the meter's front face, the scene.

Geometry is in *face units*: the face is 1000 × 1400 units (a single-phase Linky is about
13 × 19 cm, so one unit ≈ 0.13 mm) and is drawn at a scale chosen so that, once warped
into the photo, its pixels stay about the size they were drawn at. The LCD panel follows
a character LCD's proportions: dot pitch ``p``, character pitch ``6p``, line pitch
``9p``; the dot area is 95 × 16 pitches for 2 lines × 16 characters. The standard panel
adds 3-pitch margins (101 × 22); :class:`LcdGeometry` varies the margins and the dot
aspect (the real Linky's panel geometry is not published).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from ocrsynth.font5x7 import COLS, ROWS, Glyph, bits_of, glyph_bits
from ocrsynth.screens import LINE_CHARS, Screen

RGB = tuple[int, int, int]
FloatArray = npt.NDArray[np.float32]

#: LCD geometry [dot pitches].
CHAR_PITCH = 6
LINE_PITCH = 9
TEXT_DOTS_W = LINE_CHARS * CHAR_PITCH - 1
TEXT_DOTS_H = LINE_PITCH + ROWS
MARGIN_X = 3
MARGIN_Y = 3
LCD_DOTS_W = 2 * MARGIN_X + TEXT_DOTS_W
LCD_DOTS_H = 2 * MARGIN_Y + TEXT_DOTS_H

#: Face size and LCD panel placement [face units].
FACE_W = 1000
FACE_H = 1400
LCD_LEFT, LCD_TOP, LCD_WIDTH = 190.0, 430.0, 620.0


@dataclass(frozen=True)
class LcdGeometry:
    """The panel's margins around the dot area [dot pitches] and dot aspect (h / w), and
    its character lattice: cells of 5 × ``cell_rows`` dots, ``char_gap`` / ``line_gap``
    blank pitches between cells and lines, ``columns`` cells per line; ``dot_fill``
    (None: the style's) and ``dot_shape`` (the exponent of the dot's outline: 2 round,
    4 rounded square, 12 square). The defaults are the standard Linky-like panel."""

    margin_x: float = MARGIN_X
    margin_y: float = MARGIN_Y
    aspect: float = 1.0
    columns: int = LINE_CHARS
    cell_rows: int = ROWS
    char_gap: int = CHAR_PITCH - COLS
    line_gap: int = LINE_PITCH - ROWS
    dot_fill: float | None = None
    dot_shape: float = 4.0

    @property
    def char_pitch(self) -> int:
        """Cell-to-cell distance [dot pitches]."""
        return COLS + self.char_gap

    @property
    def line_pitch(self) -> int:
        """Line-to-line distance [dot pitches]."""
        return self.cell_rows + self.line_gap

    @property
    def text_w(self) -> int:
        """Width of the dot area [dot pitches] (95 standard)."""
        return self.columns * self.char_pitch - self.char_gap

    @property
    def text_h(self) -> int:
        """Height of the dot area [dot pitches] (16 standard)."""
        return self.line_pitch + self.cell_rows

    def panel_ratio(self) -> float:
        """Panel height / width."""
        return (2 * self.margin_y + self.text_h) * self.aspect / (2 * self.margin_x + self.text_w)

    def lcd_box(self) -> tuple[float, float, float, float]:
        """The visible panel [face units]."""
        height = LCD_WIDTH * self.panel_ratio()
        return (LCD_LEFT, LCD_TOP, LCD_LEFT + LCD_WIDTH, LCD_TOP + height)

    def bezel_box(self) -> tuple[float, float, float, float]:
        """The dark frame around the panel [face units]."""
        _, _, _, bottom = self.lcd_box()
        return (LCD_LEFT - 25.0, LCD_TOP - 30.0, LCD_LEFT + LCD_WIDTH + 25.0, bottom + 32.0)

    def pads(self, pitch: int) -> tuple[int, int, int, int]:
        """(x pitch, y pitch, left/right pad, top/bottom pad) [px] at x pitch ``pitch``."""
        pitch_y = max(2, round(pitch * self.aspect))
        return pitch, pitch_y, round(self.margin_x * pitch), round(self.margin_y * pitch_y)


STANDARD_GEOMETRY = LcdGeometry()


@dataclass(frozen=True)
class LcdStyle:
    """How the LCD looks: colours, dot shape, contrast, which glyph set."""

    background: RGB
    ink: RGB
    #: Visibility of unlit dots (0 = invisible, 0.1 = faint grid).
    ghost: float
    #: Dot side / dot pitch.
    dot_fill: float
    #: Ink strength: 1 = full ink colour, 0.5 = washed out (viewing angle, cold).
    contrast: float
    font: str
    backlight: bool
    #: Strength (0..1) of a diagonal reflection band on the window glass.
    sheen: float = 0.0
    #: Seed of the per-dot ink variation (real panels are not perfectly uniform).
    seed: int = 0
    geometry: LcdGeometry = STANDARD_GEOMETRY
    #: Strength (0..1) of the blurred surroundings reflected by the window glass.
    reflection: float = 0.0
    #: Number of dust specks and fine scratches on the glass.
    dust: int = 0
    #: Glyphs replacing ``font``'s (a variant ROM, see ``font5x7.variant_rom``).
    rom: Mapping[str, Glyph] | None = None
    #: The screen shown before "+" was pressed, still fading (slow, cold liquid crystal),
    #: and its remaining ink strength relative to the current screen's (0..1).
    previous: tuple[str, str] | None = None
    previous_strength: float = 0.0


@dataclass(frozen=True)
class FaceStyle:
    """How the meter's front looks and what is printed on it."""

    cover: RGB
    label: RGB
    text: RGB
    references: tuple[str, ...]
    brand: str
    led_on: bool


def lcd_dot_grids(
    lines: tuple[str, str],
    font: str,
    rom: Mapping[str, Glyph] | None = None,
    geometry: LcdGeometry = STANDARD_GEOMETRY,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(lit dots, all dot positions) as (text_h, text_w) boolean grids of the dot area
    ((16, 95) standard). ``rom`` (optional) replaces ``font``'s glyphs; a glyph sits at
    the top of its cell (a 7-row glyph leaves a 5×8 cell's underline row unlit); lines
    narrower than the panel are centred on it (a 20-column panel)."""
    lit = np.zeros((geometry.text_h, geometry.text_w), dtype=np.bool_)
    cells = np.zeros_like(lit)
    for line_index, line in enumerate(lines):
        top = line_index * geometry.line_pitch
        shift = max(0, (geometry.columns - len(line)) // 2)
        padded = " " * shift + line
        for char_index in range(geometry.columns):
            left = char_index * geometry.char_pitch
            cells[top : top + geometry.cell_rows, left : left + COLS] = True
            char = padded[char_index] if char_index < len(padded) else " "
            bits = bits_of(rom[char]) if rom is not None else glyph_bits(char, font)
            rows = min(len(bits), geometry.cell_rows)
            lit[top : top + rows, left : left + COLS] = bits[:rows]
    return lit, cells


def _dot_kernel(
    pitch: int, fill: float, pitch_y: int | None = None, shape: float = 4.0
) -> FloatArray:
    """A (pitch_y, pitch) anti-aliased dot covering ``fill`` of the pitch; ``shape`` is the
    exponent of its outline (2 round, 4 rounded square, higher: squarer)."""
    pitch_y = pitch if pitch_y is None else pitch_y
    xs = (np.arange(pitch, dtype=np.float32) - (pitch - 1) / 2.0) / pitch
    ys = (np.arange(pitch_y, dtype=np.float32) - (pitch_y - 1) / 2.0) / pitch_y
    xx, yy = np.meshgrid(xs * pitch, ys * pitch)
    distance = (np.abs(xx) ** shape + np.abs(yy) ** shape) ** (1.0 / shape)
    half = fill * pitch / 2.0
    kernel: FloatArray = np.clip(half - distance + 0.5, 0.0, 1.0).astype(np.float32)
    return kernel


def render_lcd(screen: Screen, style: LcdStyle, pitch: int) -> Image.Image:
    """The LCD panel as an RGB image; ``pitch`` = horizontal dot pitch [px].

    Standard geometry: (101 × 22) × ``pitch`` pixels; see :meth:`LcdGeometry.pads`.
    """
    pitch = max(2, pitch)
    pitch_x, pitch_y, pad_x, pad_y = style.geometry.pads(pitch)
    geometry = style.geometry
    lit, cells = lcd_dot_grids(screen.lines, style.font, style.rom, geometry)
    fill = style.dot_fill if geometry.dot_fill is None else geometry.dot_fill
    kernel = _dot_kernel(pitch_x, fill, pitch_y, geometry.dot_shape)
    variation = np.random.default_rng(style.seed).uniform(0.9, 1.0, size=lit.shape)
    pads = ((pad_y, pad_y), (pad_x, pad_x))
    ink = np.pad(np.kron(lit * variation.astype(np.float32), kernel), pads)
    ghost = np.pad(np.kron((cells & ~lit).astype(np.float32), kernel), pads) * style.ghost
    if style.previous is not None and style.previous_strength > 0:
        fading, _ = lcd_dot_grids(style.previous, style.font, style.rom, geometry)
        residue = (fading & ~lit).astype(np.float32) * style.previous_strength * style.contrast
        ghost = ghost + np.pad(np.kron(residue, kernel), pads)
    # Liquid-crystal segments cast a faint offset shadow on the reflector behind them.
    shift = max(1, pitch // 3)
    shadow = np.roll(np.roll(ink, shift, axis=0), shift, axis=1) * 0.12
    darkness = np.clip(ink * style.contrast + ghost + shadow, 0.0, 1.0)[..., None]
    height, width = darkness.shape[:2]
    # Edge-lit backlight: brighter near the LED side, darker at the far corners; the
    # bezel shades the panel's top and left edges.
    yy = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None]
    xx = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    falloff = 0.08 if style.backlight else 0.03
    top = np.arange(height, dtype=np.float32)[:, None] / pitch_y
    left = np.arange(width, dtype=np.float32)[None, :] / pitch
    bezel = 1.0 - 0.22 * np.exp(-top / 1.2) - 0.12 * np.exp(-left / 1.2)
    light = ((1.0 - falloff * (xx**2 + 0.6 * yy**2)) * bezel)[..., None]
    background = np.array(style.background, dtype=np.float32) * light
    ink_rgb = np.array(style.ink, dtype=np.float32)
    pixels = background * (1.0 - darkness) + ink_rgb * darkness
    if style.sheen > 0:
        band = np.exp(-((((xx + 0.6 * yy) - 0.3) / 0.35) ** 2)) * style.sheen
        pixels = pixels + (255.0 - pixels) * band[..., None]
    glass = _glass(style, (width, height), pitch)
    if glass is not None:
        pixels = pixels + (255.0 - pixels) * glass[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _glass(style: LcdStyle, size: tuple[int, int], pitch: int) -> FloatArray | None:
    """What the window glass adds (screen blend, 0..1): reflections, dust, scratches."""
    if style.reflection <= 0 and style.dust <= 0:
        return None
    width, height = size
    rng = np.random.default_rng(style.seed + 1)
    layer = np.zeros((height, width), dtype=np.float32)
    if style.reflection > 0:
        # The surroundings (ceiling, the photographer) mirrored, far out of focus.
        coarse = (rng.random((3, 8)) * 255).astype(np.uint8)
        smooth = Image.fromarray(coarse, "L").resize(size, Image.Resampling.BICUBIC)
        layer += np.asarray(smooth, dtype=np.float32) / 255.0 * style.reflection
    if style.dust > 0:
        marks = Image.new("L", size, 0)
        draw = ImageDraw.Draw(marks)
        for _ in range(style.dust):
            x, y = float(rng.uniform(0, width)), float(rng.uniform(0, height))
            shade = int(rng.integers(60, 150))
            if rng.random() < 0.6:
                radius = float(rng.uniform(0.2, 0.6)) * pitch
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
            else:
                length = float(rng.uniform(3, 25)) * pitch
                angle = float(rng.uniform(0, np.pi))
                end = (x + length * np.cos(angle), y + length * np.sin(angle))
                draw.line((x, y, *end), fill=shade, width=max(1, pitch // 5))
        layer += np.asarray(marks, dtype=np.float32) / 255.0 * 0.6
    clipped: FloatArray = np.clip(layer, 0.0, 0.9)
    return clipped


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(6, size))


def _barcode(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], digits: str, ink: RGB
) -> None:
    """A Code-128-looking bar pattern derived from ``digits`` (not a decodable barcode)."""
    left, top, right, bottom = box
    seed = int(digits) if digits.isdigit() else 0
    widths = np.random.default_rng(seed).integers(1, 4, size=96)
    unit = (right - left) / float(widths.sum())
    x = left
    for index, width in enumerate(widths):
        step = float(width) * unit
        if index % 2 == 0:
            draw.rectangle((x, top, x + step - 0.3, bottom), fill=ink)
        x += step


def face_size(scale: float) -> tuple[int, int]:
    """The whole face's size [px] at ``scale`` px/unit."""
    return round(FACE_W * scale), round(FACE_H * scale)


def render_face(
    screen: Screen,
    lcd_style: LcdStyle,
    face_style: FaceStyle,
    scale: float,
    window: tuple[int, int, int, int] | None = None,
) -> tuple[Image.Image, FaceLayout]:
    """The meter's front face (RGBA, transparent outside the case) at ``scale`` px/unit.

    ``window`` = (left, top, right, bottom) [face px]: draw only that part of the face (a
    close-up photo shows a fraction of it; drawing the rest would be wasted time).
    """
    width, height = face_size(scale)
    left, top, right, bottom = window if window is not None else (0, 0, width, height)
    face = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    draw = ImageDraw.Draw(face)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (x0 * scale - left, y0 * scale - top, x1 * scale - left, y1 * scale - top)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * scale - left, y * scale - top)

    def stroke(units: float) -> int:
        return max(1, round(units * scale))

    cover = face_style.cover
    darker = tuple(max(0, c - 28) for c in cover)
    draw.rounded_rectangle(box(0, 0, FACE_W, FACE_H), radius=60 * scale, fill=(*cover, 255))
    # Moulding lines of the case and the terminal cover.
    draw.rounded_rectangle(
        box(30, 30, FACE_W - 30, FACE_H - 30), radius=45 * scale, outline=darker, width=stroke(3)
    )
    draw.line(box(30, 1000, FACE_W - 30, 1000), fill=darker, width=stroke(5))
    # Printed references above the screen.
    draw.rounded_rectangle(box(110, 60, 890, 340), radius=12 * scale, fill=(*face_style.label, 255))
    draw.text(
        at(135, 72),
        face_style.brand,
        font=_font(round(64 * scale)),
        fill=face_style.text,
        stroke_width=stroke(2),
        stroke_fill=face_style.text,
    )
    sizes = (40, 30, 26, 26)
    y = 160.0
    for index, line in enumerate(face_style.references):
        size = sizes[min(index, len(sizes) - 1)]
        draw.text(at(135, y), line, font=_font(round(size * scale)), fill=face_style.text)
        if index == 0 and line.startswith("ADS "):
            _barcode(draw, box(560, 85, 870, 140), line[4:], face_style.text)
        y += size + 12
    # LED indicator ("voyant") and the LCD window with its bezel.
    led = (230, 90, 40) if face_style.led_on else (120, 60, 50)
    draw.ellipse(box(832, 362, 856, 386), fill=led)
    geometry = lcd_style.geometry
    draw.rounded_rectangle(box(*geometry.bezel_box()), radius=14 * scale, fill=(58, 60, 58, 255))
    lcd_units = geometry.lcd_box()
    lcd_box = box(*lcd_units)
    lcd_width = (lcd_units[2] - lcd_units[0]) * scale
    lcd_height = (lcd_units[3] - lcd_units[1]) * scale
    pitch = int(np.ceil(lcd_width / (2 * geometry.margin_x + geometry.text_w)))
    panel = render_lcd(screen, lcd_style, pitch)
    lcd = panel.resize((max(1, round(lcd_width)), max(1, round(lcd_height))), Image.Resampling.BOX)
    face.paste(lcd, (round(lcd_box[0]), round(lcd_box[1])))
    _, _, pad_x, pad_y = geometry.pads(pitch)
    text_units = (
        lcd_units[0] + (lcd_units[2] - lcd_units[0]) * pad_x / panel.width,
        lcd_units[1] + (lcd_units[3] - lcd_units[1]) * pad_y / panel.height,
        lcd_units[2] - (lcd_units[2] - lcd_units[0]) * pad_x / panel.width,
        lcd_units[3] - (lcd_units[3] - lcd_units[1]) * pad_y / panel.height,
    )
    # The "−" and "+" buttons under the screen.
    for centre_x, symbol in ((390.0, "-"), (610.0, "+")):
        draw.ellipse(
            box(centre_x - 42, 650, centre_x + 42, 734),
            fill=darker,
            outline=tuple(max(0, c - 60) for c in cover),
            width=stroke(3),
        )
        half = 18.0
        draw.line(
            box(centre_x - half, 692, centre_x + half, 692), fill=face_style.text, width=stroke(6)
        )
        if symbol == "+":
            draw.line(
                box(centre_x, 692 - half, centre_x, 692 + half),
                fill=face_style.text,
                width=stroke(6),
            )
    draw.text(at(135, 1060), "enedis", font=_font(round(52 * scale)), fill=darker)
    draw.text(at(135, 1140), "Ne pas ouvrir - plombé", font=_font(round(24 * scale)), fill=darker)
    draw.ellipse(box(780, 1180, 840, 1240), outline=darker, width=stroke(4))
    return face, FaceLayout(_corners(lcd_units, scale), _corners(text_units, scale))


@dataclass(frozen=True)
class FaceLayout:
    """Where the LCD landed on the face [whole-face px]: corners TL, TR, BR, BL."""

    #: The visible panel (inside the bezel).
    lcd: npt.NDArray[np.float64]
    #: The dot area (first dot's outer corner to the last dot's), margins excluded.
    text: npt.NDArray[np.float64]


def _corners(units: tuple[float, float, float, float], scale: float) -> npt.NDArray[np.float64]:
    x0, y0, x1, y1 = units
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64) * scale
