"""A screen without a dot grid still gets a reading to confirm, from tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from linkytool.ocr import read_photo
from linkytool.ocr.nogrid import READ_HEIGHT, guess_without_grid
from linkytool.ocr.result import ScreenKind

PANEL = Image.new("L", (640, 160), 200)


class FakeTesseract:
    """Returns the given text for the panel turned ``upright_turn`` degrees, noise else."""

    def __init__(self, text: str, upright_turn: int = 0) -> None:
        self.text = text
        self.upright_turn = upright_turn
        self.calls = 0
        self.sizes: list[tuple[int, int]] = []

    def __call__(self, image: Image.Image) -> str:
        self.calls += 1
        self.sizes.append(image.size)
        return self.text if self.calls == (1 if self.upright_turn == 0 else 2) else "XW0 4"


def test_a_plain_text_index_screen_is_read() -> None:
    fake = FakeTesseract("Index Injection\n000012 kWh\n")
    guess = guess_without_grid(PANEL, fake)
    assert guess is not None
    assert (guess.kind, guess.value) == (ScreenKind.INJECTION_INDEX, "12")
    assert fake.sizes[0][1] == READ_HEIGHT


def test_an_upside_down_panel_is_read_the_other_way_up() -> None:
    guess = guess_without_grid(PANEL, FakeTesseract("NUMERO PRM\n30002345678901\n", 180))
    assert guess is not None
    assert (guess.kind, guess.value) == (ScreenKind.PRM, "30002345678901")


def test_a_title_without_its_value_is_no_guess() -> None:
    assert guess_without_grid(PANEL, FakeTesseract("NUMERO PRM\n3000234\n")) is None


def test_another_screen_or_noise_is_no_guess() -> None:
    assert guess_without_grid(PANEL, FakeTesseract("CONSOMMATEUR\n000123 kWh\n")) is None
    assert guess_without_grid(PANEL, FakeTesseract("")) is None


def _plain_font_meter(lines: tuple[str, str], path: Path) -> Path:
    """A meter whose screen shows plain-font text (no dot grid), behind a dark bezel."""
    image = Image.new("RGB", (1600, 1200), (200, 196, 190))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 250, 1300, 950), fill=(225, 225, 215))
    draw.rectangle((450, 420, 1150, 700), fill=(25, 25, 28))
    draw.rectangle((480, 450, 1120, 670), fill=(150, 190, 120))
    font = ImageFont.load_default(size=60)
    draw.text((510, 470), lines[0], font=font, fill=(20, 30, 20))
    draw.text((510, 570), lines[1], font=font, fill=(20, 30, 20))
    image.filter(ImageFilter.GaussianBlur(1.2)).save(path, quality=90)
    return path


@pytest.mark.parametrize(
    ("lines", "kind", "value"),
    [
        (("INDEX INJECTION", "000012 kWh"), ScreenKind.INJECTION_INDEX, "12"),
        (("NUMERO PRM", "30002345678901"), ScreenKind.PRM, "30002345678901"),
    ],
)
def test_a_screen_without_dot_grid_gets_a_value_to_confirm(
    tmp_path: Path, lines: tuple[str, str], kind: ScreenKind, value: str
) -> None:
    reading = read_photo(_plain_font_meter(lines, tmp_path / "ecran.jpg"))
    assert (reading.screen, reading.value) == (kind, value)
    assert not reading.confident and reading.to_confirm
    assert any("afficheur à points" in w for w in reading.warnings)
