"""A value found by a loose rule is returned as a guess, never as confident.

Clean LCD panels with chosen text are drawn with the synth renderer inside a dark
bezel (no photo degradation), so only the reader's confidence rules are exercised.
"""

from __future__ import annotations

import pytest
from PIL import Image

from linkytool.ocr import PhotoReading, ScreenKind, read_image
from ocrsynth.render import LcdStyle, render_lcd
from ocrsynth.screens import Screen

STYLE = LcdStyle(
    background=(170, 190, 120),
    ink=(30, 40, 30),
    ghost=0.05,
    dot_fill=0.85,
    contrast=1.0,
    font="hd44780",
    backlight=True,
)


def _panel(lines: tuple[str, str]) -> Image.Image:
    return render_lcd(Screen("date", lines, None), STYLE, pitch=6)


def _framed(panel: Image.Image) -> Image.Image:
    """A light wall, a dark bezel and ``panel`` inside it."""
    photo = Image.new("RGB", (panel.width + 400, panel.height + 400), (200, 200, 195))
    bezel = Image.new("RGB", (panel.width + 60, panel.height + 60), (35, 35, 35))
    photo.paste(bezel, (170, 170))
    photo.paste(panel, (200, 200))
    return photo


def _photo(lines: tuple[str, str]) -> Image.Image:
    """A light wall, a dark bezel and the LCD showing ``lines``."""
    return _framed(_panel(lines))


def _read(lines: tuple[str, str]) -> PhotoReading:
    return read_image(_photo(lines), use_tesseract=False)


def test_a_clean_date_and_time_is_confident() -> None:
    reading = _read(("DATE COURANTE", "29/07/2027 08:33"))
    assert reading.screen is ScreenKind.DATE
    assert reading.value == "2027-07-29T08:33"
    assert reading.confident


@pytest.mark.parametrize(
    ("lines", "kind", "value"),
    [
        # the colon not seen: once returned confidently without the time
        (("DATE COURANTE", "29/07/2027 08 33"), ScreenKind.DATE, "2027-07-29T08:33"),
        # a stray digit next to the PRM: 14 digits either way
        (("NUMERO PRM", "12460061131665 4"), ScreenKind.PRM, "12460061131665"),
        # the blank before the unit read as a mark
        (("INDEX INJECTION", "000000214.kWh"), ScreenKind.INJECTION_INDEX, "214"),
    ],
)
def test_a_loosely_parsed_value_is_only_a_guess(
    lines: tuple[str, str], kind: ScreenKind, value: str
) -> None:
    reading = _read(lines)
    assert reading.screen is kind
    assert reading.value == value
    assert not reading.confident
    assert reading.to_confirm


@pytest.mark.parametrize(
    ("lines", "kind", "value"),
    [
        (("  hM1LPPP", "15/01/2026 10:36"), ScreenKind.DATE, "2026-01-15T10:36"),
        (("  hM1LPPP", "  37455671167360"), ScreenKind.PRM, "37455671167360"),
        (("  hM1LPPP", " S25394671452075"), ScreenKind.PRM, "25394671452075"),  # S folds to 5
    ],
)
def test_an_illegible_title_over_a_date_or_a_prm_is_named_by_its_value(
    lines: tuple[str, str], kind: ScreenKind, value: str
) -> None:
    reading = _read(lines)
    assert (reading.screen, reading.value) == (kind, value)
    assert not reading.confident
    assert any("titre" in warning for warning in reading.warnings)


def test_an_illegible_title_over_an_index_is_not_guessed() -> None:
    # any index screen shows "N kWh": the value does not say which screen it is
    reading = _read(("  hM1LPPP", "000163 kWh"))
    assert reading.screen not in (ScreenKind.INJECTION_INDEX, ScreenKind.PRM, ScreenKind.DATE)
    assert reading.value is None


def test_a_faint_residue_in_the_blank_before_the_unit_is_never_confident() -> None:
    # the previous screen's "0" fading in the blank cell of "924693 kWh" (40 % ink):
    # once normalised it reads as a clear 0, an index ten times too large
    shown = _panel(("INDEX INJECTION", "   924693 kWh"))
    residue = _panel(("INDEX INJECTION", "   9246930kWh"))
    reading = read_image(_framed(Image.blend(shown, residue, 0.4)), use_tesseract=False)
    assert reading.value == "9246930"  # what the cells say...
    assert not reading.confident  # ...but the 0 is far fainter than the other digits
    assert any("pâle" in warning for warning in reading.warnings)


@pytest.mark.parametrize(
    ("shown", "trusted"),
    [
        ("  000214 kWh", True),  # padded to 6 digits: a width seen on the screen
        (" 000000214 kWh", True),  # padded to 9 digits: the other width seen
        ("   00214 kWh", False),  # 5 digits: a stray cell read as 0 would make one
        ("  0000214 kWh", False),  # 7 digits
    ],
)
def test_an_index_padded_to_a_width_never_seen_is_to_confirm(shown: str, trusted: bool) -> None:
    # Settings.index_pad_widths: another padded width is read, not trusted (Repair.PADDING)
    reading = _read(("INDEX INJECTION", shown))
    assert (reading.screen, reading.value) == (ScreenKind.INJECTION_INDEX, "214")
    assert reading.confident is trusted
    assert any("zéros" in warning for warning in reading.warnings) is not trusted


def test_a_year_no_calendar_holds_gives_the_nearest_real_date_to_confirm() -> None:
    # "2925": the 0 drawn as a 9. The cells are re-decided among real dates (years
    # 2015-2099): 2025, the only cell changed, and the user is told why
    reading = _read(("DATE COURANTE", "29/11/2925 13:48"))
    assert (reading.screen, reading.value) == (ScreenKind.DATE, "2025-11-29T13:48")
    assert not reading.confident
    assert any("date impossible" in warning for warning in reading.warnings)
