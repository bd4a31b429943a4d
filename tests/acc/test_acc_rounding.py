"""Published figures add up: consumption = self-consumed + complement and injection =
self-produced + surplus, as printed, in every output (they were rounded apart: the
reviewer's workbook showed 167,5 / 42,933 / 124,566 kWh)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from acc_helpers import make_operation, random_operation
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from linkytool.acc import KeyKind, run_operation, write_outputs
from linkytool.acc.engine import AccResult

#: One step of 15 min (Wh = W / 4): C = 167 500,4 Wh, A = P = 42 932,6 Wh, so that the
#: complement 124 567,8 Wh rounds to 124,568 kWh apart from the others (167,500 - 42,933).
REVIEW_CASE = ([[670001.6]], [[171730.4]])


def _number(text: str) -> Decimal:
    """A figure as printed (``12\u202f500,5``, ``167.500``) as an exact decimal."""
    return Decimal(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


def _cell(value: Any) -> Decimal:
    return Decimal(repr(float(value)))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _check_files(out: Path, enedis: bool) -> int:
    """Assert the identities on every written figure; return the rows checked."""
    checked = 0
    for row in _read_csv(out / "participants.csv"):
        if row["role"] == "consumer":
            whole, part, rest = "consumption_kwh", "self_consumed_kwh", "complement_kwh"
        else:
            whole, part, rest = "injection_kwh", "self_produced_kwh", "surplus_kwh"
        assert _number(row[whole]) == _number(row[part]) + _number(row[rest]), row
        checked += 1
    for path in sorted(out.glob("ACC*.xlsx")):
        book = load_workbook(path, read_only=True)
        for sheet, (whole, part, rest) in (
            ("Consommateurs", (2, 3, 4)),
            ("Producteurs", (1, 2, 3)),
        ):
            for values in list(book[sheet].iter_rows(values_only=True))[1:]:
                assert _cell(values[whole]) == _cell(values[part]) + _cell(values[rest]), values
                checked += 1
        indicators = {r[0]: r[1] for r in book["Indicateurs"].iter_rows(values_only=True)}
        assert _cell(indicators["Production totale"]) == _cell(
            indicators["Autoconsommation totale"]
        ) + _cell(indicators["Surplus collectif"])
        book.close()
    steps: dict[tuple[str, str], dict[str, int]] = {}
    for row in _read_csv(out / "curves.csv"):
        steps.setdefault((row["timestamp"], row["prm"]), {})[row["quantity"]] = int(row["w"])
    for row in _read_csv(out / "operation.csv"):
        steps.setdefault((row["timestamp"], "operation"), {})[row["quantity"]] = int(row["w"])
    for values in steps.values():
        if "consumption" in values:
            assert values["consumption"] == values["self_consumed"] + values["complement"]
        if "injection" in values:
            assert values["injection"] == values["self_produced"] + values["surplus"]
        checked += 1
    if enedis:
        for whole, part, rest in (
            ("consumption", "self_consumed", "complement"),
            ("injection", "self_produced", "surplus"),
        ):
            files = [_read_csv(out / "enedis" / f"{name}.csv") for name in (whole, part, rest)]
            for w, p, r in zip(*files, strict=True):
                for column in ("w1", "w2", "w3", "w4"):
                    if w[column]:
                        assert int(w[column]) == int(p[column]) + int(r[column])
    return checked


def _check_front_ends(result: AccResult) -> None:
    from linkytool.cli.acc import _summary_rows
    from linkytool.tui.acc_job import consumer_rows, producer_rows, shown_indicators

    for _, whole, part, rest in [*consumer_rows(result), *producer_rows(result)]:
        assert _number(whole) == _number(part) + _number(rest)
    table = {row["indicator"]: row["value"] for row in _summary_rows(result)}
    for published, digits in ((shown_indicators(result), 1), (table, 3)):  # pane, command
        production, own, surplus = (
            Decimal(f"{published[key]:.{digits}f}")
            for key in ("production_kwh", "self_consumed_kwh", "surplus_kwh")
        )
        assert production == own + surplus
        assert published["production_kwh"] == pytest.approx(
            result.injection_wh.sum() / 1000, abs=0.06
        )


def test_the_reviewers_row_adds_up_everywhere(tmp_path: Path) -> None:
    result = run_operation(make_operation(*REVIEW_CASE))
    assert result.complement_wh[0] == pytest.approx(124567.8)
    write_outputs(result, tmp_path, chart=False, enedis_style=True)
    row = _read_csv(tmp_path / "participants.csv")[0]
    assert (row["consumption_kwh"], row["self_consumed_kwh"], row["complement_kwh"]) == (
        "167.500",
        "42.933",
        "124.567",
    )
    assert _check_files(tmp_path, enedis=True) > 0
    _check_front_ends(result)


@settings(max_examples=25, deadline=None)
@given(
    st.tuples(
        st.integers(1, 12),
        st.integers(1, 4),
        st.integers(1, 3),
        st.sampled_from(list(KeyKind)),
        st.integers(0, 2**31),
    )
)
@example((4, 3, 2, KeyKind.DEFAULT, 7))  # failed on the old rounding
def test_published_figures_add_up_for_any_operation(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[int, int, int, KeyKind, int]
) -> None:
    n_t, n_c, n_p, key, seed = case
    result = run_operation(random_operation(n_t, n_c, n_p, key, seed, consuming=0.9))
    out = tmp_path_factory.mktemp("out")
    write_outputs(result, out, chart=False, enedis_style=True)
    assert _check_files(out, enedis=True) >= n_c + n_p
    _check_front_ends(result)


@given(
    st.floats(0, 1e9, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
    st.integers(0, 3),
)
def test_add_up_rounds_the_whole_and_the_part_and_derives_the_rest(
    whole: float, fraction: float, decimals: int
) -> None:
    from linkytool.acc.rounding import add_up

    quantum = (1.0, 100.0, 0.5, 1000.0)[decimals]
    total, part, rest = (float(x) for x in add_up(whole, whole * fraction, quantum))
    assert abs(total - whole) <= quantum / 2 * (1 + 1e-9)
    assert abs(part - whole * fraction) <= quantum / 2 * (1 + 1e-9)
    assert 0 <= rest <= total
    assert total == part + rest
    assert [float(x) for x in add_up(402.5, 0.0)] == [403.0, 0.0, 403.0]  # halves up
