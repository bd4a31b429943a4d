"""Hard photos' confidence, eighth pass (ocr37h): tesseract reading INDEX and nothing
legible after it names no other screen than the index.

"INDEX" begins both the injection index's title and another screen's ("INDEX NON
CONSO"), so tesseract's "INDEX 1 :DN" names neither, no more evidence against the index
than tesseract reading nothing, which already lets every variant's cell text naming the
index stand for a clear gap to the next title word (``screenkind._text_names_it_alone``).
The photo is ``bench/ocr_accuracy.py --font x11_5x8 --level hard --seed 139502``, photo
29 (ocr37h's tuning seed), the X11 5x8 set held out: every variant reads the title
"INDEX INTECTION" (the X11 J read T), INJECTION is spotted at 2.5 dots a letter, 3.9
below the next screen's word (under ``spot_sure_gap``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import screenkind
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.titles import classify_title

from .conftest import bench_photo, read_held_out


@pytest.mark.parametrize(
    ("text", "alone"),
    [
        ("INDEX 1 :DN", True),  # the pinned photo's tesseract text
        ("INDEX PANJECTTOMi", True),  # tuning seed 139501, X11 5x8 hard photo 39
        ("INDEX", True),
        (None, True),  # no tesseract: as before
        ("INDEX NON CONSO", False),  # another index screen, by its own words
        ("INDEX BASE", False),
        ("HEURE CREUSE", False),
    ],
)
def test_tesseract_naming_another_screen_only_by_index_leaves_the_index_alone(
    text: str | None, alone: bool
) -> None:
    tesseract_kind = classify_title(text) if text is not None else None
    kind = ScreenKind.INJECTION_INDEX
    assert screenkind._text_names_it_alone(kind, tesseract_kind, text) is alone
    # not for a screen whose title does not show INDEX
    assert not screenkind._text_names_it_alone(ScreenKind.OTHER, tesseract_kind, text)


def test_an_x11_index_title_tesseract_reads_index_only_is_certain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 29, seed=139502)
    assert truth == "7"
    reading = read_held_out(photo, "x11_5x8")
    assert (reading.screen, reading.value, reading.confident) == (
        ScreenKind.INJECTION_INDEX,
        "7",
        True,
    )
    before = screenkind._text_names_it_alone
    monkeypatch.setattr(
        screenkind,
        "_text_names_it_alone",
        lambda kind, tesseract_kind, _: before(kind, tesseract_kind),
    )
    reading = read_held_out(photo, "x11_5x8")
    assert (reading.screen, reading.value, reading.confident) == (
        ScreenKind.INJECTION_INDEX,
        "7",
        False,
    )
