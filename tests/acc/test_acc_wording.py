"""What the ACC preview tells users is French: decimal commas, JJ/MM/AAAA HH:MM dates,
agreement with counts of 0 and 1, the keys' French names, one label per figure."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from acc_helpers import PARIS, long_csv, write
from click.testing import CliRunner
from openpyxl import load_workbook

from linkytool.acc import GapPolicy, KeyKind, LoadOptions
from linkytool.acc.errors import GapError
from linkytool.acc.labels import INDICATOR_LABELS
from linkytool.acc.service import NoticeKind, PreviewRequest, run_preview
from linkytool.cli import cli

ROOT = Path(__file__).resolve().parents[2]
C1, C2, P1 = "30000000000001", "30000000000002", "20000000000001"
START = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)


def _one_gap(tmp_path: Path) -> tuple[Path, Path]:
    """Four quarter-hours from 02/03/2026 10:00; C1 misses the one of 10:15."""
    text = long_csv({C1: [500.0] * 4, C2: [300.0] * 4}, START)
    text = text.replace(f"{C1},2026-03-02T10:15:00+01:00,500\n", "")
    assert text.count(C1) == 3
    cons = write(tmp_path / "c.csv", text)
    return cons, write(tmp_path / "p.csv", long_csv({P1: [400.0] * 4}, START))


def _static(tmp_path: Path, first: str, second: str) -> Path:
    return write(tmp_path / "k.csv", f"prm,coefficient\n{C1},{first}\n{C2},{second}\n")


def test_one_missing_step_filled_is_worded_in_french_by_both_front_ends(
    tmp_path: Path,
) -> None:
    from linkytool.tui.acc_job import notice_lines

    cons, prod = _one_gap(tmp_path)
    preview = run_preview(PreviewRequest((cons,), (prod,), load=LoadOptions(gaps=GapPolicy.ZERO)))
    gap = next(n for n in preview.notices if n.kind is NoticeKind.GAPS_FILLED)
    assert (gap.data["first"], gap.data["last"]) == ("02/03/2026 10:15", "02/03/2026 10:15")
    assert f"1 pas manquant pour {C1} (02/03/2026 10:15), à 0 W." in notice_lines(preview.notices)
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--gaps", "zero",
         "-o", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Attention : 1 pas manquant pour {C1} (02/03/2026 10:15), compté à 0 W." in (
        result.stderr
    )
    assert "7 fichiers écrits dans" in result.stderr  # operation.csv since the domain review
    assert "T10:15" not in result.stderr


def test_the_error_for_one_missing_step_agrees(tmp_path: Path) -> None:
    cons, prod = _one_gap(tmp_path)
    with pytest.raises(GapError) as caught:
        run_preview(PreviewRequest((cons,), (prod,)))
    assert f"1 pas manquant pour le consommateur {C1} : 02/03/2026 10:15" in caught.value.message


def test_static_coefficients_typed_as_fractions_are_flagged_with_a_decimal_comma(
    tmp_path: Path,
) -> None:
    cons, prod = _one_gap(tmp_path)
    request = PreviewRequest(
        (cons,),
        (prod,),
        coefficients=_static(tmp_path, "0.3", "0.3"),
        load=LoadOptions(key=KeyKind.STATIC, gaps=GapPolicy.ZERO),
    )
    notes = [str(n.data["text"]) for n in run_preview(request).notices if n.kind is NoticeKind.NOTE]
    flagged = next(note for note in notes if "totalisent" in note)
    assert "totalisent 0,6 % de la production" in flagged
    assert not re.search(r"\d\.\d", flagged)


def test_the_workbook_names_the_key_and_the_figures_as_the_cli_does(tmp_path: Path) -> None:
    cons, prod = _one_gap(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "--gaps", "zero",
         "--key", "static", "--coefficients", str(_static(tmp_path, "60", "40")),
         "-o", str(out), "-q"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(next(out.glob("ACC*.xlsx")), read_only=True)
    cells = {row[0]: row[1] for row in book["Indicateurs"].iter_rows(values_only=True)}
    assert cells["Clé de répartition"] == "Clé statique"
    shown = [line.split("  ")[0] for line in result.stdout.splitlines()[2:]]
    labels = [label for _, label, _ in INDICATOR_LABELS]
    assert shown == labels
    assert all(label in cells for label in labels)


def test_the_pane_uses_the_command_lines_labels() -> None:
    from linkytool.tui.screens.acc import INDICATORS, KEYS

    assert [label for _, label, _ in INDICATORS] == [label for _, label, _ in INDICATOR_LABELS]
    assert "Autoconsommation totale" in [label for _, label, _ in INDICATORS]
    assert ("Clé statique", "static") in KEYS


#: Front-end and core files of the ACC preview whose strings users read (demo.py and
#: outputs.py write data files for programs: a decimal point there is the contract).
USER_TEXT = [
    *(p for p in sorted((ROOT / "linkytool" / "acc").glob("*.py"))
      if p.name not in {"demo.py", "outputs.py"}),
    ROOT / "linkytool" / "cli" / "acc.py",
    ROOT / "linkytool" / "tui" / "acc_job.py",
    ROOT / "linkytool" / "tui" / "screens" / "acc.py",
]  # fmt: skip


def test_acc_messages_format_no_number_with_a_decimal_point() -> None:
    """``{x:g}`` or ``{x:.4g}`` in a message wrote ``0.6 %``: textfmt.french_number."""
    spec = re.compile(r"\{[^{}]*:,?(\.\d+)?[gef%]\}")
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in USER_TEXT
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if spec.search(line)
    ]
    assert offenders == []
