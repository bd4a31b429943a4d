"""Invariants of the generator over random seeds, levels, scenes and frame sizes."""

from __future__ import annotations

import io
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from ocrsynth import LEVELS, SCENES, PhotoSpec, encode_photo, generate_photo
from ocrsynth.screens import LINE_CHARS

PATTERNS = {
    "prm": r"\d{14}",
    "date": r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?",
    "injection_index": r"0|[1-9]\d*",
}


@settings(max_examples=30)
@given(
    seed=st.integers(0, 2**32 - 1),
    level=st.sampled_from(list(LEVELS)),
    scene=st.sampled_from(SCENES),
    size=st.sampled_from([(480, 360), (360, 480), (640, 360)]),
)
def test_every_photo_keeps_its_promises(
    seed: int, level: str, scene: str, size: tuple[int, int]
) -> None:
    spec = PhotoSpec(scene=scene, level=level, size=size)
    image, truth = generate_photo(spec, np.random.default_rng(seed))
    # Value grammar per kind; no value without a value screen.
    if truth.kind in PATTERNS:
        assert truth.value is not None and re.fullmatch(PATTERNS[truth.kind], truth.value)
    else:
        assert truth.value is None
    assert all(len(line) == LINE_CHARS for line in truth.lines) or truth.scene == "not_linky"
    # Stored size, EXIF orientation and upright size agree.
    data = encode_photo(image, truth)
    loaded = Image.open(io.BytesIO(data))
    assert loaded.size == (truth.width, truth.height)
    upright = ImageOps.exif_transpose(loaded)
    assert upright is not None
    assert sorted(upright.size) == sorted(size)
    # The LCD is in the frame (stored coordinates), unless badly framed on purpose.
    if truth.lcd_quad is not None and not truth.params.get("lcd_cut"):
        quad = np.array(truth.lcd_quad)
        assert (quad >= -0.5).all()
        assert (quad[:, 0] <= truth.width + 0.5).all()
        assert (quad[:, 1] <= truth.height + 0.5).all()
    # Same seed, same photo.
    again, truth_again = generate_photo(spec, np.random.default_rng(seed))
    assert truth_again.to_dict() == truth.to_dict()
    assert again.tobytes() == image.tobytes()
