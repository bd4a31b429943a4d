"""Every template glyph set reading a value's doubted digits alike is no evidence (issue 13).

ocrY's ``corroborated`` rule (stop 32) made such a value confident: each doubted cell
(a thin margin, an unfamiliar design) read the same digit by each template glyph set
alone. The lead's safety seed 86532 (stop 33) found it confidently wrong: plain hard
photo 2, the PRM's blurred 9 a 4 to every set. The rule and its evidence are gone; the
photos it freed (ocrY's tuning seed 100101) and the one it misread are to confirm.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import policy, read_photo
from linkytool.ocr.dotmatrix import (
    template_fonts,
    use_template_fonts,
)
from linkytool.ocr.policy import Candidate, Repair, Verdict, decide, remarks
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo, twins_shape_off

SEED = 100101


def _without(font: str) -> tuple[str, ...]:
    return tuple(name for name in template_fonts() if name != font)


@pytest.mark.parametrize(
    ("photo", "truth", "read"),
    [
        # every set reads the doubted cells alike, and right: the rule freed them
        (("plain", 15, SEED), None, None),
        (("plain", 3, SEED), None, None),
        # every set reads the PRM's blurred 9 as a 4: the rule made it confidently wrong
        (("plain", 2, 86532), "19686706722299", "14686706722299"),
    ],
)
@pytest.mark.usefixtures("nine_pitch_background")
def test_a_value_every_glyph_set_reads_alike_is_still_to_confirm(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    photo: tuple[str, int, int],
    truth: str | None,
    read: str | None,
) -> None:
    """The glyph sets agreeing is no evidence the digit is right: plain's blurred 9 is a
    4 to every set (the lead's safety seed 86532, stop 33). No rule makes a corroborated
    value confident any more; this test failed with the rule in (photo 2 confident).
    Since ocrW a doubted cell's twins lend it their shape's rule-outs
    (``dotmatrix._twins_shape``: photo 15, right, is then confident): switched off here,
    to see the glyph sets' agreement alone."""
    twins_shape_off(monkeypatch)
    font, index, seed = photo
    path, value = bench_photo(tmp_path, font, "hard", index, seed)
    assert truth is None or value == truth
    with use_template_fonts(_without(font)):
        reading = read_photo(path)
    assert reading.value == (read or value)
    assert not reading.confident
    assert reading.warnings  # it says what to check


def test_an_unfamiliar_design_or_a_thin_margin_is_to_confirm() -> None:
    assert all(rule.name != "corroborated" for rule in policy.RULES)
    unseen = Candidate(
        ScreenKind.PRM, "1", margins=(3.0,), repairs=frozenset({Repair.UNFAMILIAR_DIGITS})
    )
    assert decide(unseen) == (Verdict.TO_CONFIRM, "repaired")
    assert remarks(unseen) == (policy.REPAIR_REMARKS[Repair.UNFAMILIAR_DIGITS],)
    thin = Candidate(ScreenKind.PRM, "1", margins=(0.2,))
    assert decide(thin) == (Verdict.TO_CONFIRM, "thin margin")
