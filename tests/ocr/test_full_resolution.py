"""The panel chosen on a reduced photo is sampled from the photo at its own resolution
(issue 13, ocr53c; ``loading.LoadedPhoto.full_image``, ``panel._at_photo_resolution``).

A 12 MP phone photo (4032 px) is decoded at half size (``loading.DECODE_SIZE``): the panel
search runs there (speed), but a panel read on a measured lattice, warped again at 6 px a
pitch or more (ocr43a), had its dots drawn from upsampled pixels when the working image
shows it smaller. Its quad, scaled, is warped from the photo decoded whole instead.

The photo: ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 92617``, photo 44
(the committed pin ``tests/data/ocr-pinned/x11_5x8-hard-44-92617.jpg``, 4000 × 3000 px,
read at 2000 px where its panel, read on its lattice by the shipped reader, measures 3.3
px a pitch; 6.6 px in the photo).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr.loading import open_photo
from linkytool.ocr.panel import PanelChoice, _at_photo_resolution, find_panel
from linkytool.ocr.rectify import PX_PER_DOT, Warper, quad_pitches, rectify

from .conftest import bench_photo

Reduced = tuple[Image.Image, Image.Image, PanelChoice]


@pytest.fixture(scope="module")
def reduced(tmp_path_factory: pytest.TempPathFactory) -> Reduced:
    """(working image, photo decoded whole, panel chosen on the working image alone)."""
    path, _ = bench_photo(tmp_path_factory.mktemp("full"), "x11_5x8", "hard", 44, 92617)
    photo = open_photo(path)
    full = photo.full_image()
    assert full is not None
    choice = find_panel(photo.image)  # no full image: as before ocr53c
    assert choice is not None and choice.quad is not None
    assert choice.first.grid.lattice is not None
    return photo.image, full, choice


def test_a_reduced_photo_decodes_whole_on_demand(reduced: Reduced, tmp_path: Path) -> None:
    """The 4000 px photo is worked on at 2000 px; its full image is the file's own size,
    upright, RGB. A photo read at its own size has none."""
    image, full, _ = reduced
    assert image.size == (2000, 1500)
    assert full.size == (4000, 3000) and full.mode == "RGB"
    small = tmp_path / "small.png"
    Image.new("RGB", (800, 600), (90, 90, 90)).save(small)
    assert open_photo(small).full_image() is None


def test_the_panel_is_sampled_from_the_full_resolution_pixels(reduced: Reduced) -> None:
    """The lattice panel chosen (3.3 px a pitch in the working image, rectified at 6) is
    warped from the full image on its quad scaled by 2, on the same lattice: a flat grey
    full image leaves it flat (sampled from the working image, it shows the screen)."""
    image, full, choice = reduced
    assert choice.quad is not None
    assert min(quad_pitches(choice.quad)) < PX_PER_DOT
    warp = Warper(image)
    assert _at_photo_resolution(choice, warp) is choice  # capped at the working pitch
    after = _at_photo_resolution(choice, warp, lambda: full)
    assert after.first.grid.px_per_dot == PX_PER_DOT
    expected = rectify(full, choice.quad * 2, PX_PER_DOT)
    assert np.array_equal(np.asarray(after.panel), np.asarray(expected))
    assert after.quad is choice.quad  # the quad stays the working image's
    # the same lattice (scaled by 1: the same dot centres)
    assert np.array_equal(after.first.grid.centres[0], choice.first.grid.centres[0])
    grey = Image.new("RGB", full.size, (128, 128, 128))
    flat = _at_photo_resolution(choice, warp, lambda: grey)
    assert np.ptp(np.asarray(flat.panel.convert("L"))) <= 1
    assert np.ptp(np.asarray(choice.panel.convert("L"))) > 50


def test_a_panel_shown_large_enough_is_not_decoded_again(
    reduced: Reduced,
) -> None:
    """A panel the working image shows at the pitch its warp wants is read there: the photo
    is not decoded whole (it costs ~0.05-0.1 s and 36 MB)."""
    image, _, choice = reduced
    assert choice.quad is not None
    large = dataclasses.replace(choice, quad=choice.quad * 4)

    def refuse() -> Image.Image:
        raise AssertionError("decoded whole")

    again = _at_photo_resolution(large, Warper(image), refuse)  # from the working image
    assert again.first.grid.px_per_dot > PX_PER_DOT
