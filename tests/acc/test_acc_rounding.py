"""Published figures add up: consumption = self-consumed + complement and injection =
self-produced + surplus, as printed, in every output (they were rounded apart: the
reviewer's workbook showed 167,5 / 42,933 / 124,566 kWh)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from acc_helpers import make_operation, random_operation
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from linkytool.acc import KeyKind, run_operation, write_outputs
from linkytool.acc.engine import AccResult
from linkytool.acc.model import ArrayCurves

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
    checked += _check_allocations(out)
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


def _check_allocations(out: Path) -> int:
    """allocations.csv adds up to participants.csv: a consumer's rows to its self-consumed
    figure, a producer's to its self-produced figure (0,062 + 0,062 = 0,124 kWh stood
    beside a consumer's 0,125: the cells were rounded one by one)."""
    by_consumer: dict[str, Decimal] = {}
    by_producer: dict[str, Decimal] = {}
    for row in _read_csv(out / "allocations.csv"):
        value = _number(row["self_consumed_kwh"])
        assert value >= 0, row
        by_consumer[row["consumer"]] = by_consumer.get(row["consumer"], Decimal(0)) + value
        by_producer[row["producer"]] = by_producer.get(row["producer"], Decimal(0)) + value
    checked = 0
    for row in _read_csv(out / "participants.csv"):
        if row["role"] == "consumer":
            assert by_consumer[row["prm"]] == _number(row["self_consumed_kwh"]), row
        else:
            assert by_producer[row["prm"]] == _number(row["self_produced_kwh"]), row
        checked += 1
    return checked


def test_worked_example_3_allocations_add_up_to_participants(tmp_path: Path) -> None:
    """acc.md's worked example 3 for one step (P1 600, P2 400, X 500, Y 200 W; 50/50/75/25
    %): X receives 62,5 + 62,5 Wh, which allocations.csv printed 0.062 + 0.062 beside X's
    0.125 in participants.csv (and 12,5 Wh as 0.013 but 62,5 as 0.062: binary floats)."""
    op = make_operation(
        [[500.0, 200.0]], [[600.0, 400.0]], KeyKind.FULL, shares=[[[0.5, 0.5], [0.75, 0.25]]]
    )
    result = run_operation(op)
    assert result.pairs_wh.tolist() == [[62.5, 37.5], [62.5, 12.5]]
    write_outputs(result, tmp_path, chart=False)
    participants = {r["prm"]: r for r in _read_csv(tmp_path / "participants.csv")}
    x, y = op.consumers
    p1, p2 = op.producers
    assert participants[x]["self_consumed_kwh"] == "0.125"
    assert participants[y]["self_consumed_kwh"] == "0.050"
    assert participants[p1]["self_produced_kwh"] == "0.100"
    assert participants[p2]["self_produced_kwh"] == "0.075"
    cells = {
        (r["producer"], r["consumer"]): r["self_consumed_kwh"]
        for r in _read_csv(tmp_path / "allocations.csv")
    }
    assert sorted((cells[p1, x], cells[p2, x])) == ["0.062", "0.063"]
    assert sorted((cells[p1, y], cells[p2, y])) == ["0.012", "0.038"]
    assert _check_allocations(tmp_path) == 4


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(0, 8),
    st.integers(0, 2**31),
    st.sampled_from([0.0, 0.3, 1.0]),
    st.sampled_from([1.0, 100.0]),
)
def test_add_up_table_for_any_table(
    n_p: int, n_c: int, seed: int, spare: float, quantum: float
) -> None:
    """Every identity holds even when the whole production is self-consumed (the
    consumers' figures, each rounded up, would exceed the rounded injection)."""
    from linkytool.acc.rounding import add_up_table

    rng = np.random.default_rng(seed)
    pairs = rng.uniform(0, 3, (n_p, n_c)) * quantum * (rng.random((n_p, n_c)) < 0.8)
    own, produced = pairs.sum(axis=0), pairs.sum(axis=1)
    consumption = own + rng.uniform(0, 3, n_c) * quantum * spare
    injection = produced + rng.uniform(0, 3, n_p) * quantum * spare
    t = add_up_table(consumption, own, injection, produced, pairs, quantum=quantum)
    np.testing.assert_array_equal(t.consumption, np.floor(consumption / quantum + 0.5) * quantum)
    np.testing.assert_array_equal(t.injection, np.floor(injection / quantum + 0.5) * quantum)
    for table in (t.complement, t.surplus, t.pairs):
        assert (table >= 0).all()
    np.testing.assert_array_equal(t.consumption, t.self_consumed + t.complement)
    np.testing.assert_array_equal(t.injection, t.self_produced + t.surplus)
    np.testing.assert_array_equal(t.pairs.sum(axis=0), t.self_consumed)
    np.testing.assert_array_equal(t.pairs.sum(axis=1), t.self_produced)
    # what the figures move away from their own rounding is the mismatch of the roundings
    moved = (n_c + n_p) / 2 * quantum + 1e-6
    assert np.abs(t.self_consumed - np.floor(own / quantum + 0.5) * quantum).sum() <= moved
    assert np.abs(t.self_produced - np.floor(produced / quantum + 0.5) * quantum).sum() <= moved


