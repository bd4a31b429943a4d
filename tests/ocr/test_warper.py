""":class:`linkytool.ocr.rectify.Warper` serves a quad read the other way up (its corners
rolled by two, as the panel search turns every quad) by turning the panel it already
warped, instead of warping the photo again (lead, stop 50: 2,839 -> 2,276 warps over the
101 pinned and camera photos, the readings of 790 photos unchanged by
``devtools/ocr_identity.py``). The shortcut is only right if the turned panel is the
warp's own pixels: checked here against :func:`rectify`, on a tilted quad of a committed
photo, at each border the search warps at.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from linkytool.ocr import rectify as rectify_module
from linkytool.ocr.loading import open_photo
from linkytool.ocr.rectify import Warper, rectify

from .conftest import SAMPLES_PHOTOS


@pytest.mark.parametrize("border", [3, 6, 10])
def test_a_quad_turned_upside_down_is_the_warp_turned_pixel_for_pixel(
    border: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = open_photo(SAMPLES_PHOTOS / "demo-prm.jpg").image
    width, height = image.size
    quad = np.array(
        [
            [0.21 * width, 0.33 * height],
            [0.78 * width, 0.29 * height],
            [0.81 * width, 0.61 * height],
            [0.19 * width, 0.58 * height],
        ]
    )
    turned = np.roll(quad, -2, axis=0)
    warps = []

    def counted(*args: object, **kwargs: object) -> Image.Image:
        warps.append(args)
        return rectify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rectify_module, "rectify", counted)
    warp = Warper(image)
    upright = warp(quad, border)
    served = warp(turned, border)
    assert warp(turned, border) is served and len(warps) == 1  # the photo warped once
    assert np.array_equal(np.asarray(served), np.asarray(rectify(image, turned, border=border)))
    assert np.array_equal(
        np.asarray(served), np.asarray(upright.transpose(Image.Transpose.ROTATE_180))
    )
