"""A date whose day, month or hour reads one digit is a guess (``dates._short_field``).

The screen draws ``JJ/MM/AA[AA] HH:MM`` with two digits each: a lone digit is its
neighbour unread. Found by ocrT on its held-out seed 137731 (X11 5x8 held out, hard photo
21): a 1 in a shade read as a blank made ``11/10/26 07:10`` the 1st of October, confident.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import dates
from linkytool.ocr.dates import parse_date
from linkytool.ocr.result import ScreenKind

from .conftest import bench_photo, held_out_verdict, read_held_out


@pytest.mark.parametrize(
    ("text", "value", "guess"),
    [
        ("DATE COURANTE\n11/10/26   07:10", "2026-10-11T07:10", False),
        ("DATE COURANTE\n 1/10/26   07:10", "2026-10-01T07:10", True),
        ("DATE COURANTE\n11/1/2026 07:10", "2026-01-11T07:10", True),
        ("DATE COURANTE\n11/10/2026 7:10", "2026-10-11T07:10", True),
        ("DATE\n03/08/2026", "2026-08-03", False),
    ],
)
def test_a_lone_digit_in_a_two_digit_field_makes_a_guess(
    text: str, value: str, guess: bool
) -> None:
    found = parse_date(text)
    assert found is not None and found.value == value
    assert found.repaired is guess


@pytest.mark.usefixtures("nine_pitch_background")
def test_a_day_whose_first_digit_is_in_a_shade_is_not_read_confidently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo, truth = bench_photo(tmp_path, "x11_5x8", "hard", 21, seed=137731)
    assert truth == "2026-10-11T07:10"
    assert held_out_verdict(photo, "x11_5x8") == (
        ScreenKind.DATE,
        "2026-10-01T07:10",
        False,
    )
    monkeypatch.setattr(dates, "_short_field", lambda match: False)
    wrong = read_held_out(photo, "x11_5x8")
    assert (wrong.value, wrong.confident) == ("2026-10-01T07:10", True)
