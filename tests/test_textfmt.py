"""French renderings shared by every user-facing text (numbers, sizes, dates)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from linkytool.textfmt import (
    THOUSANDS_SPACE,
    form_value,
    french_count,
    french_date,
    french_datetime,
    french_duration,
    french_megabytes,
    french_number,
    french_percent,
    parse_french_date,
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
    assert french_megabytes(812, 2) == "< 0,01 Mo"  # message.txt in the pack, not 0,00
    assert french_megabytes(5_000, 2) == "0,01 Mo"
    assert french_megabytes(0) == "0,0 Mo"
    assert french_percent(0.125) == "12,5 %"
    assert french_date(date(2026, 11, 20)) == "20/11/2026"
    assert french_date(None, missing="?") == "?"
    moment = datetime(2026, 11, 20, 14, 32, 5)
    assert french_datetime(moment) == "20/11/2026 14:32"
    assert french_datetime(moment, seconds=True) == "20/11/2026 14:32:05"
    assert french_datetime(moment, joiner=" à ") == "20/11/2026 à 14:32"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("20/11/2026", date(2026, 11, 20)),
        (" 2/3/2026 ", date(2026, 3, 2)),
        ("20/11/2026 14:32", datetime(2026, 11, 20, 14, 32)),
        ("20/11/2026 14h32", datetime(2026, 11, 20, 14, 32)),
        ("20/11/2026 à 14:32:05", datetime(2026, 11, 20, 14, 32, 5)),
        ("31/02/2026", None),  # no such day
        ("20/11/2026 24:00", None),
        ("2026-11-20", None),  # ISO is the file's form, read by the schema itself
        ("20/11/26", date(2026, 11, 20)),  # the Linky's own JJ/MM/AA
        ("20/11/2026T14:32", datetime(2026, 11, 20, 14, 32)),
        ("20/11/202", None),
        ("", None),
    ],
)
def test_french_dates_as_typed(text: str, parsed: date | None) -> None:
    assert parse_french_date(text) == parsed


def test_form_values_are_french_and_read_back() -> None:
    moment = datetime(2026, 11, 20, 14, 40, 1)
    assert form_value(moment) == "20/11/2026 14:40:01"  # seconds kept: never lost on a save
    assert form_value(moment.replace(second=0)) == "20/11/2026 14:40"
    assert form_value(date(2026, 10, 2)) == "02/10/2026"
    assert [form_value(x) for x in (6.0, 6.48, 0.33, 0.0, 12)] == ["6", "6,48", "0,33", "0,0", "12"]
    assert [form_value(x) for x in (None, True, False, "IQ8M")] == ["", "oui", "non", "IQ8M"]
    for value in (moment, moment.replace(second=0), date(2026, 10, 2)):
        assert parse_french_date(form_value(value)) == value


def test_counts_agree_the_french_way() -> None:
    assert [french_count(n, "rempli", "remplis") for n in (0, 1, 2, 12)] == [
        "0 rempli",
        "1 rempli",
        "2 remplis",
        "12 remplis",
    ]


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (0.1, "moins d'une minute"),  # QA: « aucune photo depuis 0 min »
        (0, "moins d'une minute"),
        (1, "1 min"),
        (45, "45 min"),
        (120, "2 h"),
        (387, "6 h 27 min"),
        (3 * 24 * 60 + 120, "3 j 2 h"),
    ],
)
def test_french_durations(minutes: float, shown: str) -> None:
    assert french_duration(minutes) == shown
