"""Hard photos' confidence, ninth pass (ocr38a): one sampling's cell text naming the
screen spotted best, and no text naming another, confirms a sure spotting as
tesseract's reading of the title strip does.

The photo is ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 141022``, photo
17 (ocr38a's tuning seed), the X11 5x8 set held out: its J reads T and its I reads T in
two samplings ("TNDEX TNTECTION", naming no screen), the 5 px window reads "INDEX
INTECTION" (the index); tesseract reads nothing legible. INJECTION is spotted at 2.96
dots a letter (under ``spot_sure_cost``), 3.72 below the next screen's word (under
``spot_sure_gap``, over ``spot_text_sure_gap``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import screenkind
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


def test_an_x11_index_title_one_sampling_reads_is_certain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 17, seed=141022)
    assert truth == "216"
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "216", True)
    monkeypatch.setattr(screenkind, "_one_text_names_it", lambda *_: False)
    assert held_out_verdict(photo, "x11_5x8") == (ScreenKind.INJECTION_INDEX, "216", False)
