"""What surrounds the meter: the wall or electrical panel, and "not a Linky" scenes.

Backgrounds are drawn at 1/8 of the photo size and upscaled: they are out of focus in a
close-up of a meter anyway, and this keeps a 12 MP photo fast to make.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: Wall / panel base colours (RGB): white GTL panel, beige wall, grey, wood, concrete.
BACKDROPS = (
    (228, 228, 222),
    (214, 200, 176),
    (170, 172, 170),
    (150, 110, 70),
    (135, 135, 128),
    (236, 232, 214),
)
DOWNSCALE = 8


def _jitter(
    colour: tuple[int, int, int], rng: np.random.Generator, spread: int
) -> tuple[int, int, int]:
    shifted = np.clip(np.array(colour) + rng.integers(-spread, spread + 1, size=3), 0, 255)
    return (int(shifted[0]), int(shifted[1]), int(shifted[2]))


def background(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    """A wall / electrical-panel backdrop with breakers and cables, at ``size`` (RGB)."""
    width, height = size
    small = (max(8, width // DOWNSCALE), max(8, height // DOWNSCALE))
    base = _jitter(BACKDROPS[int(rng.integers(0, len(BACKDROPS)))], rng, 12)
    canvas = Image.new("RGB", small, base)
    draw = ImageDraw.Draw(canvas)
    sw, sh = small
    # A DIN rail of circuit breakers above or below the meter, sometimes.
    if rng.random() < 0.6:
        y = (
            int(rng.uniform(0.0, 0.2) * sh)
            if rng.random() < 0.5
            else int(rng.uniform(0.8, 1.0) * sh)
        )
        module = max(3, sw // 28)
        x = int(rng.uniform(-0.1, 0.1) * sw)
        while x < sw:
            draw.rectangle((x, y, x + module - 1, y + 4 * module), fill=(238, 238, 236))
            draw.rectangle(
                (
                    x + module // 3,
                    y + int(1.5 * module),
                    x + 2 * module // 3,
                    y + int(2.3 * module),
                ),
                fill=(40, 40, 40),
            )
            x += module + 1
    # Cables.
    for _ in range(int(rng.integers(0, 6))):
        colour = ((30, 30, 30), (200, 40, 30), (30, 60, 180), (220, 200, 40), (120, 80, 40))[
            int(rng.integers(0, 5))
        ]
        points = [(float(rng.uniform(0, sw)), float(rng.uniform(0, sh))) for _ in range(3)]
        draw.line(points, fill=colour, width=int(rng.integers(1, 4)), joint="curve")
    texture = rng.normal(0.0, 6.0, size=(sh, sw, 1)).astype(np.float32)
    pixels = np.asarray(canvas, dtype=np.float32) + texture
    canvas = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    canvas = canvas.filter(ImageFilter.GaussianBlur(0.8))
    return canvas.resize(size, Image.Resampling.BILINEAR)


def not_linky_scene(size: tuple[int, int], rng: np.random.Generator) -> tuple[Image.Image, str]:
    """A photo with no Linky LCD; returns (image, what it shows)."""
    image = background(size, rng)
    width, height = size
    draw = ImageDraw.Draw(image)
    what = str(("wall", "old_meter", "seven_segment", "label")[int(rng.integers(0, 4))])
    if what == "old_meter":
        # An electromechanical meter: a dark box with a white window and a digit drum.
        box = (width * 0.25, height * 0.2, width * 0.75, height * 0.85)
        draw.rounded_rectangle(box, radius=width * 0.02, fill=(40, 50, 90))
        window = (width * 0.32, height * 0.35, width * 0.68, height * 0.48)
        draw.rectangle(window, fill=(235, 235, 230))
        digits = "".join(str(int(d)) for d in rng.integers(0, 10, size=6))
        font = ImageFont.load_default(size=max(8, int(height * 0.08)))
        draw.text((width * 0.34, height * 0.36), digits, font=font, fill=(20, 20, 20))
    elif what == "seven_segment":
        # Some other device with a seven-segment display.
        box = (width * 0.3, height * 0.35, width * 0.7, height * 0.6)
        draw.rounded_rectangle(box, radius=width * 0.01, fill=(230, 230, 225))
        draw.rectangle((width * 0.34, height * 0.4, width * 0.66, height * 0.52), fill=(20, 25, 20))
        seg = width * 0.045
        for index in range(5):
            x = width * 0.36 + index * seg * 1.25
            for bar in range(int(rng.integers(2, 7))):
                y = height * 0.42 + (bar % 3) * seg * 0.45
                draw.rectangle((x, y, x + seg * 0.8, y + seg * 0.12), fill=(240, 60, 40))
    elif what == "label":
        font = ImageFont.load_default(size=max(8, int(height * 0.05)))
        draw.rectangle((width * 0.2, height * 0.3, width * 0.8, height * 0.7), fill=(245, 245, 240))
        for line in range(4):
            text = "".join(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "[int(i)]
                for i in rng.integers(0, 37, size=14)
            )
            draw.text(
                (width * 0.23, height * (0.33 + 0.09 * line)), text, font=font, fill=(30, 30, 30)
            )
    return image, what


def draw_finger(
    image: Image.Image,
    tip: tuple[float, float],
    angle: float,
    width: float,
    skin: tuple[int, int, int],
) -> Image.Image:
    """A finger pressing a button: a shaded capsule from ``tip`` [px] out of the frame.

    ``angle`` [°] is the direction from the tip towards the hand (90 = straight down);
    ``width`` [px]. Drawn on a layer of its bounding box, slightly out of focus, with a
    soft shadow on the meter.
    """
    frame_w, frame_h = image.size
    dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    # Out of the frame along the finger's direction (distance to the far border + a bit).
    exits = [
        t
        for t in (
            (frame_w - tip[0]) / dx if dx > 1e-6 else math.inf,
            -tip[0] / dx if dx < -1e-6 else math.inf,
            (frame_h - tip[1]) / dy if dy > 1e-6 else math.inf,
            -tip[1] / dy if dy < -1e-6 else math.inf,
        )
        if t > 0
    ]
    length = min(exits, default=width) + width
    end = (tip[0] + dx * length, tip[1] + dy * length)
    margin = width * (1.5 + length / (4.0 * width))
    left = max(0, int(min(tip[0], end[0]) - margin))
    top = max(0, int(min(tip[1], end[1]) - margin))
    right = min(frame_w, int(max(tip[0], end[0]) + margin))
    bottom = min(frame_h, int(max(tip[1], end[1]) + margin))
    if right <= left or bottom <= top:
        return image
    # The soft shadow first: black, so only its alpha is drawn and blurred (a quarter of
    # the work of blurring the RGBA layer, the same bytes: the blur treats each band
    # alone, and black stays black).
    shadow = Image.new("L", (right - left, bottom - top), 0)
    draw = ImageDraw.Draw(shadow)

    normal = (-dy, dx)

    def finger_shape(
        offset: tuple[float, float], fraction: float, colour: int | tuple[int, ...]
    ) -> None:
        """Tapered outline: ``width`` at the tip, widening towards the hand (closer to the
        camera, so larger)."""
        x0, y0 = tip[0] - left + offset[0], tip[1] - top + offset[1]
        x1, y1 = end[0] - left + offset[0], end[1] - top + offset[1]
        near = width / 2 * fraction
        far = near * (1.0 + length / (4.0 * width))
        draw.polygon(
            [
                (x0 + normal[0] * near, y0 + normal[1] * near),
                (x1 + normal[0] * far, y1 + normal[1] * far),
                (x1 - normal[0] * far, y1 - normal[1] * far),
                (x0 - normal[0] * near, y0 - normal[1] * near),
            ],
            fill=colour,
        )
        draw.ellipse((x0 - near, y0 - near, x0 + near, y0 + near), fill=colour)

    shadow_offset = (0.25 * width, 0.35 * width)
    finger_shape(shadow_offset, 1.0, 90)
    layer = Image.new("RGBA", shadow.size, (0, 0, 0, 0))
    layer.putalpha(shadow.filter(ImageFilter.GaussianBlur(width * 0.15)))
    draw = ImageDraw.Draw(layer)
    for fraction, lightness in ((1.0, 0.78), (0.8, 0.9), (0.55, 1.0), (0.25, 1.06)):
        colour = tuple(min(255, round(c * lightness)) for c in skin)
        finger_shape((0.0, 0.0), fraction, (*colour, 255))
    # The nail near the tip.
    nail = width * 0.28
    nx, ny = tip[0] - left + dx * nail * 1.1, tip[1] - top + dy * nail * 1.1
    draw.ellipse((nx - nail, ny - nail, nx + nail, ny + nail), fill=(236, 196, 186, 255))
    layer = layer.filter(ImageFilter.GaussianBlur(max(0.5, width * 0.02)))
    image.paste(layer, (left, top), layer)
    return image
