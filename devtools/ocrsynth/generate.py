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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from PIL import Image

from linkytool.fileio import atomic_write_bytes
from ocrsynth import camera, degrade, font5x7, meter, photometric, scene, screens
from ocrsynth.draws import Draws
from ocrsynth.errors import EncoderUnavailableError
from ocrsynth.levels import LEVELS, Level
from ocrsynth.screens import Screen
from ocrsynth.truth import PhotoTruth, load_truth, write_truth

__all__ = [
    "DEFAULT_MIX",
    "SCENES",
    "PhotoSpec",
    "PhotoTruth",
    "draw_scene",
    "encode_photo",
    "generate_large_photo",
    "generate_photo",
    "generate_set",
    "load_truth",
    "photo_rng",
    "write_truth",
]

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


@dataclass(frozen=True)
class PhotoSpec:
    """What to draw; None = draw at random (level ranges apply to everything else).

    ``font`` / ``geometry``: the glyph set and the panel geometry range (benchmarks on
    held-out designs). ``when``: the meter's date and time shown on a date screen;
    ``exif_time``: the
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
    date_layout: str | None = None
    padding: str | None = None
    ads: str | None = None
    size: tuple[int, int] | None = None
    orientation: int | None = None
    backlight: bool | None = None
    exif: bool | None = None
    exif_time: datetime | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    #: Glyph set to draw with (a name of ``font5x7.FONTS``; None: the level's draw).
    font: str | None = None
    #: Panel geometry range: "default" (the level's) or "wide" (see ``meter``).
    geometry: str = "default"
    #: Add the camera's degradations (:mod:`ocrsynth.camera`) to the level's.
    camera: bool = False


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
            layout=spec.date_layout,
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


def _exif_skew(level: Level, rng: np.random.Generator, draw: Draws) -> timedelta:
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


def _stripped_orientation(orientation: int, rng: np.random.Generator, draw: Draws) -> int:
    """How the pixels of a photo whose EXIF was stripped are stored.

    Messaging apps mostly rotate the pixels upright before dropping the EXIF (80 %);
    some tools drop it as is, leaving a sideways photo with nothing to say so.
    """
    derived = screens.derived_rng(rng, screens.TAG_STRIPPED)
    upright = bool(draw.put("stripped_upright", bool(derived.random() < 0.8)))
    return 1 if upright else orientation


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


def generate_photo(spec: PhotoSpec, rng: np.random.Generator) -> tuple[Image.Image, PhotoTruth]:
    """Draw one photo: (stored RGB image with ``info["exif"]``, ground truth).

    The image's pixels are stored as a phone would (rotated when the EXIF orientation is
    not 1); ``truth.width``/``height`` are the stored size.
    """
    if spec.scene not in SCENES:
        raise ValueError(f"unknown scene {spec.scene!r}: expected one of {', '.join(SCENES)}")
    if spec.font is not None and spec.font not in font5x7.FONTS:
        raise ValueError(f"unknown font {spec.font!r}: expected one of {', '.join(font5x7.FONTS)}")
    if spec.geometry not in meter.GEOMETRIES:
        raise ValueError(f"unknown geometry {spec.geometry!r}: expected default or wide")
    level = LEVELS[spec.level]
    draw = Draws(rng, dict(spec.overrides))
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
        image, quads, references = meter.render_meter(
            image,
            screen,
            backlight=spec.backlight,
            level=level,
            draw=draw,
            ads=ads,
            font=spec.font,
            wide=spec.geometry == "wide",
        )
        ads_shown = ads
    image = photometric.apply_photometric(image, None if quads is None else quads[0], level, draw)
    if spec.camera:
        image = camera.apply_camera(image, None if quads is None else quads[0], draw)
    orientation = _orientation(spec, size, rng)
    with_exif = (
        spec.exif if spec.exif is not None else not draw.chance("exif_stripped", level.no_exif_prob)
    )
    pixel_orientation = orientation if with_exif else _stripped_orientation(orientation, rng, draw)
    photo = degrade.store_oriented(image, pixel_orientation)
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
    if spec.camera:
        quality = camera.camera_jpeg_quality(draw)
    stored = [] if quads is None else [_stored_points(q, size, pixel_orientation) for q in quads]
    truth = PhotoTruth(
        kind=screen.kind,
        value=screen.value,
        level=level.name,
        scene=spec.scene,
        lines=list(screen.lines),
        screen={
            **screen.details,
            "off": screen.off,
            "font": draw.params.get("font")
            or ("alt" if draw.params.get("alt_font") else "hd44780"),
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
    font: str | None = None,
    geometry: str = "default",
    camera: bool = False,
) -> list[PhotoTruth]:
    """Write ``count`` photos ``<level>-NNNN.jpg`` and ``truth.json`` into ``out_dir``
    (``font``, ``geometry``, ``camera``: see :class:`PhotoSpec`)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: expected one of {', '.join(LEVELS)}")
    out = Path(out_dir)
    mix = {s: DEFAULT_MIX[s] for s in scenes} if scenes else None
    truths: list[PhotoTruth] = []
    for index in range(count):
        rng = photo_rng(seed, level, index)
        spec = PhotoSpec(
            scene=draw_scene(rng, mix), level=level, font=font, geometry=geometry, camera=camera
        )
        image, truth = generate_photo(spec, rng)
        truth.file = f"{level}-{index:04d}.jpg"
        truth.seed = [seed, list(LEVELS).index(level), index]
        atomic_write_bytes(out / truth.file, encode_photo(image, truth))
        truths.append(truth)
        if progress is not None:
            progress(index + 1, count)
    write_truth(out / "truth.json", truths, seed=seed, level=level)
    return truths


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