def _check_front_ends(result: AccResult) -> None:
    from linkytool.cli.acc import _summary_rows
    from linkytool.tui.acc_job import consumer_rows, producer_rows, shown_indicators

    for _, whole, part, rest in [*consumer_rows(result), *producer_rows(result)]:
        assert _number(whole) == _number(part) + _number(rest)
    table = {row["indicator"]: row["value"] for row in _summary_rows(result)}
    for published, digits in ((shown_indicators(result), 3), (table, 3)):  # pane, command
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


#: One step of 15 min: two consumers draw 2 W each (0,5 Wh), all self-consumed from a
#: producer injecting 400 W (100 Wh). Each consumer's 0,5 Wh is printed 0,001 kWh, so
#: allocations.csv and participants.csv give the producer 0,002 kWh self-produced, where
#: rounding its own 1 Wh alone prints 0,001 (as the workbook and the pane did).
SPLIT_CASE = ([[2.0, 2.0]], [[400.0]])


def _workbook_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {
            name: [tuple(r) for r in book[name].iter_rows(values_only=True)]
            for name in ("Indicateurs", "Producteurs", "Consommateurs")
        }
    finally:
        book.close()


def _kwh_cell(value: Any) -> Decimal:
    """A workbook's kWh cell as the 3-decimal figure it displays (format 0.000)."""
    return Decimal(f"{float(value):.3f}")


def _csv_figures(out: Path) -> dict[str, dict[str, Decimal]]:
    return {
        row["prm"]: {k: _number(v) for k, v in row.items() if k.endswith("_kwh") and v}
        for row in _read_csv(out / "participants.csv")
    }


def _workbook_sums(out: Path) -> tuple[dict[str, dict[str, Decimal]], int]:
    """Each participant's figures summed over the workbooks' rows (months, classes), and
    the number of workbooks, after checking that each workbook's totals are its rows'."""
    sums: dict[str, dict[str, Decimal]] = {}
    books = sorted(out.glob("ACC*.xlsx"))
    for path in books:
        sheets = _workbook_rows(path)
        month: dict[str, Decimal] = {}
        for sheet, names in (
            ("Producteurs", ("injection_kwh", "self_produced_kwh", "surplus_kwh")),
            ("Consommateurs", ("consumption_kwh", "self_consumed_kwh", "complement_kwh")),
        ):
            first = 1 if sheet == "Producteurs" else 2
            for row in sheets[sheet][1:]:
                for offset, name in enumerate(names):
                    value = _kwh_cell(row[first + offset])
                    figures = sums.setdefault(str(row[0]), {})
                    figures[name] = figures.get(name, Decimal(0)) + value
                    month[name] = month.get(name, Decimal(0)) + value
        shown = {r[0]: r[1] for r in sheets["Indicateurs"] if r and r[0]}
        assert _kwh_cell(shown["Consommation totale"]) == month["consumption_kwh"], path
        assert _kwh_cell(shown["Production totale"]) == month["injection_kwh"], path
        assert _kwh_cell(shown["Autoconsommation totale"]) == month["self_consumed_kwh"], path
        assert month["self_consumed_kwh"] == month["self_produced_kwh"], path
        assert _kwh_cell(shown["Surplus collectif"]) == month["surplus_kwh"], path
    return sums, len(books)


