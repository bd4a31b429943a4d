"""Shared helpers of the photo-reader tests: seeded synthetic photos written to tmp."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import panel
from linkytool.ocr.settings import SETTINGS
from ocrsynth import PhotoSpec, encode_photo, generate_photo, photo_rng
from ocrsynth.generate import draw_scene

SAMPLES_PHOTOS = Path(__file__).resolve().parents[2] / "samples" / "photos"


@pytest.fixture
def synth_photo(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Factory: write one seeded synthetic photo and return (path, truth dict)."""

    def make(
        spec: PhotoSpec, seed: int = 1, name: str = "photo.jpg"
    ) -> tuple[Path, dict[str, object]]:
        image, truth = generate_photo(spec, np.random.default_rng(seed))
        path = tmp_path / name
        path.write_bytes(encode_photo(image, truth))
        return path, truth.to_dict()

    return make


def make_photo(font: str | None, level: str, index: int, seed: int) -> tuple[bytes, str]:
    """Photo ``index`` of ``bench/ocr_accuracy.py``'s set (``seed``) for ``font`` at
    ``level`` (None: the level's own mix of glyph sets), as the generator writes it (JPEG
    bytes), and its true value."""
    rng = photo_rng(seed, level, index)
    image, truth = generate_photo(PhotoSpec(scene=draw_scene(rng), level=level, font=font), rng)
    assert isinstance(truth.value, str)
    return encode_photo(image, truth), truth.value


def bench_photo(
    tmp_path: Path, font: str | None, level: str, index: int, seed: int = 41
) -> tuple[Path, str]:
    """:func:`make_photo`'s photo and true value (a pinned benchmark case): the committed
    file of ``tests/data/ocr-pinned`` (``pinned_photos.py``), read in place. One not
    pinned yet is generated into ``tmp_path``, with a warning that says how to pin it
    (issue 14)."""
    import warnings

    from .pinned_photos import MIX, pin_name, pinned

    pin = pinned(font, level, index, seed)
    if pin is not None:
        return pin
    warnings.warn(
        f"photo {pin_name(font, level, index, seed)} generated (0.3 s of CPU per session): "
        f"pin it with `tests/ocr/pinned_photos.py --add {font or MIX} {level} {index} {seed}`",
        stacklevel=2,
    )
    data, value = make_photo(font, level, index, seed)
    path = tmp_path / pin_name(font, level, index, seed)
    path.write_bytes(data)
    return path, value


def switch_off_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The structural evidence (``linkytool.ocr.structure``) switched off: no digit is
    ruled out by a cell's shape, so a test sees another rule alone."""
    from linkytool.ocr import dotmatrix

    monkeypatch.setattr(
        dotmatrix,
        "shape_ruled_out",
        lambda cells, *_: np.zeros((len(cells), 10), dtype=np.bool_),
    )


@pytest.fixture
def no_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """:func:`switch_off_shapes` for a whole test."""
    switch_off_shapes(monkeypatch)


def panel_rules_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """ocrG's two panel rules switched off (``Settings.read_turned``, the edge-averaged
    refinements of ``Settings.edge_smooth_px``): a pin of an earlier round's value rule
    then reads its photo on the panel that rule was set on (the new rules pick another
    quad or grid for some of those hard photos, read right or wrong without the rule)."""
    monkeypatch.setattr(
        panel, "SETTINGS", dataclasses.replace(SETTINGS, read_turned=False, edge_smooth_px=0)
    )
