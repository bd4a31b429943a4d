"""The photo reader on synthetic photos: screen kinds, values, flags, never wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from linkytool.ocr import (
    OcrEngineMissing,
    PhotoReading,
    ScreenKind,
    engine,
    read_image,
    read_photo,
)
from ocrsynth import PhotoSpec

from .conftest import SAMPLES_PHOTOS

SIZE = (1600, 1200)


#: The committed sample photos the reader reads (``truth.json``; the truncated one is
#: refused, ``test_loading.py`` checks how).
COMMITTED = [
    entry
    for entry in json.loads((SAMPLES_PHOTOS / "truth.json").read_text(encoding="utf-8"))["photos"]
    if not entry.get("expect_error")
]
#: Screens whose value an easy photo must give confidently.
VALUE_SCREENS = ("prm", "date", "injection_index")


@pytest.mark.parametrize(
    ("spec", "seed"),
    [
        (PhotoSpec(scene="prm", level="easy", size=SIZE), 3),
        (PhotoSpec(scene="date", level="normal", size=SIZE, time_shown=True), 4),
        (PhotoSpec(scene="date", level="easy", size=SIZE, time_shown=False), 5),
        (PhotoSpec(scene="injection_index", level="normal", size=SIZE), 6),
        (PhotoSpec(scene="prm", level="normal", size=(1200, 1600), orientation=6), 7),
    ],
    ids=["prm", "date-time", "date-only", "index", "prm-portrait-exif"],
)
def test_value_screens_are_read(synth_photo, session_readings, spec: PhotoSpec, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Read by the reader as it is, once per session (``SessionReadings``: the first photo
    is ``test_policy.py``'s too; issue 14)."""
    path, truth = synth_photo(spec, seed)
    reading = session_readings(path)
    assert reading.screen.value == truth["kind"]
    assert reading.value == truth["value"]
    assert reading.confident
    assert reading.crop is not None and reading.crop.startswith(b"\x89PNG")
    assert reading.crop_image() is not None


@pytest.mark.parametrize("scene", ["other", "not_linky", "screen_off"])
def test_screens_without_value_are_never_confident(synth_photo, scene: str) -> None:  # type: ignore[no-untyped-def]
    path, truth = synth_photo(PhotoSpec(scene=scene, level="easy", size=SIZE), 8)
    reading = read_photo(path)
    assert reading.screen.value == truth["kind"]
    assert reading.value is None
    assert not reading.confident
    assert reading.warnings


def test_blank_image_is_not_a_linky() -> None:
    reading = read_image(Image.new("RGB", (640, 480), (200, 200, 200)), path="gris.png")
    assert reading.screen is ScreenKind.NOT_LINKY
    assert reading.value is None
    assert "Aucun écran" in reading.warnings[0]


@pytest.mark.parametrize("entry", COMMITTED, ids=[entry["file"] for entry in COMMITTED])
def test_a_committed_sample_read_confidently_is_read_right(
    committed_reading: Callable[[str], PhotoReading], entry: dict[str, str]
) -> None:
    """One case per photo, so the test workers share them out (it was one test reading
    them all in turn; issue 14)."""
    reading = committed_reading(entry["file"])
    if reading.confident:
        assert (reading.screen.value, reading.value) == (entry["kind"], entry["value"])
    elif entry["kind"] in VALUE_SCREENS and entry["level"] == "easy":
        raise AssertionError(f"easy photo not confident: {reading.value!r}")


def test_most_committed_samples_are_read_confidently(
    committed_reading: Callable[[str], PhotoReading],
) -> None:
    confident = sum(committed_reading(entry["file"]).confident for entry in COMMITTED)
    assert confident >= 12


@pytest.mark.parametrize(
    ("name", "kind", "value"),
    [
        ("demo-prm.jpg", ScreenKind.PRM, "30002345678901"),
        ("demo-date.jpg", ScreenKind.DATE, "2026-11-20T14:32"),
        ("demo-index.jpg", ScreenKind.INJECTION_INDEX, "12"),
    ],
)
def test_demo_photos(
    committed_reading: Callable[[str], PhotoReading], name: str, kind: ScreenKind, value: str
) -> None:
    reading = committed_reading(name)
    assert (reading.screen, reading.value, reading.confident) == (kind, value, True)


def test_missing_tesseract_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(engine, "TESSERACT", str(tmp_path / "no-tesseract"))
    engine.ensure_engine.cache_clear()
    try:
        with pytest.raises(OcrEngineMissing, match="tesseract") as caught:
            read_photo(SAMPLES_PHOTOS / "demo-prm.jpg")
        assert "apt-get install tesseract-ocr tesseract-ocr-fra" in str(caught.value)
    finally:
        engine.ensure_engine.cache_clear()
