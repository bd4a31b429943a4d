"""The photos committed under ``samples/photos/``: the three demo photos and a test set.

The demo photos follow the cross-feature contract (demo meter PRM ``30002345678901``,
ADS ``041864123456``; date screen 20/11/2026 14:32 photographed at 14:33:10; injection
index 12 kWh). The test set covers every level, screen kind and file problem the reader
must handle. Regenerate with ``python -m ocrsynth --samples --out samples/photos``
(deterministic: the same bytes every time with the same Pillow/libjpeg).

A 48 MP photo is deliberately not committed (too big for git): tests generate it on the
fly with :func:`~ocrsynth.generate.generate_large_photo`. The HEIC photo is
written only where the optional ``pillow-heif`` is installed (it is not a linkytool
dependency); elsewhere the committed file is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from linkytool.fileio import atomic_write_bytes
from ocrsynth.errors import EncoderUnavailableError
from ocrsynth.generate import (
    PhotoSpec,
    PhotoTruth,
    encode_photo,
    generate_photo,
    write_truth,
)

DEMO_PRM = "30002345678901"
DEMO_ADS = "041864123456"
DEMO_DATE = datetime(2026, 11, 20, 14, 32)
DEMO_EXIF_TIME = datetime(2026, 11, 20, 14, 33, 10)
DEMO_INDEX_KWH = 12
SAMPLES_SEED = 2026

#: Moderate, legible degradations for the demo photos (a careful photo on site).
_DEMO_LOOK = {
    "roll": 1.5,
    "yaw": -4.0,
    "pitch": 3.0,
    "backlight": True,
    "glare": False,
    "shadow": False,
    "alt_font": False,
    "lcd_fraction": 0.42,
    "offset_x": 0.0,
    "offset_y": 0.02,
    "noise": 2.0,
    "lcd_reflection": 0.0,
    "lcd_dust": 0,
    "finger": False,
    "sharpen": False,
}


@dataclass(frozen=True)
class Sample:
    """One committed photo: file name, what to draw, how to encode it."""

    file: str
    spec: PhotoSpec
    #: ``JPEG``, ``PNG`` or ``JPEG-TRUNCATED``.
    format: str = "JPEG"
    expect_error: str | None = None


def _demo(scene: str, **fields: object) -> PhotoSpec:
    return PhotoSpec(
        scene=scene,
        level="easy",
        ads=DEMO_ADS,
        size=(2048, 1536),
        orientation=1,
        exif=True,
        overrides=dict(_DEMO_LOOK),
        **fields,  # type: ignore[arg-type]
    )


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "demo-prm.jpg", _demo("prm", prm=DEMO_PRM, exif_time=datetime(2026, 11, 20, 14, 31, 42))
    ),
    Sample(
        "demo-date.jpg",
        _demo(
            "date",
            when=DEMO_DATE,
            exif_time=DEMO_EXIF_TIME,
            date_label="DATE COURANTE",
            date_format="JJ/MM/AAAA",
            time_shown=True,
        ),
    ),
    Sample(
        "demo-index.jpg",
        _demo(
            "injection_index",
            kwh=DEMO_INDEX_KWH,
            padding="pad6",
            exif_time=datetime(2026, 11, 20, 14, 34, 5),
        ),
    ),
    Sample("t01-easy-prm.jpg", PhotoSpec("prm", "easy")),
    Sample("t02-easy-date.jpg", PhotoSpec("date", "easy")),
    Sample("t03-easy-index.jpg", PhotoSpec("injection_index", "easy")),
    Sample("t04-normal-prm.jpg", PhotoSpec("prm", "normal")),
    Sample(
        "t05-normal-prm-portrait.jpg", PhotoSpec("prm", "normal", size=(1536, 2048), orientation=6)
    ),
    Sample("t06-normal-date.jpg", PhotoSpec("date", "normal", time_shown=True)),
    Sample("t07-normal-date-noexif.jpg", PhotoSpec("date", "normal", time_shown=False, exif=False)),
    Sample("t08-normal-index.jpg", PhotoSpec("injection_index", "normal", padding="pad6")),
    Sample("t09-normal-index-unpadded.jpg", PhotoSpec("injection_index", "normal", padding="none")),
    Sample("t10-normal-other.jpg", PhotoSpec("other", "normal", ads="041763001234")),
    Sample("t11-hard-prm.jpg", PhotoSpec("prm", "hard")),
    Sample("t12-hard-prm-backlight-off.jpg", PhotoSpec("prm", "hard", backlight=False)),
    Sample("t13-hard-date.jpg", PhotoSpec("date", "hard", time_shown=True)),
    Sample("t14-hard-date-upside-down.jpg", PhotoSpec("date", "hard", orientation=3)),
    Sample("t15-hard-index.jpg", PhotoSpec("injection_index", "hard")),
    Sample(
        "t16-hard-index-glare.jpg", PhotoSpec("injection_index", "hard", overrides={"glare": True})
    ),
    Sample("t17-hard-other.jpg", PhotoSpec("other", "hard")),
    Sample("t18-not-linky.jpg", PhotoSpec("not_linky", "normal")),
    Sample("t19-screen-off.jpg", PhotoSpec("screen_off", "normal")),
    Sample("t20-extreme-prm.jpg", PhotoSpec("prm", "extreme")),
    Sample("t21-normal-prm.png", PhotoSpec("prm", "normal", size=(800, 600)), format="PNG"),
    Sample(
        "t22-truncated.jpg",
        PhotoSpec("injection_index", "normal"),
        format="JPEG-TRUNCATED",
        expect_error="truncated",
    ),
    Sample(
        "t23-normal-index.heic",
        PhotoSpec("injection_index", "normal", size=(1600, 1200)),
        format="HEIC",
    ),
    Sample(
        "t24-hard-prm-fading.jpg",
        PhotoSpec("prm", "hard", overrides={"transition": True, "backlight": True}),
    ),
)

#: Photo sizes used for the committed set when a spec leaves it open (keeps git small).
_COMMITTED_SIZES = ((1600, 1200), (2048, 1536), (1920, 1080))


def write_samples(
    out_dir: str | Path, *, skip_formats: frozenset[str] = frozenset()
) -> list[PhotoTruth]:
    """Write every :data:`SAMPLES` photo and ``truth.json`` into ``out_dir``.

    Photos of a format in ``skip_formats`` are generated (their truth is written) but not
    encoded: a check of the truth alone need not pay for x265 (``HEIC``: 9 s a photo).
    """
    out = Path(out_dir)
    truths: list[PhotoTruth] = []
    for index, sample in enumerate(SAMPLES):
        rng = np.random.default_rng([SAMPLES_SEED, index])
        spec = sample.spec
        if spec.size is None:
            spec = PhotoSpec(**{**spec.__dict__, "size": _COMMITTED_SIZES[index % 3]})
        image, truth = generate_photo(spec, rng)
        truth.file = sample.file
        truth.seed = [SAMPLES_SEED, index]
        truth.format = sample.format
        truth.expect_error = sample.expect_error
        if sample.format in ("PNG", "HEIC"):
            truth.jpeg_quality = None
        if sample.format == "PNG":
            truth.exif_orientation = None
            truth.exif_datetime = None
        if sample.format in skip_formats:
            truths.append(truth)
            continue
        try:
            data = encode_photo(image, truth)
        except EncoderUnavailableError:
            # HEIC needs pillow-heif (not a linkytool dependency): keep the committed file.
            if not (out / sample.file).exists():
                print(f"{sample.file}: skipped (pip install pillow-heif to write HEIC)")
        else:
            atomic_write_bytes(out / sample.file, data)
        truths.append(truth)
    write_truth(out / "truth.json", truths, seed=SAMPLES_SEED, level="mixed")
    return truths
