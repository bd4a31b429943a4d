"""Dynamic keys: a consumer left out of a step the coefficient file covers gets 0 %, said on
stderr and listed step by step in report.json (it used to be silent)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from acc_helpers import PARIS, long_csv, write
from click.testing import CliRunner

from linkytool.acc import KeyKind, LoadOptions, load_operation, run_operation
from linkytool.acc import loader as loader_module
from linkytool.acc import spool as spool_module
from linkytool.cli import cli

C1, C2, C3 = "11111111111111", "22222222222222", "33333333333333"
P1, P2 = "88888888888888", "99999999999999"
START = datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)


def _stamp(k: int) -> str:
    return datetime.fromtimestamp(START.timestamp() + 900 * k, PARIS).isoformat()


def test_a_consumer_missing_at_one_step_is_warned_and_listed(tmp_path: Path) -> None:
    """The reviewer's case: 111… and 222… at 12:00, only 111… at 12:15."""
    cons = write(tmp_path / "c.csv", long_csv({C1: [500, 100], C2: [200, 250]}, START))
    prod = write(tmp_path / "p.csv", long_csv({P1: [600, 200], P2: [400, 300]}, START))
    coefficients = write(
        tmp_path / "k.csv",
        f"timestamp,prm,coefficient\n{_stamp(0)},{C1},80\n{_stamp(0)},{C2},20\n"
        f"{_stamp(1)},{C1},30\n",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--key", "dynamic",
         "--coefficients", str(coefficients), "--no-chart", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Attention : 1 coefficient dynamique manquant (1 consommateur) à un pas où le fichier "
        "en donne d'autres : compté 0 %" in result.stderr
    )
    assert f"(premier : {C2} le 10/03/2026 12:15 ; détail dans report.json)" in result.stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["inputs"]["consumers_without_coefficient_steps"] == [
        {
            "prm": C2,
            "steps": 1,
            "ranges": [
                {"from": "2026-03-10T12:15:00+01:00", "to": "2026-03-10T12:30:00+01:00", "steps": 1}
            ],
        }
    ]
    assert "missing_consumer_coefficient" in report["readings"]
    # the reading itself is unchanged: 0 % at that step, not the default key
    assert report["key"]["default_key_for_missing_coefficients"]["steps"] == 0
    rows = [r for r in (out / "curves.csv").read_text("utf-8").splitlines() if C2 in r]
    assert f"{_stamp(1)},{C2},self_consumed,0" in rows


def test_nothing_is_said_when_every_consumer_has_its_coefficient(tmp_path: Path) -> None:
    cons = write(tmp_path / "c.csv", long_csv({C1: [500, 100], C2: [200, 250]}, START))
    prod = write(tmp_path / "p.csv", long_csv({P1: [600, 200]}, START))
    coefficients = write(
        tmp_path / "k.csv",
        f"timestamp,prm,coefficient\n{_stamp(0)},{C1},80\n{_stamp(0)},{C2},20\n",
    )  # the second step has no line at all: the default key stands in, as before
    operation = load_operation(
        [cons], [prod], coefficients=coefficients, options=LoadOptions(key=KeyKind.DYNAMIC)
    )
    assert "consumers_without_coefficient_steps" not in operation.input_report
    assert run_operation(operation).default_key_steps.tolist() == [1]


def _full_case(tmp_path: Path, perimeter: bool) -> Path:
    """Six steps; C3 missing at steps 1-4 (C2 only from P2 at step 1: not missing)."""
    n = 6
    write(tmp_path / "c.csv", long_csv({C1: [300] * n, C2: [200] * n, C3: [100] * n}, START))
    write(tmp_path / "p.csv", long_csv({P1: [400] * n, P2: [400] * n}, START))
    lines = ["timestamp,producer,consumer,coefficient"]
    for k in range(n):
        if k == 5:
            continue  # uncovered: default key there, not a missing consumer
        for producer in (P1, P2):
            lines.append(f"{_stamp(k)},{producer},{C1},30")
            if not (k == 1 and producer == P1):
                lines.append(f"{_stamp(k)},{producer},{C2},30")
            if k in (0,):
                lines.append(f"{_stamp(k)},{producer},{C3},30")
    write(tmp_path / "k.csv", "\n".join(lines) + "\n")
    if perimeter:  # C3 leaves at step 3 (12:45): steps 3 and 4 are outside its window
        write(
            tmp_path / "per.csv",
            f"prm,role,entry,exit\n{C1},consumer,,\n{C2},consumer,,\n{C3},consumer,,{_stamp(3)}\n"
            f"{P1},producer,,\n{P2},producer,,\n",
        )
    return tmp_path


