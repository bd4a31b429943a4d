"""Photographic degradations: illumination, glare, blur, noise, tone, EXIF orientation.

Each function takes and returns a PIL image and is deterministic given its arguments
(noise takes the random generator). Smooth fields (illumination, glare) are computed at
1/16 of the photo size and upscaled, and noise is a tiled random patch, so that a 12 MP
photo is degraded in a fraction of a second.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops, ImageDraw, ImageFilter

FIELD_DOWNSCALE = 16
NOISE_TILE = 509

#: EXIF tag numbers.
TAG_ORIENTATION = 0x0112
TAG_MAKE = 0x010F
TAG_MODEL = 0x0110
TAG_SOFTWARE = 0x0131
TAG_EXIF_IFD = 0x8769
TAG_DATETIME_ORIGINAL = 0x9003
TAG_OFFSET_TIME_ORIGINAL = 0x9011

#: The generator's name written in each photo (EXIF Software) and truth.json. It is the
#: package's name before it left the product (now ``devtools/ocrsynth``), kept so that the
#: committed samples in ``linkytool/samples/photos`` regenerate byte for byte.
GENERATOR_NAME = "linkytool.ocr.synth"

#: The transpose that turns an upright image into stored pixels for each EXIF orientation
#: (the inverse of what a viewer, or ``ImageOps.exif_transpose``, applies).
_STORE_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _field_image(field: npt.NDArray[np.float32], size: tuple[int, int]) -> Image.Image:
    """A smooth [0, 1] field → an 8-bit RGB image upscaled to ``size``."""
    grey = Image.fromarray(np.clip(field * 255.0, 0, 255).astype(np.uint8), "L")
    return grey.resize(size, Image.Resampling.BILINEAR).convert("RGB")


def _grid(size: tuple[int, int]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    width, height = size
    small_w, small_h = max(4, width // FIELD_DOWNSCALE), max(4, height // FIELD_DOWNSCALE)
    xs = np.linspace(0.0, 1.0, small_w, dtype=np.float32)[None, :]
    ys = np.linspace(0.0, 1.0, small_h, dtype=np.float32)[:, None]
    return np.broadcast_to(xs, (small_h, small_w)), np.broadcast_to(ys, (small_h, small_w))


def illumination(
    image: Image.Image,
    *,
    gradient: float,
    gradient_angle: float,
    vignette: float,
    shadow: float,
    shadow_line: tuple[float, float, float],
) -> Image.Image:
    """Darken ``image`` by a linear gradient, a vignette and a soft-edged cast shadow.

    ``gradient`` = darkening across the frame (0..1) along ``gradient_angle`` [°];
    ``vignette`` = darkening in the corners; ``shadow`` = darkening (0..1) on one side of
    the line (nx, ny, c) in normalised coordinates (n·p > c is shaded, soft edge).
    """
    xs, ys = _grid(image.size)
    angle = math.radians(gradient_angle)
    along = (xs - 0.5) * math.cos(angle) + (ys - 0.5) * math.sin(angle)
    field = 1.0 - gradient * (along - along.min()) / max(1e-6, float(np.ptp(along)))
    field = field * (1.0 - vignette * ((xs - 0.5) ** 2 + (ys - 0.5) ** 2) * 2.0)
    if shadow > 0:
        nx, ny, c = shadow_line
        side = (xs * nx + ys * ny - c) / 0.03
        field = field * (1.0 - shadow / (1.0 + np.exp(-np.clip(side, -30, 30))))
    return ImageChops.multiply(image, _field_image(field.astype(np.float32), image.size))


def glare(
    image: Image.Image,
    *,
    centre: tuple[float, float],
    radii: tuple[float, float],
    strength: float,
) -> Image.Image:
    """A specular reflection: a soft elliptical highlight ``screen``-blended on top.

    ``centre`` [px], ``radii`` [px] (1/e² half-widths), ``strength`` 0..1 = brightness
    of the highlight's core (1 saturates it to white).
    """
    width, height = image.size
    xs, ys = _grid(image.size)
    dx = (xs * width - centre[0]) / max(1.0, radii[0])
    dy = (ys * height - centre[1]) / max(1.0, radii[1])
    field = strength * np.exp(-2.0 * (dx**2 + dy**2))
    return ImageChops.screen(image, _field_image(field.astype(np.float32), image.size))


def optical_blur(image: Image.Image, sigma: float) -> Image.Image:
    """Defocus approximated by a Gaussian of ``sigma`` [px].

    From 1 px on, the blur runs on a copy reduced by an integer factor and is upscaled
    back (bilinear): 3 to 20 times cheaper on a 12 MP photo, visually the same.
    """
    if sigma < 0.3:
        return image
    if sigma < 1.0:
        return image.filter(ImageFilter.GaussianBlur(sigma))
    factor = max(2, int(sigma / 0.6))
    reduced = image.reduce(factor)
    residual = math.sqrt(max(0.0, sigma**2 - (0.5 * factor) ** 2)) / factor
    if residual >= 0.3:
        reduced = reduced.filter(ImageFilter.GaussianBlur(residual))
    return reduced.resize(image.size, Image.Resampling.BILINEAR)


def motion_blur(image: Image.Image, length: float, angle: float) -> Image.Image:
    """Camera shake: the average of copies shifted along ``angle`` [°] over ``length`` [px]."""
    if length < 1.0:
        return image
    steps = min(9, max(3, round(length)))
    result = image
    for index in range(1, steps):
        t = index / (steps - 1) - 0.5
        shifted = ImageChops.offset(
            image,
            round(t * length * math.cos(math.radians(angle))),
            round(t * length * math.sin(math.radians(angle))),
        )
        result = Image.blend(result, shifted, 1.0 / (index + 1))
    return result


def noise(image: Image.Image, sigma: float, rng: np.random.Generator) -> Image.Image:
    """Sensor noise: Gaussian, ``sigma`` [grey levels], mostly luminance, tiled patch."""
    if sigma <= 0:
        return image
    luma = rng.normal(0.0, sigma, size=(NOISE_TILE, NOISE_TILE, 1))
    chroma = rng.normal(0.0, sigma * 0.35, size=(NOISE_TILE, NOISE_TILE, 3))
    patch = np.clip(128.0 + luma + chroma, 0, 255).astype(np.uint8)
    tile = Image.fromarray(patch, "RGB")
    width, height = image.size
    layer = Image.new("RGB", image.size)
    shift_x, shift_y = (int(v) for v in rng.integers(0, NOISE_TILE, size=2))
    for top in range(-shift_y, height, NOISE_TILE):
        for left in range(-shift_x, width, NOISE_TILE):
            layer.paste(tile, (left, top))
    return ImageChops.add(image, layer, 1.0, -128)


def sharpen_region(
    image: Image.Image, quad: npt.NDArray[np.float64], *, radius: float, percent: int
) -> Image.Image:
    """Phone-style sharpening (unsharp mask) around the LCD ``quad`` [px], halos included.

    Only the LCD's neighbourhood (its box grown by half its size) is processed: that is
    where sharpening changes what a reader sees, and it keeps 12 MP photos fast.
    """
    left, top = quad.min(axis=0)
    right, bottom = quad.max(axis=0)
    grow_x, grow_y = (right - left) / 2, (bottom - top) / 2
    box = (
        max(0, int(left - grow_x)),
        max(0, int(top - grow_y)),
        min(image.width, int(right + grow_x)),
        min(image.height, int(bottom + grow_y)),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return image
    region = image.crop(box).filter(ImageFilter.UnsharpMask(radius, percent, 2))
    image.paste(region, box[:2])
    return image


def tone(
    image: Image.Image,
    *,
    contrast: float,
    exposure: float,
    gains: tuple[float, float, float],
) -> Image.Image:
    """Global contrast (around mid-grey), exposure and white-balance gains, as one lookup."""
    levels = np.arange(256, dtype=np.float32)
    table: list[int] = []
    for gain in gains:
        mapped = (128.0 + (levels - 128.0) * contrast) * exposure * gain
        table.extend(int(v) for v in np.clip(mapped, 0, 255).round())
    return image.point(table)


def soft_shadow_polygon(
    image: Image.Image, polygon: list[tuple[float, float]], depth: float
) -> Image.Image:
    """Darken ``image`` inside ``polygon`` [px] with a blurred edge (the meter's drop shadow)."""
    width, height = image.size
    small = (max(4, width // FIELD_DOWNSCALE), max(4, height // FIELD_DOWNSCALE))
    mask = Image.new("L", small, 255)
    scaled = [(x / FIELD_DOWNSCALE, y / FIELD_DOWNSCALE) for x, y in polygon]
    ImageDraw.Draw(mask).polygon(scaled, fill=round(255 * (1.0 - depth)))
    mask = mask.filter(ImageFilter.GaussianBlur(2.0))
    return ImageChops.multiply(
        image, mask.resize(image.size, Image.Resampling.BILINEAR).convert("RGB")
    )


def store_oriented(upright: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores with EXIF ``orientation`` for an ``upright`` scene."""
    transpose = _STORE_TRANSPOSE.get(orientation)
    return upright if transpose is None else upright.transpose(transpose)


def build_exif(
    *,
    orientation: int,
    taken: datetime | None,
    utc_offset: str | None,
    make: str,
    model: str,
) -> Image.Exif:
    """The EXIF block of a phone photo (Orientation, Make, Model, DateTimeOriginal)."""
    exif = Image.Exif()
    exif[TAG_ORIENTATION] = orientation
    exif[TAG_MAKE] = make
    exif[TAG_MODEL] = model
    exif[TAG_SOFTWARE] = GENERATOR_NAME
    if taken is not None:
        sub_ifd = exif.get_ifd(TAG_EXIF_IFD)
        sub_ifd[TAG_DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if utc_offset is not None:
            sub_ifd[TAG_OFFSET_TIME_ORIGINAL] = utc_offset
    return exif