def _pane_rows(result: AccResult) -> dict[str, dict[str, Decimal]]:
    from linkytool.tui.acc_job import consumer_rows, producer_rows

    names = {
        "consumer": ("consumption_kwh", "self_consumed_kwh", "complement_kwh"),
        "producer": ("injection_kwh", "self_produced_kwh", "surplus_kwh"),
    }
    shown = {}
    for role, rows in (("consumer", consumer_rows(result)), ("producer", producer_rows(result))):
        for prm, *cells in rows:
            shown[prm] = {n: _number(c) for n, c in zip(names[role], cells, strict=True)}
    return shown


def test_the_workbook_and_the_pane_show_participants_csv(tmp_path: Path) -> None:
    """The producer's self-produced figure (0,002 kWh in the CSV files) was 0,001 kWh in
    the workbook's Producteurs sheet and its Indicateurs (each rounded alone), and the
    pane showed 0,0 kWh: every output now renders the figures rounded once."""
    result = run_operation(make_operation(*SPLIT_CASE))
    write_outputs(result, tmp_path, chart=False)
    csv_figures = _csv_figures(tmp_path)
    producer = result.operation.producers[0]
    assert csv_figures[producer]["self_produced_kwh"] == Decimal("0.002")
    assert _check_files(tmp_path, enedis=False) > 0
    sums, books = _workbook_sums(tmp_path)
    assert books == 1
    assert sums == csv_figures
    assert _pane_rows(result) == csv_figures
    table = {row["indicator"]: row["value"] for row in _summary_rows_of(result)}
    assert Decimal(f"{table['self_consumed_kwh']:.3f}") == Decimal("0.002")
    assert Decimal(f"{table['consumption_kwh']:.3f}") == Decimal("0.002")


def _summary_rows_of(result: AccResult) -> list[dict[str, Any]]:
    from linkytool.cli.acc import _summary_rows

    return _summary_rows(result)


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.sampled_from(list(KeyKind)), st.integers(0, 2**31))
def test_months_and_classes_add_up_to_participants_csv(
    tmp_path_factory: pytest.TempPathFactory, n_c: int, n_p: int, key: KeyKind, seed: int
) -> None:
    """Over two months and two time-of-use classes, each workbook's totals are its rows'
    and the workbooks' rows add up to participants.csv; the pane shows the CSV's numbers."""
    from dataclasses import replace

    n_t = 2880 + 8  # June and the first two hours of July
    op = random_operation(n_t, n_c, n_p, key, seed, consuming=0.9)
    rng = np.random.default_rng(seed)
    op = replace(
        op,
        consumption=ArrayCurves(op.consumption.chunk(0, n_t) / 500),  # small: ties
        tou_classes=("HP", "HC"),
        tou_index=rng.integers(0, 2, n_t).astype(np.int64),
    )
    result = run_operation(op)
    out = tmp_path_factory.mktemp("out")
    write_outputs(result, out, chart=False)
    csv_figures = _csv_figures(out)
    sums, books = _workbook_sums(out)
    assert books == 2
    assert sums == csv_figures
    assert _pane_rows(result) == csv_figures


def test_a_table_whose_totals_differ_is_refused_not_balanced_for_ever() -> None:
    """``_balance_rows`` moves units within columns: rows asking 1 unit of columns that
    hold 2 could never balance; it says so instead of looping."""
    from linkytool.acc.rounding import _balance_rows

    table = np.array([[1, 1], [0, 0]], dtype=np.int64)
    pairs = np.ones((2, 2))
    with pytest.raises(ValueError, match="cannot balance"):
        _balance_rows(table, np.array([1, 0], dtype=np.int64), pairs)
