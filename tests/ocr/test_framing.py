"""The screen's dot pitch measured in the photo, and the advice to step closer when a
reading to confirm comes from a screen too small in it (linkytool.ocr.framing)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from linkytool.ocr.framing import dot_pitch_px, small_screen_remark
from linkytool.ocr.loading import open_photo
from linkytool.ocr.panel import find_panel
from linkytool.ocr.reader import read_image
from linkytool.ocr.settings import SETTINGS

from .conftest import SAMPLES_PHOTOS, make_scene

STEP_CLOSER = "rapprochez-vous ou zoomez"


def test_the_advice_is_given_below_the_bound_only() -> None:
    remark = small_screen_remark(3.99)
    assert remark is not None
    assert "pixels" not in remark  # the image read is not always the photo's size
    assert STEP_CLOSER in remark
    assert small_screen_remark(SETTINGS.small_screen_pitch) is None
    assert small_screen_remark(7.5) is None


@pytest.mark.parametrize(
    ("geometry", "seed", "indexes"),
    [("default", 85451, range(8)), ("wide", 85452, range(3))],
)
def test_the_pitch_measured_is_the_generators_within_a_tenth(
    tmp_path: Path, geometry: str, seed: int, indexes: range
) -> None:
    """On photos the reader was not tuned on (lead seeds, the level's own fonts), the
    pitch measured from the chosen panel's quad (and lattice, on wide panels) is the
    pitch the generator drew, whatever the size of the screen in the photo."""
    checked = lattices = 0
    for index in indexes:
        data, truth = make_scene(None, "hard", index, seed, geometry)
        if not isinstance(truth.value, str):
            continue  # a screen with no value: not every scene draws a panel to measure
        path = tmp_path / f"{geometry}-{index}.jpg"
        path.write_bytes(data)
        photo = open_photo(path).image
        choice = find_panel(photo)
        assert choice is not None and choice.quad is not None, index
        drawn = float(truth.params["dot_pitch_px"])
        upright = truth.params["upright_size"][0]
        measured = dot_pitch_px(choice.quad, choice.first.grid) * upright / photo.width
        assert measured == pytest.approx(drawn, rel=0.1), (index, drawn, measured)
        checked += 1
        lattices += choice.first.grid.lattice is not None
    assert checked >= 2
    assert geometry == "default" or lattices  # a wide panel's own lattice measured too


def _from_afar(name: str, shrink: int, blur: float) -> Image.Image:
    """A committed demo photo as if taken ``shrink`` times farther, slightly out of focus
    [px] and saved by a phone at JPEG quality 40."""
    image = Image.open(SAMPLES_PHOTOS / name).convert("RGB")
    small = image.resize((image.width // shrink, image.height // shrink), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.filter(ImageFilter.GaussianBlur(blur)).save(buffer, "JPEG", quality=40)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def test_a_reading_to_confirm_from_a_small_screen_says_to_step_closer() -> None:
    """The demo PRM five times farther: read right, held, with the advice. (The demo
    date four times farther was this pin until stop 46: read again with its spread
    undone, it is now confident, below.)"""
    reading = read_image(_from_afar("demo-prm.jpg", 5, 1.0))
    assert reading.value == "30002345678901"
    assert not reading.confident
    assert reading.warnings[0] == "Valeur à confirmer : lecture incertaine."
    assert STEP_CLOSER in reading.warnings[1], reading.warnings


@pytest.mark.parametrize(
    ("name", "shrink"), [("demo-date.jpg", 2), ("demo-date.jpg", 4), ("demo-prm.jpg", 4)]
)
def test_a_confident_reading_gives_no_advice_however_small_the_screen(
    name: str, shrink: int
) -> None:
    reading = read_image(_from_afar(name, shrink, 1.0))
    assert reading.confident
    assert not any(STEP_CLOSER in warning for warning in reading.warnings)


def test_the_standard_panel_pitch_is_its_quad_over_its_pitches() -> None:
    choice = find_panel(Image.open(SAMPLES_PHOTOS / "demo-prm.jpg").convert("RGB"))
    assert choice is not None and choice.quad is not None
    assert choice.first.grid.lattice is None  # the demo is read on the standard layout
    # the demo meter is drawn at 8.5 px a dot pitch; half the size, half the pitch
    full = dot_pitch_px(choice.quad, choice.first.grid)
    half = dot_pitch_px(np.asarray(choice.quad) / 2, choice.first.grid)
    assert full == pytest.approx(8.5, abs=0.2)
    assert half == pytest.approx(full / 2)


def test_an_illegible_title_gets_no_second_advice_to_step_closer() -> None:
    """Its own message already says « plus près », and a photo of something else than a
    Linky has no screen to bring closer."""
    reading = read_image(Image.open(SAMPLES_PHOTOS / "t18-not-linky.jpg").convert("RGB"))
    assert reading.screen.value == "not_linky"
    assert not any(STEP_CLOSER in warning for warning in reading.warnings)
