"""Hard photos' confidence, ninth pass (ocr38a): one sampling's cell text naming the
screen spotted best, and no text naming another, confirms a sure spotting as
tesseract's reading of the title strip does; a cell whose own shape rules out its
nearest digit is not vouched for by a twin (found with the variant probe).

The photo is ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 141022``, photo
17 (ocr38a's tuning seed), the X11 5x8 set held out: its J reads T and its I reads T in
two samplings ("TNDEX TNTECTION", naming no screen), the 5 px window reads "INDEX
INTECTION" (the index); tesseract reads nothing legible. INJECTION is spotted at 2.96
dots a letter (under ``spot_sure_cost``), 3.72 below the next screen's word (under
``spot_sure_gap``, over ``spot_text_sure_gap``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, screenkind
from linkytool.ocr.dotmatrix import DIGITS, char_distances, template_fonts, use_template_fonts
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo, held_out_verdict

PRM, DATE, INDEX, OTHER = (
    ScreenKind.PRM,
    ScreenKind.DATE,
    ScreenKind.INJECTION_INDEX,
    ScreenKind.OTHER,
)


@pytest.mark.parametrize(
    ("kind", "texts", "tesseract", "confirms"),
    [
        (INDEX, (None, INDEX, None), None, True),  # the pinned photo
        (PRM, (None, PRM, None), None, True),  # "NUHEAO PAX" / "NUMEAO PRM" (photo 12)
        (DATE, (None, DATE, None), DATE, True),
        (PRM, (None, None, None), None, False),  # no text names it
        (PRM, (None, None, None), PRM, False),  # tesseract alone: its own rule
        (INDEX, (OTHER, INDEX, OTHER), None, False),  # another screen named ("INDEX ...")
        (INDEX, (None, INDEX, None), OTHER, False),
        (PRM, (None, PRM, DATE), None, False),
        (DATE, (None, PRM, None), None, False),  # a text naming another value screen
    ],
)
def test_one_cell_text_naming_the_spotted_screen_alone_confirms_it(
    kind: ScreenKind,
    texts: tuple[ScreenKind | None, ...],
    tesseract: ScreenKind | None,
    confirms: bool,
) -> None:
    assert screenkind._one_text_names_it(kind, texts, tesseract) is confirms


@pytest.mark.usefixtures("nine_pitch_background")
def test_an_x11_index_title_one_sampling_reads_is_certain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 17, seed=141022)
    assert truth == "216"
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "216", True)
    monkeypatch.setattr(screenkind, "_one_text_names_it", lambda *_: False)
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "216", False)


#: ocr38a's variant probe (``devtools/ocr_variant_probe.py alt 3 3 1 --level hard --seed
#: 141053``), photo 20: alt's glyphs with the dot left of the 3's middle bar lit
#: (``.###.`` where alt draws ``..##.``), alt held out, the index ``638`` drawn
#: ``000000638``. Its nine digit cells in the 3 px sampling (each dot two digits, in
#: hundredths, 99 for fully on) and their dots pooled over the samplings (the shapes).
#: On main the 3, nearest an 8 (misfit 2.45 dots over the title letters, no template
#: holding its design), was vouched for by the panel's blurred 8 and ``688`` was read
#: confidently.
PROBE_CELLS = (
    "0099889900991500017794001111999900061596990001009484070005770099998700",
    "1099998001990001009962030000998709250086990607059982000021770299999200",
    "2599996604990011109999100000949500001098990004118498010000920099866907",
    "0092829300990014009999000000989903040282990003009986160025672299997603",
    "0799786809992300128899110000999900011899640006008195000000980499999900",
    "1634749512830500009996060000779800000094910400149999000000990099999915",
    "0067909408990016000096000100009991879228990000079472041600990099999923",
    "0095889301990010009900000000990088999900000000044343200100830069879921",
    "1579999922993700119999100000990077999919660000007382001100910099999818",
)
PROBE_SHAPES = (
    "0099999900990000005099000000999900000099990000009999000000500099999900",
    "0099999900990000009950000000999900000099990000009950000050500099999900",
    "5099995000990000009999000000999900000099990000005099000000990099995000",
    "0099999900990000009999000000999900000099990000009999000050505099995000",
    "0099505000995000009999000000999900000099500000009999000000990099999900",
    "5050509900990000009999000000999900000099990000009999000000990099999950",
    "0050999900990000000099000000009999999950990000009950000000990099999950",
    "0099999900990000009900000000990099999900000000005050500000500050999950",
    "0099999950995000009999000000990050999950500000005050000000990099999950",
)
#: The title letters' median fit on that sampling [dots] (``dotmatrix.letters_fit``).
PROBE_LETTERS = 2.15


def _probe_read() -> tuple[str, bool, np.ndarray]:
    cells, shapes = _dots(PROBE_CELLS), _dots(PROBE_SHAPES)
    with use_template_fonts(tuple(name for name in template_fonts() if name != "alt")):
        # the panel's ROM detected as HD44780's (dotmatrix.detect_fonts)
        chars, distances = char_distances(cells, "hd44780", designs=True)
        costs = distances[:, [chars.index(digit) for digit in DIGITS]]
        vouched = dotmatrix.vouched_digits(cells, costs, PROBE_LETTERS, shapes=shapes)
        title = [dotmatrix.CellRead("A", PROBE_LETTERS, "B", 9.0)] * dotmatrix.MIN_LETTERS
        unfamiliar = dotmatrix.unfamiliar_digits(costs, title, cells=cells, shapes=shapes)
    return "".join(DIGITS[i] for i in np.argmin(costs, axis=1)), unfamiliar, vouched


def _dots(rows: tuple[str, ...]) -> np.ndarray:
    return np.array([[int(r[i : i + 2]) for i in range(0, 70, 2)] for r in rows]) / 99


def test_a_cell_whose_shape_is_no_eight_is_not_vouched_for_by_an_eight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read, unfamiliar, vouched = _probe_read()
    assert read == "000000688"  # the 3 nearest an 8, beside the panel's own 8
    assert not vouched[7] and unfamiliar  # its left column rules the 8 out: to confirm
    assert vouched[:6].all()  # the 0s, drawn six times alike, keep their twins
    monkeypatch.setattr(dotmatrix, "unlike_own_digit", lambda dots, costs, off: dots[:, 0] > 2)
    _, unfamiliar, vouched = _probe_read()
    assert vouched[7] and not unfamiliar  # the rule off: the "8" drawn twice, read 688
