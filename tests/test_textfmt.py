"""French renderings shared by every user-facing text (numbers, sizes, dates)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from linkytool.textfmt import (
    THOUSANDS_SPACE,
    french_date,
    french_datetime,
    french_megabytes,
    french_number,
    french_percent,
)


@pytest.mark.parametrize(
    ("value", "spec", "shown"),
    [
        (0.8, ".1f", "0,8"),
        (5.0, "g", "5"),
        (51.5, "g", "51,5"),
        (12500.5, ",.1f", f"12{THOUSANDS_SPACE}500,5"),
        (-0.25, ".2f", "-0,25"),
    ],
)
def test_numbers_have_a_decimal_comma(value: float, spec: str, shown: str) -> None:
    assert french_number(value, spec) == shown


def test_sizes_percentages_and_dates() -> None:
    assert french_megabytes(4_200_000) == "4,2 Mo"
    assert french_megabytes(2_560_000, 2) == "2,56 Mo"
    assert french_percent(0.125) == "12,5 %"
    assert french_date(date(2026, 11, 20)) == "20/11/2026"
    assert french_date(None, missing="?") == "?"
    moment = datetime(2026, 11, 20, 14, 32, 5)
    assert french_datetime(moment) == "20/11/2026 14:32"
    assert french_datetime(moment, seconds=True) == "20/11/2026 14:32:05"
    assert french_datetime(moment, joiner=" à ") == "20/11/2026 à 14:32"
