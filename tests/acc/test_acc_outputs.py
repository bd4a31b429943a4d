"""Output files: golden snapshots, the workbook read back, totals equal across files,
and the ``acc run`` / ``acc demo`` commands end to end."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from acc_helpers import PARIS, long_csv, random_operation, write
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from linkytool.acc import KeyKind, LoadOptions, load_operation, run_operation, write_outputs
from linkytool.acc.outputs import normalise_convention
from linkytool.cli import cli

C1, C2, P1, P2 = "30000000000001", "30000000000002", "20000000000001", "20000000000002"
START = datetime(2026, 6, 30, 23, 0, tzinfo=PARIS)  # spans two months: June and July


def small_case(tmp_path: Path) -> tuple[Path, Path, Path]:
    cons = write(
        tmp_path / "c.csv",
        long_csv({C1: [500, 300, 0, 800, 100, 100], C2: [200, 900, 400, 0, 50, 60]}, START),
    )
    prod = write(
        tmp_path / "p.csv",
        long_csv({P1: [600, 0, 1000, 100, 333.3, 0], P2: [400, 100, 0, 500, 0, 0]}, START),
    )
    stamps = [
        datetime.fromtimestamp(START.timestamp() + 900 * k, PARIS).isoformat() for k in range(6)
    ]
    lines = ["timestamp,producer,consumer,coefficient"]
    for k, stamp in enumerate(stamps[:5]):  # the last step has no coefficient
        lines += [
            f"{stamp},{P1},{C1},50",
            f"{stamp},{P1},{C2},{50 - 10 * k}",
            f"{stamp},{P2},{C1},75",
            f"{stamp},{P2},{C2},25",
        ]
    coefficients = write(tmp_path / "k.csv", "\n".join(lines) + "\n")
    return cons, prod, coefficients


def _sanitise(report: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    text = json.dumps(report, ensure_ascii=False).replace(str(tmp_path), "<tmp>")
    clean: dict[str, Any] = json.loads(text)
    clean.pop("elapsed_s")
    clean["tool"] = "linkytool"
    return clean


def test_golden_outputs(tmp_path: Path, snapshot: Any) -> None:
    cons, prod, coefficients = small_case(tmp_path)
    operation = load_operation(
        [cons], [prod], coefficients=coefficients, options=LoadOptions(key=KeyKind.FULL)
    )
    result = run_operation(operation)
    out = tmp_path / "out"
    written = write_outputs(result, out, convention="112", chart=False)
    names = sorted(p.name for p in written)
    assert names == [
        "ACC00000112_01072026_01072026.xlsx",
        "ACC00000112_30062026_30062026.xlsx",
        "allocations.csv",
        "curves.csv",
        "operation.csv",
        "participants.csv",
        "report.json",
    ]
    for name in ("participants.csv", "allocations.csv", "curves.csv", "operation.csv"):
        assert (out / name).read_text(encoding="utf-8") == snapshot(name=name)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert _sanitise(report, tmp_path) == snapshot(name="report.json")
    assert report["key"]["default_key_for_missing_coefficients"]["steps"] == 1


def test_curves_csv_holds_only_prms_and_operation_csv_the_totals(tmp_path: Path) -> None:
    """acc-files.md: curves.csv's ``prm`` is 14 digits (a script checking PRMs broke on the
    operation's rows, ``prm`` = ``operation``); the totals have a file of their own."""
    cons, prod, coefficients = small_case(tmp_path)
    operation = load_operation(
        [cons], [prod], coefficients=coefficients, options=LoadOptions(key=KeyKind.FULL)
    )
    result = run_operation(operation)
    out = tmp_path / "out"
    write_outputs(result, out, chart=False)
    curves = _read_csv(out / "curves.csv")
    assert list(curves[0]) == ["timestamp", "prm", "quantity", "w"]
    assert all(re.fullmatch(r"\d{14}", row["prm"]) for row in curves)
    assert len(curves) == 6 * (3 * 2 + 3 * 2)
    totals = _read_csv(out / "operation.csv")
    assert list(totals[0]) == ["timestamp", "quantity", "w"]
    quantities = ["consumption", "self_consumed", "complement", "injection", "self_produced"]
    assert [row["quantity"] for row in totals[:6]] == [*quantities, "surplus"]
    assert len(totals) == 6 * 6
    # each total is the sum of the participants' curves at that step (to a watt per PRM)
    for row in totals:
        parts = [
            int(r["w"])
            for r in curves
            if r["timestamp"] == row["timestamp"] and r["quantity"] == row["quantity"]
        ]
        assert abs(int(row["w"]) - sum(parts)) <= len(parts) // 2 + 1
    assert [row["timestamp"] for row in totals[::6]] == [row["timestamp"] for row in curves[::12]]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "operation.csv" in report["outputs"]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _totals_from_files(out: Path, convention: str = "ACC00000000") -> dict[str, dict[str, float]]:
    """Operation totals [kWh] as found in each output file."""
    rows = _read_csv(out / "participants.csv")
    consumers = [r for r in rows if r["role"] == "consumer"]
    producers = [r for r in rows if r["role"] == "producer"]
    participants = {
        "consumption": sum(float(r["consumption_kwh"]) for r in consumers),
        "self_consumed": sum(float(r["self_consumed_kwh"]) for r in consumers),
        "injection": sum(float(r["injection_kwh"]) for r in producers),
        "surplus": sum(float(r["surplus_kwh"]) for r in producers),
    }
    curves: dict[str, float] = {}
    for row in _read_csv(out / "operation.csv"):
        curves[row["quantity"]] = curves.get(row["quantity"], 0.0) + int(row["w"]) * 0.25 / 1000
    allocations = sum(float(r["self_consumed_kwh"]) for r in _read_csv(out / "allocations.csv"))
    workbook = {"consumption": 0.0, "self_consumed": 0.0, "injection": 0.0, "surplus": 0.0}
    for path in sorted(out.glob(f"{convention}_*.xlsx")):
        book = load_workbook(path, read_only=True)
        sheet = book["Consommateurs"]
        for row in list(sheet.iter_rows(values_only=True))[1:]:
            workbook["consumption"] += float(row[2])  # type: ignore[arg-type]
            workbook["self_consumed"] += float(row[3])  # type: ignore[arg-type]
        sheet = book["Producteurs"]
        for row in list(sheet.iter_rows(values_only=True))[1:]:
            workbook["injection"] += float(row[1])  # type: ignore[arg-type]
            workbook["surplus"] += float(row[3])  # type: ignore[arg-type]
        book.close()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))["indicators"]
    return {
        "participants": participants,
        "curves": {k: curves[k] for k in ("consumption", "self_consumed", "injection", "surplus")},
        "allocations": {"self_consumed": allocations},
        "workbook": workbook,
        "report": {
            "consumption": report["consumption_kwh"],
            "self_consumed": report["self_consumed_kwh"],
            "injection": report["production_kwh"],
            "surplus": report["surplus_kwh"],
        },
    }