@pytest.mark.parametrize("in_memory", [True, False])
@pytest.mark.parametrize("perimeter", [False, True])
def test_full_dynamic_missing_consumers_in_memory_or_on_disk_and_by_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: bool, perimeter: bool
) -> None:
    folder = _full_case(tmp_path, perimeter)
    if not in_memory:
        monkeypatch.setattr(spool_module, "MEMORY_BUDGET_BYTES", 0)
        monkeypatch.setattr(spool_module, "COEFFICIENT_BUCKET_VALUES", 6)
    monkeypatch.setattr(loader_module, "_MISSING_BLOCK_VALUES", 6)  # one step per block
    operation = load_operation(
        [folder / "c.csv"],
        [folder / "p.csv"],
        coefficients=folder / "k.csv",
        perimeter=folder / "per.csv" if perimeter else None,
        options=LoadOptions(key=KeyKind.FULL),
    )
    assert operation.coefficients is not None
    assert operation.coefficients.in_memory == in_memory  # type: ignore[attr-defined]
    missing = operation.input_report["consumers_without_coefficient_steps"]
    stop = 3 if perimeter else 5
    assert missing == [
        {
            "prm": C3,
            "steps": stop - 1,
            "ranges": [{"from": _stamp(1), "to": _stamp(stop), "steps": stop - 1}],
        }
    ]


def test_the_pane_words_the_missing_coefficients_too(tmp_path: Path) -> None:
    from linkytool.acc.service import PreviewRequest, run_preview
    from linkytool.tui.acc_job import notice_lines

    folder = _full_case(tmp_path, perimeter=False)
    preview = run_preview(
        PreviewRequest(
            (folder / "c.csv",),
            (folder / "p.csv",),
            coefficients=folder / "k.csv",
            load=LoadOptions(key=KeyKind.FULL),
        )
    )
    assert (
        f"4 coefficients dynamiques manquants (1 consommateur) : comptés 0 % (premier : {C3} "
        "le 10/03/2026 12:15)." in notice_lines(preview.notices)
    )


def test_a_full_dynamic_producer_without_lines_is_warned_and_listed(tmp_path: Path) -> None:
    """QA: under --key full, P2 without a line at a covered step sent its whole output to
    the surplus without a word; it is said on stderr, in report.json and in the pane."""
    cons = write(tmp_path / "c.csv", long_csv({C1: [500, 100, 300], C2: [200, 250, 300]}, START))
    prod = write(tmp_path / "p.csv", long_csv({P1: [600, 200, 300], P2: [400, 300, 300]}, START))
    lines = ["timestamp,producer,consumer,coefficient"]
    for k in range(3):
        for producer in (P1, P2) if k == 0 else (P1,):  # P2 gives no line at 12:15, 12:30
            lines += [f"{_stamp(k)},{producer},{C1},50", f"{_stamp(k)},{producer},{C2},50"]
    coefficients = write(tmp_path / "k.csv", "\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--key", "full",
         "--coefficients", str(coefficients), "--no-chart", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Attention : 2 pas sans coefficient pour 1 producteur où le fichier en donne "
        "d'autres : sa production y va entière au surplus collectif (premier : "
        f"{P2} le 10/03/2026 12:15 ; détail dans report.json)." in result.stderr
    )
    assert "coefficient dynamique manquant" not in result.stderr  # no consumer is missing
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["inputs"]["producers_without_coefficient_steps"] == [
        {
            "prm": P2,
            "steps": 2,
            "ranges": [{"from": _stamp(1), "to": _stamp(3), "steps": 2}],
        }
    ]
    assert "missing_producer_coefficient" in report["readings"]
    assert "§3.5" in report["readings"]["missing_producer_coefficient"]
    rows = (out / "curves.csv").read_text("utf-8").splitlines()
    assert f"{_stamp(1)},{P2},surplus,300" in rows
    assert f"{_stamp(1)},{P2},self_produced,0" in rows

    from linkytool.acc.service import PreviewRequest, run_preview
    from linkytool.tui.acc_job import notice_lines

    preview = run_preview(
        PreviewRequest(
            (cons,), (prod,), coefficients=coefficients, load=LoadOptions(key=KeyKind.FULL)
        )
    )
    assert (
        f"2 pas sans coefficient pour 1 producteur : production au surplus (premier : {P2} le "
        "10/03/2026 12:15)." in notice_lines(preview.notices)
    )


def test_a_producer_is_not_missing_outside_its_participation(tmp_path: Path) -> None:
    """A producer that left (perimeter) gives no line afterwards: nothing to say."""
    cons = write(tmp_path / "c.csv", long_csv({C1: [500, 100]}, START))
    prod = write(tmp_path / "p.csv", long_csv({P1: [600, 200], P2: [400, 300]}, START))
    perimeter = write(
        tmp_path / "per.csv",
        f"prm,role,entry,exit\n{C1},consumer,,\n{P1},producer,,\n{P2},producer,,{_stamp(1)}\n",
    )
    coefficients = write(
        tmp_path / "k.csv",
        f"timestamp,producer,consumer,coefficient\n{_stamp(0)},{P1},{C1},50\n"
        f"{_stamp(0)},{P2},{C1},50\n{_stamp(1)},{P1},{C1},50\n",
    )
    operation = load_operation(
        [cons], [prod], coefficients=coefficients, perimeter=perimeter,
        options=LoadOptions(key=KeyKind.FULL),
    )  # fmt: skip
    assert "producers_without_coefficient_steps" not in operation.input_report
