"""Hard photos' confidence, eighth pass (ocr37h): tesseract reading INDEX and nothing
legible after it names no other screen than the index; an outer column too short to be
a spine in any reading of its uncertain dots is none.

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

import numpy as np
import pytest

from linkytool.ocr import screenkind
from linkytool.ocr.dotmatrix import DIGITS, cell_windows, shifted
from linkytool.ocr.font5x7 import FONTS, glyph_bits
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.titles import classify_title

from .conftest import bench_photo, drawn_cell, held_out_verdict, spines_ruled_out


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
    assert held_out_verdict(photo, "x11_5x8") == (
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
    assert held_out_verdict(photo, "x11_5x8") == (
        ScreenKind.INJECTION_INDEX,
        "7",
        False,
    )


def test_an_eight_whose_waist_is_dark_under_an_uncertain_dot_is_no_six() -> None:
    # X11 5x7 (held out) hard photo 14 of tuning seed 139501: an 8 1.38 dots from a 6,
    # its waist sampled 0.00, the dot above it 0.84 (uncertain). Read lit, the left
    # column is broken; read dark, it is a 2-dot stroke under a 6-row ink: no 6's spine
    eight = drawn_cell((".##..", "?..#.", ".##..", "#..#.", "#..#.", ".##..", "....."))
    assert spines_ruled_out(eight) == "069"
    # the waist uncertain too: read lit, the column is a 4-dot spine (a 6 blur closed)
    six = drawn_cell((".##..", "?..#.", "?##..", "#..#.", "#..#.", ".##..", "....."))
    assert "6" not in spines_ruled_out(six)


def test_every_designs_spine_spans_half_its_ink_in_every_reading() -> None:
    # each glyph set's 6, 9 and 0 (plain and tailed too), every 7-row window and every
    # placement a dot off, with any one of its spine's dots uncertain: never ruled out
    for font in FONTS:
        for digit in "069":
            for window in cell_windows(glyph_bits(digit, font)):
                for placed in shifted(window):
                    cell = placed.astype(float)
                    assert digit not in spines_ruled_out(cell), (font, digit)
                    for dot in np.flatnonzero(cell.reshape(-1) > 0.5):
                        doubtful = cell.copy().reshape(-1)
                        doubtful[dot] = 0.5
                        assert digit not in spines_ruled_out(doubtful.reshape(cell.shape)), (
                            font,
                            digit,
                        )


def test_one_stray_dot_beside_the_ink_is_no_short_spine() -> None:
    # X11 5x7 (held out) hard photo 32 of tuning seed 139502: an X11 0 with one dot
    # surely lit in the column left of its ink (light from a neighbour, a speck): that
    # column's one dot is no stroke, so the 0 keeps its spine
    zero = drawn_cell(("..#..", ".#.#.", ".#.#.", ".#.#.", "##.#.", "?###.", "....."))
    assert "0" not in spines_ruled_out(zero)


#: ocr37h's adversarial PRM (camera model, seed 139601, X11 5x8 held out, normal photo
#: 2: ``35355355335535``), its first four cells (3, 5, 3, 5) as sampled and as pooled
#: for their shapes, in hundredths: smeared past every template (the panel's detected
#: ROM: X11 5x7) and closed below by the blur, each has a 6's shape and one lower hole.
_SMEARED_CELLS = (
    (
        "100 100 100 100 0",
        "56 73 100 70 0",
        "0 97 100 4 0",
        "5 85 90 77 1",
        "83 0 8 100 14",
        "88 64 74 87 2",
        "9 100 100 4 0",
    ),
    (
        "100 100 100 100 0",
        "100 80 67 62 0",
        "100 100 96 2 0",
        "92 99 100 57 1",
        "90 0 7 100 10",
        "92 61 77 82 2",
        "7 100 100 7 0",
    ),
    (
        "100 100 100 100 0",
        "60 83 100 77 0",
        "0 100 100 10 0",
        "4 94 94 70 0",
        "87 3 12 100 4",
        "95 58 63 86 0",
        "8 100 100 0 0",
    ),
    (
        "100 100 100 100 1",
        "100 80 75 67 0",
        "100 100 100 7 0",
        "79 90 93 80 1",
        "85 6 8 100 0",
        "83 63 69 81 0",
        "0 100 100 0 0",
    ),
)
_SMEARED_SHAPES = (
    (
        "100 100 100 100 0",
        "50 50 100 50 0",
        "0 100 100 0 0",
        "0 50 100 50 0",
        "50 0 0 100 0",
        "100 50 50 100 0",
        "0 100 100 0 0",
    ),
    (
        "100 100 100 100 0",
        "100 100 50 50 0",
        "100 100 100 0 0",
        "100 100 100 50 0",
        "100 0 0 100 0",
        "100 50 50 100 0",
        "0 100 100 0 0",
    ),
    (
        "100 100 100 100 0",
        "50 100 100 50 0",
        "0 100 100 0 0",
        "0 100 100 50 0",
        "100 0 0 100 0",
        "100 50 50 100 0",
        "0 100 100 0 0",
    ),
    (
        "100 100 100 100 0",
        "100 100 50 50 0",
        "100 100 100 0 0",
        "50 100 100 50 0",
        "50 0 0 100 0",
        "50 50 50 50 0",
        "0 100 100 0 0",
    ),
)
_SMEARED_TITLE = "NUMEAO PRM"
_SMEARED_FITS = (2.19, 1.25, 1.13, 2.29, 3.22, 1.68, 0.0, 1.71, 3.43, 1.47)


def _dots(cells: tuple[tuple[str, ...], ...]) -> np.ndarray:
    return np.array([[int(v) / 100 for row in rows for v in row.split()] for rows in cells])


def test_a_hole_blur_may_have_closed_reads_no_digit_off_a_sharp_panel() -> None:
    from linkytool.ocr.dotmatrix import CellRead, char_distances, reconsidered

    cells, shapes = _dots(_SMEARED_CELLS), _dots(_SMEARED_SHAPES)
    title = [CellRead(c, d, "", 0.0) for c, d in zip(_SMEARED_TITLE, _SMEARED_FITS, strict=True)]
    chars, distances = char_distances(cells, ("x11_5x7",), designs=True)
    costs = distances[:, [chars.index(d) for d in DIGITS]]
    # on a sharp panel the shape reads every cell as a 6 and answers the doubt: the
    # photo's 35355355335535 was read 66666666666666, confidently
    read, unfamiliar = reconsidered(cells, costs, title, False, shapes, sharp=True)
    assert "".join(DIGITS[i] for i in np.argmin(read, axis=1)) == "6666"
    assert not unfamiliar
    # off a sharp panel the hole may be blur's: the same reading, to confirm
    read, unfamiliar = reconsidered(cells, costs, title, False, shapes, sharp=False)
    assert "".join(DIGITS[i] for i in np.argmin(read, axis=1)) == "6666"
    assert unfamiliar