@settings(max_examples=12, deadline=None)
@given(
    st.tuples(
        st.integers(1, 200),
        st.integers(1, 4),
        st.integers(1, 3),
        st.sampled_from(list(KeyKind)),
        st.integers(0, 2**31),
    )
)
def test_energy_totals_equal_across_output_files(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[int, int, int, KeyKind, int]
) -> None:
    n_t, n_c, n_p, key, seed = case
    operation = random_operation(n_t, n_c, n_p, key, seed, consuming=0.8)
    out = tmp_path_factory.mktemp("out")
    write_outputs(run_operation(operation), out, chart=False)
    totals = _totals_from_files(out)
    n_rows = n_t * max(n_c, n_p)
    for name in ("consumption", "self_consumed", "injection", "surplus"):
        values = [totals[f][name] for f in totals if name in totals[f]]
        reference = totals["report"][name]
        for value in values:
            # files round kWh to 3 decimals and curves to 1 W per step
            assert value == pytest.approx(
                reference, abs=0.0006 * (n_c + n_p) * 2 + 0.00013 * n_rows
            )


def test_workbook_sheets_and_time_of_use_split(tmp_path: Path) -> None:
    cons, prod, _ = small_case(tmp_path)
    calendar = write(
        tmp_path / "cal.csv", "class,days,start,end\nHC,all,23:00,00:00\nHP,all,00:00,23:00\n"
    )
    operation = load_operation([cons], [prod], calendar=calendar)
    out = tmp_path / "out"
    write_outputs(run_operation(operation), out, convention="ACC00000112", chart=False)
    book = load_workbook(out / "ACC00000112_30062026_30062026.xlsx")
    assert book.sheetnames == ["Indicateurs", "Producteurs", "Consommateurs"]
    rows = list(book["Consommateurs"].iter_rows(values_only=True))
    assert rows[0][:2] == ("PRM", "Poste horaire")
    # June part = the 23:00 hour only, all in HC: C1 consumed 500+300+0+800 W x 0.25 h
    assert rows[1][:3] == (C1, "HC", 0.4)
    assert rows[2][:3] == (C1, "HP", 0.0)
    indicators = {r[0]: r[1] for r in book["Indicateurs"].iter_rows(values_only=True)}
    assert indicators["Production totale"] == pytest.approx((1700 + 1000) * 0.25 / 1000)


def test_normalise_convention() -> None:
    assert normalise_convention(None) == "ACC00000000"
    assert normalise_convention("112") == "ACC00000112"
    assert normalise_convention("acc00000112") == "ACC00000112"


