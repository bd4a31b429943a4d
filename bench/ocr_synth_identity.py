"""Hash of many generated photos, to show a change of the generator keeps their bytes.

A speed-up of ``devtools/ocrsynth`` must not change one byte of the OCR benchmarks' photos.
Run it with the generator of two trees and compare the output (issue 14)::

    .venv/bin/python bench/ocr_synth_identity.py /tmp/base/devtools > /tmp/base.txt
    .venv/bin/python bench/ocr_synth_identity.py devtools > /tmp/branch.txt
    diff /tmp/base.txt /tmp/branch.txt && echo identical

Photos: ``bench/ocr_accuracy.py``'s draws (levels normal to extreme, two glyph sets), a
finger forced on three frame sizes and levels, and the camera model's finger. The pinned
photos (``tests/ocr/pinned_photos.py --check``) and the samples (``ocrsynth --samples``)
are the other two checks.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

DEVTOOLS = Path(sys.argv[1] if len(sys.argv) > 1 else "devtools").resolve()
sys.path.insert(0, str(DEVTOOLS))

import numpy as np  # noqa: E402

import ocrsynth  # noqa: E402
from ocrsynth import PhotoSpec, encode_photo, generate_photo, photo_rng  # noqa: E402
from ocrsynth.generate import draw_scene  # noqa: E402


def main() -> int:
    assert Path(ocrsynth.__file__).resolve().is_relative_to(DEVTOOLS), ocrsynth.__file__
    total = hashlib.sha256()
    count = fingers = 0

    def add(spec: PhotoSpec, rng: np.random.Generator, tag: str) -> None:
        nonlocal count, fingers
        image, truth = generate_photo(spec, rng)
        data = encode_photo(image, truth)
        total.update(data)
        count += 1
        fingers += bool(truth.params.get("finger") or truth.params.get("camera_finger"))
        print(tag, hashlib.sha256(data).hexdigest()[:16], flush=True)

    for level in ("normal", "hard", "extreme"):
        for font in (None, "x11_5x8"):
            for index in range(3):
                rng = photo_rng(7, level, index)
                spec = PhotoSpec(scene=draw_scene(rng), level=level, font=font)
                add(spec, rng, f"{level}-{font}-{index}")
    for index in range(12):
        size = ((1600, 1200), (1200, 1600), (2048, 1536))[index % 3]
        level = ("normal", "hard", "extreme")[index % 3]
        spec = PhotoSpec(scene="prm", level=level, size=size, overrides={"finger": True})
        add(spec, np.random.default_rng([99, index]), f"finger-{index}")
    for index in range(8):
        spec = PhotoSpec(
            scene="date",
            level="normal",
            size=(1600, 1200),
            camera=True,
            overrides={"camera_finger": True},
        )
        add(spec, np.random.default_rng([98, index]), f"camera-{index}")
    print("photos", count, "with a finger", fingers, "sha256", total.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main())
