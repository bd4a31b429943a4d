"""A screen off is no reading, even when something across the panel looks like a line.

Report seed 84205 (stop 40), normal photo 36, drawn in the alternative ROM: a Linky whose
screen is off, a scratch across the glass. The grid chosen put its second line on the
bezel's edge, whose dark band read in every held-out font as 14 digits, so the reader
offered `77744444422222` as the PRM to confirm: a number made from nothing. The panel's
first line showed no ink at all, and every screen the reader reads writes its first line
(`lcdgrid.GridSample.untitled`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr.result import ScreenKind

from .conftest import make_scene, read_held_out


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_screen_off_with_a_scratch_offers_no_number(tmp_path: Path) -> None:
    data, truth = make_scene("alt", "normal", 36, 84205)
    assert truth.scene == "screen_off" and truth.value is None
    photo = tmp_path / "screen-off.jpg"
    photo.write_bytes(data)
    reading = read_held_out(photo, "alt")
    assert reading.value is None, reading.value  # was 77744444422222, to confirm
    assert reading.screen is ScreenKind.NOT_LINKY
    assert any("première ligne de l'écran est vide" in warning for warning in reading.warnings)