def test_run_command_end_to_end(tmp_path: Path) -> None:
    cons, prod, coefficients = small_case(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--key", "full",
         "--coefficients", str(coefficients), "--convention", "ACC00000112", "-o", str(out),
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["indicator"] == "consumption_kwh"
    assert "1 pas sans coefficient" in result.stderr
    assert (out / "production.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["options"]["key"] == "full"
    assert "full_scaling" in report["readings"]


def test_run_command_bad_input_exit_code_and_french_message(tmp_path: Path) -> None:
    cons = write(tmp_path / "c.csv", f"prm,timestamp,w\n{C1},2026-06-01T00:00:00+02:00,-3\n")
    prod = write(tmp_path / "p.csv", f"prm,timestamp,w\n{P1},2026-06-01T00:00:00+02:00,3\n")
    result = CliRunner().invoke(
        cli,
        [
            "acc",
            "run",
            "--consumers",
            str(cons),
            "--producers",
            str(prod),
            "-o",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 3
    assert "Erreur :" in result.stderr and "ligne 2 : puissance négative" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_demo_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["acc", "demo", "-o", str(tmp_path), "--key", "static", "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["period"]["days_with_unusual_step_count"] == {"2026-03-29": 92}
    assert report["key"]["static_excess"] == "surplus"
    assert report["participants"] == {"consumers": 10, "producers": 1}
    assert (tmp_path / "ACC00000000_01032026_31032026.xlsx").exists()
    assert (tmp_path / "inputs" / "perimeter.csv").exists()
    totals = _totals_from_files(tmp_path)
    assert totals["participants"]["consumption"] == pytest.approx(
        totals["report"]["consumption"], abs=0.01
    )
    indicators = report["indicators"]
    assert 0 < indicators["self_consumption_rate"] <= 1
    assert 0 < indicators["self_production_rate"] < 1
    # the table is for people: thousands grouped, decimal comma (7 406,790 kWh)
    line = next(x for x in result.stdout.splitlines() if x.startswith("Consommation totale"))
    assert re.search(r"\d\u202f\d{3},\d{3}\s+kWh", line), line


def test_run_command_on_demo_inputs_with_perimeter_calendar_and_period(tmp_path: Path) -> None:
    from linkytool.acc import write_demo_inputs

    paths = write_demo_inputs(tmp_path / "in", KeyKind.STATIC)
    # the demo curves cover the whole month: they load without the perimeter too
    plain = load_operation([paths["consumers"]], [paths["producers"]])
    assert len(plain.consumers) == 10 and plain.grid.n_steps == 2972
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(paths["consumers"]), "--producers",
         str(paths["producers"]), "--key", "static", "--coefficients", str(paths["coefficients"]),
         "--static-excess", "redistribute", "--perimeter", str(paths["perimeter"]),
         "--calendar", str(paths["calendar"]), "--from", "2026-03-19", "--to", "20/03/2026",
         "--no-chart", "-o", str(out), "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("indicator,label,value,unit")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["period"]["steps"] == 192
    assert report["key"]["static_excess"] == "redistribute"
    assert report["time_of_use_classes"] == ["HC", "HP"]
    assert (out / "ACC00000000_19032026_20032026.xlsx").exists()
    assert not (out / "production.png").exists()
    rows = {r["prm"]: r for r in _read_csv(out / "participants.csv")}
    # the consumer leaving on the 20th self-consumes nothing that day
    curves = [
        r
        for r in _read_csv(out / "curves.csv")
        if r["prm"] == "30002345679004" and r["timestamp"].startswith("2026-03-20")
    ]
    assert {r["w"] for r in curves if r["quantity"] != "complement"} == {"0"}
    assert float(rows["30002345679004"]["consumption_kwh"]) > 0
    assert "hors de sa période de participation" in result.stderr


def test_curves_can_be_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linkytool.cli.acc as acc_cli

    cons, prod, _ = small_case(tmp_path)
    base = ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--no-chart"]
    result = CliRunner().invoke(cli, [*base, "--curves", "never", "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "a" / "curves.csv").exists()
    assert (tmp_path / "a" / "participants.csv").exists()
    monkeypatch.setattr(acc_cli, "CURVES_ROW_LIMIT", 10)
    result = CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "curves.csv non écrit" in result.stderr
    assert not (tmp_path / "b" / "curves.csv").exists()
    # a second run without curves in the first directory: the whole set is replaced, so
    # the previous run's curves.csv does not linger beside the new files
    result = CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "a"), "--curves", "always"])
    assert (tmp_path / "a" / "curves.csv").exists()
    result = CliRunner().invoke(cli, [*base, "-o", str(tmp_path / "a"), "--curves", "never"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "a" / "curves.csv").exists()


def test_enedis_style_curves_round_trip(tmp_path: Path) -> None:
    start = datetime(2026, 10, 25, 0, 15, tzinfo=PARIS)  # not on an hour; fall-back day
    n = 99
    consumption = [float(100 + k) for k in range(n)]
    cons = write(tmp_path / "c.csv", long_csv({C1: consumption}, start))
    prod = write(tmp_path / "p.csv", long_csv({P1: [50.0] * n}, start))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--enedis-curves",
         "--no-chart", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (out / "enedis" / "consumption.csv").read_text(encoding="utf-8").splitlines()
    assert text[0] == "prm,timestamp,w1,w2,w3,w4"
    assert text[1] == f"{C1},2026-10-25T00:00:00+02:00,,100,101,102"
    assert len(text) == 1 + 25  # a 25-hour day
    back = load_operation([out / "enedis" / "consumption.csv"], [prod])
    assert back.consumption.chunk(0, n)[:, 0].tolist() == consumption
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "enedis/surplus.csv" in report["outputs"]
