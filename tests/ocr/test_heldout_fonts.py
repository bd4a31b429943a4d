"""Held-out glyph sets: a reader built without a photo's font is never confidently wrong.

Each photo below is one of ``bench/ocr_accuracy.py --font all --level normal,hard --seed
41`` (the tuning seed) that the reader read confidently wrong before the rule that now
withdraws its confidence; it is regenerated from its seed, font and index.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import read_photo
from linkytool.ocr.dotmatrix import CellRead, unfamiliar_digits, use_template_fonts
from linkytool.ocr.grammar import parse_index
from linkytool.ocr.policy import REPAIR_REMARKS, Repair
from ocrsynth import PhotoSpec, encode_photo, generate_photo, photo_rng
from ocrsynth.generate import draw_scene


def _bench_photo(tmp_path: Path, font: str, level: str, index: int) -> Path:
    """Photo ``index`` of the benchmark's set (seed 41) for ``font`` at ``level``."""
    rng = photo_rng(41, level, index)
    spec = PhotoSpec(scene=draw_scene(rng), level=level, font=font)
    image, truth = generate_photo(spec, rng)
    path = tmp_path / f"{font}-{level}-{index}.jpg"
    path.write_bytes(encode_photo(image, truth))
    return path


@pytest.mark.parametrize(
    ("font", "templates", "index", "wrong"),
    [
        # the alternative set's round 3 is 3 dots from HD44780's 8: "80" for 30
        ("alt", ("hd44780",), 3, "80"),
        # a tailed 6 nearest an 8 on a date: 2028-04-12T18:18 for 2026-04-12T18:13
        ("tailed", ("hd44780", "alt"), 7, "2028-04-12T18:18"),
    ],
)
def test_digits_of_an_unknown_design_are_to_confirm(
    tmp_path: Path, font: str, templates: tuple[str, ...], index: int, wrong: str
) -> None:
    path = _bench_photo(tmp_path, font, "normal", index)
    with use_template_fonts(templates):
        reading = read_photo(path)
    assert reading.value == wrong  # still the nearest reading, offered to confirm
    assert not reading.confident
    assert REPAIR_REMARKS[Repair.UNFAMILIAR_DIGITS] in reading.warnings


def test_an_index_glued_to_a_letter_is_to_confirm(tmp_path: Path) -> None:
    """'plain' index 753 shown "000000753 kWh": its 0s read as O and its straight 7 as T
    left "53" after the letters; it was confident."""
    path = _bench_photo(tmp_path, "plain", "normal", 11)
    with use_template_fonts(("hd44780", "alt")):
        reading = read_photo(path)
    assert reading.value == "53"
    assert not reading.confident
    match = parse_index("OOOOOOT53kWh")
    assert match is not None and match.value == "53" and match.repaired
    clean = parse_index("   000053 kWh")
    assert clean is not None and clean.value == "53" and not clean.repaired


def _cells(text: str, distance: float) -> list[CellRead]:
    return [CellRead(c, distance, " ", distance + 5) for c in text]


def test_unfamiliar_digits_compares_the_digits_with_the_title_letters() -> None:
    digits = np.array([[0.8] + [6.0] * 9, [3.9] + [7.0] * 9])
    assert unfamiliar_digits(digits, _cells("PRM", 0.8), excess=2.0)
    # a blurred panel: the letters fit as badly, nothing says the design is unknown
    assert not unfamiliar_digits(digits, _cells("PRM", 2.5), excess=2.0)
    # too few letters to compare
    assert not unfamiliar_digits(digits, _cells("P", 0.8), excess=2.0)
