"""Ground truth agrees with the pixels: an oracle that knows where the dots are reads them.

The oracle maps the truth's ``text_quad`` (dot area, 95 × 16 pitches, stored-pixel
coordinates) through a homography, samples the 35 dot centres of every cell against the
gaps beside it, and picks the nearest glyph of the truth's font. It is not a reader (it
is given the geometry); it checks that ``lines``/``text_quad``/``font``/orientation
describe what was drawn, and that levels up to ``hard`` stay legible.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageFilter

from ocrsynth import PhotoSpec, PhotoTruth, generate_photo, geometry
from ocrsynth.font5x7 import FONTS, glyph_bits
from ocrsynth.legibility import LEGIBLE_CONTRAST, bilinear, digit_contrast, value_legible
from ocrsynth.render import CHAR_PITCH, LINE_PITCH, TEXT_DOTS_H, TEXT_DOTS_W

Array = npt.NDArray[np.float64]


def oracle_read(image: Image.Image, truth: PhotoTruth) -> str:
    """The value line as the oracle sees it (stripped)."""
    assert truth.text_quad is not None
    corners = np.array([[0, 0], [TEXT_DOTS_W, 0], [TEXT_DOTS_W, TEXT_DOTS_H], [0, TEXT_DOTS_H]])
    to_image = geometry.homography(corners.astype(np.float64), np.array(truth.text_quad))
    quad = np.array(truth.text_quad)
    pitch = float(np.linalg.norm(quad[1] - quad[0])) / TEXT_DOTS_W
    blurred = image.convert("L").filter(ImageFilter.BoxBlur(0.25 * pitch))
    grey = np.asarray(blurred, dtype=np.float64)
    font = FONTS[str(truth.screen["font"])]
    chars = list(font)
    templates = np.array([glyph_bits(c, str(truth.screen["font"])).ravel() for c in chars])
    top = LINE_PITCH  # the value line
    darkness = []
    for cell in range(16):
        left = cell * CHAR_PITCH
        dots = [[left + k + 0.5, top + r + 0.5] for r in range(7) for k in range(5)]
        gaps = [[left + side, top + r + 0.5] for r in range(7) for side in (-0.5, 5.5)]
        values = bilinear(grey, geometry.apply_homography(to_image, np.array(dots)))
        background = np.median(bilinear(grey, geometry.apply_homography(to_image, np.array(gaps))))
        darkness.append(np.maximum(0.0, background - values))
    cells = np.array(darkness)
    ink = max(float(np.percentile(cells, 97)) * 0.6, 1e-6)
    text = ""
    for cell_darkness in cells:
        normalised = np.clip(cell_darkness / ink, 0, 1)
        if normalised.max() < 0.35:
            text += " "
            continue
        text += chars[int(np.argmin(np.abs(templates - normalised).sum(axis=1)))]
    return text.strip()


def _fold(text: str) -> str:
    """Glyphs that are identical in the alternative set (O/0), ignored by the oracle."""
    return text.replace("O", "0")


def _score(
    level: str, scenes: tuple[str, ...], count: int, overrides: dict[str, object] | None = None
) -> int:
    right = 0
    for index in range(count):
        spec = PhotoSpec(
            scene=scenes[index % len(scenes)],
            level=level,
            size=(1600, 1200),
            overrides=dict(overrides or {}),
        )
        image, truth = generate_photo(spec, np.random.default_rng([77, index]))
        if _fold(oracle_read(image, truth)) == _fold(truth.lines[1].strip()):
            right += 1
    return right


SCENES = ("prm", "date", "injection_index")


def test_easy_and_normal_photos_read_right_with_known_geometry() -> None:
    assert _score("easy", SCENES, 6) == 6
    assert _score("normal", SCENES, 9) == 9


def test_hard_photos_mostly_read_right_with_known_geometry() -> None:
    assert _score("hard", SCENES, 9) >= 7


def test_a_finger_on_plus_never_hides_the_value() -> None:
    assert _score("normal", SCENES, 6, {"finger": True}) == 6


def test_a_fading_previous_screen_stays_faint() -> None:
    assert _score("normal", SCENES, 6, {"transition": True}) == 6
    assert _score("hard", SCENES, 6, {"transition": True}) >= 4


def test_orientations_keep_the_text_quad_on_the_dots() -> None:
    for orientation in (3, 6, 8):
        spec = PhotoSpec(scene="prm", level="normal", size=(1600, 1200), orientation=orientation)
        image, truth = generate_photo(spec, np.random.default_rng(orientation))
        assert oracle_read(image, truth) == truth.lines[1].strip().replace("O", "0")


def _drawn(spec: PhotoSpec, seed: int) -> tuple[Image.Image, dict[str, object]]:
    image, truth = generate_photo(spec, np.random.default_rng([44, seed]))
    return image, truth.to_dict()


def test_a_clear_screen_is_legible_and_a_washed_out_one_is_not() -> None:
    """The legibility measure on the same scene drawn clear and with almost no ink: the
    digits' contrast falls under the threshold a person reads at (lead, stop 44)."""
    clear = PhotoSpec(scene="prm", level="normal", size=(1600, 1200))
    faint = PhotoSpec(
        scene="prm", level="hard", size=(1600, 1200), overrides={"lcd_contrast": 0.02}
    )
    image, truth = _drawn(clear, 1)
    contrast = digit_contrast(image, truth)
    assert contrast is not None and contrast > 2 * LEGIBLE_CONTRAST
    assert value_legible(image, truth)
    image, truth = _drawn(faint, 1)
    contrast = digit_contrast(image, truth)
    assert contrast is not None and contrast < LEGIBLE_CONTRAST
    assert not value_legible(image, truth)


@pytest.mark.parametrize("font", ["hd44780", "x11_5x8"])
def test_the_measure_finds_the_digits_on_wide_panels(font: str) -> None:
    """Wide panels (20 columns, 5 × 8 cells, other gaps): the measure samples the
    lattice the params describe; a dot area read a row or a column off would mix lit
    and unlit dots and fall under the threshold on a clear photo."""
    for seed in range(3):
        spec = PhotoSpec(
            scene="date", level="normal", size=(1600, 1200), font=font, geometry="wide"
        )
        image, truth = _drawn(spec, seed)
        contrast = digit_contrast(image, truth)
        assert contrast is not None and contrast > 2 * LEGIBLE_CONTRAST, (seed, truth["params"])


def test_the_measure_leaves_screens_without_digits_alone() -> None:
    image, truth = _drawn(PhotoSpec(scene="screen_off", level="normal", size=(1600, 1200)), 0)
    assert digit_contrast(image, truth) is None
    assert value_legible(image, truth)
