"""Post-processing grammar: screen titles, field parsers, digit confusions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkytool.ocr.grammar import (
    classify_title,
    fold_digits,
    normalise_text,
    parse_date,
    parse_index,
    parse_prm,
    parse_value,
)
from linkytool.ocr.result import ScreenKind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("NUMERO PRM", ScreenKind.PRM),
        ("NUMER0 PRM", ScreenKind.PRM),
        ("  prm ", ScreenKind.PRM),
        ("Numéro PRM", ScreenKind.PRM),
        ("DATE COURANTE", ScreenKind.DATE),
        ("DATE ET HEURE", ScreenKind.DATE),
        ("DATE", ScreenKind.DATE),
        ("INDEX INJECTION", ScreenKind.INJECTION_INDEX),
        ("INDEX INJ.", ScreenKind.INJECTION_INDEX),
        ("1NDEX 1NJECT10N", ScreenKind.INJECTION_INDEX),
        ("INDEX NON CONSO", ScreenKind.OTHER),
        ("BASE", ScreenKind.OTHER),
        ("PUISSANCE APP", ScreenKind.OTHER),
        ("TIC STANDARD", ScreenKind.OTHER),
        ("HEURE CREUSE", ScreenKind.OTHER),
        ("", None),
        ("~~ ..", None),
    ],
)
def test_classify_title(title: str, kind: ScreenKind | None) -> None:
    assert classify_title(title) == kind


def test_normalise_and_fold() -> None:
    assert normalise_text(" Numéro   prm ") == "NUMERO PRM"
    assert fold_digits("3OOO2I45S78B") == "300021455788"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30002345678901", "30002345678901"),
        ("  30002345678901", "30002345678901"),
        ("3OOO2345678901", "30002345678901"),
        ("30OO2345678 9O1", "30002345678901"),
        ("3B0O2S4567B9I1", "38002545678911"),
        ("3000234567890", None),  # 13 digits
        ("300023456789012", None),  # 15 digits
        ("NUMERO PRM", None),
    ],
)
def test_parse_prm(text: str, value: str | None) -> None:
    match = parse_prm(text)
    assert (match.value if match else None) == value


def test_prm_digit_positions_follow_the_line() -> None:
    match = parse_prm(" 30002345678901 ")
    assert match is not None
    assert match.digit_positions == tuple(range(1, 15))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20/11/2026 14:32", "2026-11-20T14:32"),
        ("20/11/2026", "2026-11-20"),
        ("20/11/26", "2026-11-20"),
        ("  20/11/26 14:32", "2026-11-20T14:32"),
        ("2O/11/2O26   I4:32", "2026-11-20T14:32"),
        ("01/02/25", "2025-02-01"),
        ("31/02/2026", None),  # no such day
        ("20/13/2026", None),
        ("20/11/1999", None),  # before Linky
        ("20/11/2026 25:10", None),
    ],
)
def test_parse_date(text: str, value: str | None) -> None:
    match = parse_date(text)
    assert (match.value if match else None) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("000012 kWh", "12"),
        ("000012kWh", "12"),
        ("12 kWh", "12"),
        ("000000000 kWh", "0"),
        ("OOOO12 KWH", "12"),
        ("  0 kWh", "0"),
        ("123456", "123456"),
        ("12 34 kWh", None),  # two numbers: ambiguous
        ("kWh", None),
    ],
)
def test_parse_index(text: str, value: str | None) -> None:
    match = parse_index(text)
    assert (match.value if match else None) == value


def test_parse_value_dispatch() -> None:
    assert parse_value(ScreenKind.OTHER, "000012 kWh") is None
    match = parse_value(ScreenKind.INJECTION_INDEX, "000012 kWh")
    assert match is not None
    assert match.digit_positions == (0, 1, 2, 3, 4, 5)


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_any_prm_round_trips(prm: str) -> None:
    match = parse_prm(prm.center(16))
    assert match is not None
    assert match.value == prm


@given(st.integers(min_value=0, max_value=999_999), st.sampled_from([0, 6, 9]))
def test_any_index_round_trips(kwh: int, pad: int) -> None:
    match = parse_index(f"{kwh:0{pad}d} kWh")
    assert match is not None
    assert match.value == str(kwh)


def test_date_on_the_title_line_and_time_on_the_second() -> None:
    match = parse_date("DATE  01/08/2026\nHEURE      16:34")
    assert match is not None
    assert match.value == "2026-08-01T16:34"


def test_date_with_an_unparsed_time_is_refused() -> None:
    assert parse_date("01/08/2026 ++ 16:34") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("000000209 kWM'''", "209"),
        ("   000005 kWh  -J", "5"),
        ("12 kWh 34", "12"),
    ],
)
def test_index_before_the_unit_wins_over_trailing_noise(text: str, value: str) -> None:
    match = parse_index(text)
    assert match is not None
    assert match.value == value


def test_time_after_a_misread_word() -> None:
    match = parse_date("DATE  10/10/2026\nHE RE      14:07")
    assert match is not None
    assert match.value == "2026-10-10T14:07"


def test_references_and_meter_address() -> None:
    from linkytool.ocr.grammar import ads_number, parse_references

    text = "TL é LULU\nADS 041864123456\nCLA 230 V 5-90 À 50 Hz\n~~ '' ..\n"
    refs = parse_references(text)
    assert refs is not None
    assert "ADS 041864123456" in refs
    assert "~~" not in refs
    assert ads_number(refs) == "041864123456"
    assert ads_number("nothing here") is None
    assert parse_references("~ .. '") is None
