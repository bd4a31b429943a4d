"""What surrounds the meter: the wall or electrical panel, and "not a Linky" scenes.

Backgrounds are drawn at 1/8 of the photo size and upscaled: they are out of focus in a
close-up of a meter anyway, and this keeps a 12 MP photo fast to make.
"""

from __future__ import annotations

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
