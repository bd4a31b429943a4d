"""A faint title is a written first line: the panel is read (ocr53b, stop 53).

Stop 41's rule (``lcdgrid.GridSample.untitled``, ``test_screen_off.py``) leaves a panel
unread when every cell of its first line holds less raw ink than the blank level (0.08)
while its second line holds more: every screen writes its first line, so such a panel
is a screen off whose second line was sampled on something else. On a dim panel under
a glare the title's ink falls under that level too while the value's crosses it: wide
hard tuning seed 155501 (``bench/ocr_accuracy.py --geometry wide --level hard --count
20 --seed 155501``), photo 16 (``PRM / 39406349164730``, 8.7 photo px a pitch, a glare
beside the title) in all six fonts, and X11 5x8's photo 19 (``00890594451991``, read
exactly on line 2) were « La première ligne de l'écran est vide ». Their first lines
spot ``PRM`` on cells holding 0.03-0.08 against 0.015-0.03 on the line's other cells.

``PanelRead.untitled`` keeps the rule where no title word is drawn: a word spotted on
the first line (``Settings.spot_max_cost``) each of whose cells holds more ink than
every other cell of the line (``Settings.written_title``) is a faint title, and the
panel is read as any other (none of 48 screens off drawn on seed
155550, default and wide, normal and hard, is untitled; the pinned screen off of
``test_screen_off.py`` stays unread).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import panel
from linkytool.ocr.panel import VARIANTS, PanelRead, classify_grid, read_panel
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS
from ocrsynth.render import LcdGeometry
from ocrsynth.screens import Screen

from .conftest import drawn_panel, read_held_out, wide_photo

VALUE = " 39406349164730 "


def _faded(title: str, line_shares: tuple[float, float], even_title: bool = False) -> PanelRead:
    """A standard panel showing ``title`` over the PRM ``VALUE``, read, with each line's
    raw ink scaled by ``line_shares`` (a dim panel: the cells' normalised dots, which
    the title spotting reads, are unchanged); ``even_title``: every cell of line 1 at
    its inkiest cell's ink (no cell stands out: noise that fits letters)."""
    screen = Screen("prm", (title, VALUE), None)
    image = drawn_panel(LcdGeometry(), screen, font="hd44780", dot_fill=0.85)
    read = read_panel(image, VARIANTS[0])
    assert read.text[1] == VALUE and read.grid.ink is not None
    ink = read.grid.ink * np.array([[line_shares[0]], [line_shares[1]]])
    if even_title:
        ink[0] = ink[0].max()
    return classify_grid(dataclasses.replace(read.grid, ink=ink), read.variant, read.font)


def test_a_faint_title_beside_its_blanks_is_a_written_first_line() -> None:
    read = _faded("PRM             ", (0.06, 0.13))
    assert read.text[0].startswith("PRM")
    assert float(read.grid.ink[0].max()) < 0.08 < float(read.grid.ink[1].max())
    assert read.grid.untitled  # stop 41's measure alone: the first line shows nothing
    assert read.title_spotted and not read.untitled


def test_a_first_line_without_a_word_stays_untitled() -> None:
    read = _faded("                ", (0.06, 0.13))
    assert read.grid.untitled and not read.title_spotted
    assert read.untitled


def test_a_word_on_cells_no_fainter_than_the_line_s_others_stays_untitled() -> None:
    read = _faded("PRM             ", (0.06, 0.13), even_title=True)
    assert read.title_spotted
    assert read.untitled  # the word's cells hold no ink the others do not


def test_without_the_rule_every_untitled_grid_is_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(panel, "SETTINGS", dataclasses.replace(SETTINGS, written_title=False))
    assert _faded("PRM             ", (0.06, 0.13)).untitled


def test_tuning_photo_16_reads_its_faint_title_and_its_prm(tmp_path: Path) -> None:
    """Wide hard tuning seed 155501, photo 16, HD44780 held out (1.8 s of CPU: the photo
    drawn and read once). Was « La première ligne de l'écran est vide », no value."""
    photo, value = wide_photo(tmp_path, "hard", 16, 155501, "hd44780")
    assert value == "39406349164730"
    reading = read_held_out(photo, "hd44780")
    assert reading.screen is ScreenKind.PRM
    assert reading.value == value
    assert not reading.confident  # a dim panel, a title hard to read: to confirm
