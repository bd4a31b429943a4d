"""Normal photos of every held-out font, second pass (ocrO): readings held to confirm,
or lost, by the grammar rather than by the cells.

The photos are ``bench/ocr_accuracy.py --font FONT --level normal --seed S`` (ocrO's
tuning seeds 135001-135499), the font held out; each is read right and confidently, and
was not before the rule its test switches back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image

from linkytool.ocr import grammar, valuecells
from linkytool.ocr.grammar import parse_value
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo, read_held_out

_read = read_held_out


def _old_left_out(text: str, explained: set[int]) -> bool:
    """The check before ocrO: a digit run not touching a letter (it backtracked, so
    "00URANTE" held the run "0" before "0")."""
    return any(
        not explained.issuperset(range(run.start(), run.end()))
        for run in re.finditer(r"(?<![A-Z])\d+(?![A-Z])", text)
    )


@pytest.mark.parametrize("font", ["hd44780", "plain"])
def test_a_title_word_leaning_to_digits_is_no_number_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font: str
) -> None:
    # "DATE C0URANTE" / "04/09/27": the token C0URANTE holds a digit (the ROM's O read
    # 0), so its cells lean to digits and the C reads 0: "00URANTE", whose "0" before
    # "0" the old check took for a number left outside the date (a layout guess)
    photo, truth = bench_photo(tmp_path, font, "normal", 0, seed=135001)
    assert truth == "2027-09-04"
    reading = _read(photo, font)
    assert (reading.screen, reading.value, reading.confident) == (ScreenKind.DATE, truth, True)
    monkeypatch.setattr(grammar, "number_left_out", _old_left_out)
    reading = _read(photo, font)
    assert (reading.value, reading.confident) == (truth, False)


def test_digits_beside_letters_in_a_number_are_still_left_out() -> None:
    # (a number after an index's unit read in full is explained since ocr39b: a number
    # before the index is the index screen's case)
    for text in ("29/07/2027 X0833", "29/07/2027 0833X", "34  12 kWh"):
        kind = ScreenKind.INJECTION_INDEX if "kWh" in text else ScreenKind.DATE
        match = parse_value(kind, text)
        assert match is not None and match.repaired, text


@pytest.mark.parametrize(
    ("index", "seed", "value"),
    [
        (39, 135001, "7"),  # "7kWh" read "TkWh": the alternative ROM's 7 as T
        (25, 135002, "0"),  # "000000kWh" read "OOOOOOkWh": its round 0s as O
    ],
)
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_number_glued_to_its_unit_leans_to_digits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int, seed: int, value: str
) -> None:
    # the token holds no digit and no unit follows it (it ends with the unit): its cells
    # were left letters and no index was read ("Valeur illisible")
    photo, truth = bench_photo(tmp_path, "alt", "normal", index, seed=seed)
    assert truth == value
    reading = _read(photo, "alt")
    assert (reading.screen, reading.value, reading.confident) == (
        ScreenKind.INJECTION_INDEX,
        value,
        True,
    )

    def before_the_unit_only(token: str, rest: str) -> bool:
        unit = re.match(r"\s?(?:K(?:W|\dH)|\SWH)", rest.upper())
        return any(c.isdigit() for c in token) or (token.isalnum() and unit is not None)

    monkeypatch.setattr(valuecells, "number_token", before_the_unit_only)
    assert _read(photo, "alt").value is None


def test_tesseract_naming_the_spotted_title_stands_for_the_cell_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # X11 5x8 left out: its E reads L ("DATL": no cell text names the screen), DATE is
    # spotted at 3.7 dots a letter, 3.3 below the next screen's word (under
    # spot_sure_gap); tesseract reads "DATE". Two readings of the title and a value no
    # other screen shows: certain, as when every variant's cell text names it
    from linkytool.ocr import reader
    from linkytool.ocr.panel import PanelRead
    from linkytool.ocr.screenkind import TitleReading, read_title

    photo, truth = bench_photo(tmp_path, "x11_5x8", "normal", 49, seed=135001)
    assert truth == "2025-12-25T09:33"
    seen: list[Sequence[PanelRead]] = []

    def keeping(reads: Sequence[PanelRead], text: str | None) -> TitleReading:
        seen.append(reads)
        return read_title(reads, text)

    monkeypatch.setattr(reader, "read_title", keeping)
    reading = _read(photo, "x11_5x8")
    assert (reading.screen, reading.value, reading.confident) == (ScreenKind.DATE, truth, True)
    reads = seen[-1]
    assert reads[0].text[0].strip() == "DATL"
    title = read_title(reads, "DATE")
    assert title.kind is ScreenKind.DATE and title.certain and title.spot_gap < 4.0
    assert not read_title(reads, None).certain
    assert not read_title(reads, "DATL").certain


@pytest.mark.usefixtures("nine_pitch_background")
def test_the_green_channel_reads_where_the_first_variant_did_when_better_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # X11 5x8 left out: the green channel fitted its own layout with line 2 half a pitch
    # off (a dot pitch of 5.58 px for 5.76), every digit 3-6 dots off its templates:
    # unfamiliar digits in that variant alone held the PRM to confirm. At the first
    # variant's dots it reads better (lower rank), and the PRM is confident
    from linkytool.ocr import panel, reader
    from linkytool.ocr.dotmatrix import FontSet
    from linkytool.ocr.lcdgrid import GridSample, sample_grid

    photo, truth = bench_photo(tmp_path, "x11_5x8", "normal", 47, seed=135003)
    assert truth == "02326613741891"
    reading = _read(photo, "x11_5x8")
    assert (reading.screen, reading.value, reading.confident) == (ScreenKind.PRM, truth, True)

    def own_layout(
        image: Image.Image,
        variant: panel.Variant,
        font: FontSet | None = None,
        *,
        like: GridSample | None = None,
    ) -> panel.PanelRead:
        lattice = like.lattice if like is not None else None
        at = like if like is not None and like.placed else None
        channel = panel._channel(image, variant.channel)
        grid = sample_grid(channel, window=variant.window, lattice=lattice, at=at)
        return panel.classify_grid(grid, variant, font)

    monkeypatch.setattr(reader, "read_panel", own_layout)
    reading = _read(photo, "x11_5x8")
    assert (reading.value, reading.confident) == (truth, False)
