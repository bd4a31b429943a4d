"""One service runs an ACC preview for both front ends; the core words no front end."""

from __future__ import annotations

import io
import json
import re
import tokenize
from datetime import datetime
from pathlib import Path

import pytest
from acc_helpers import PARIS, long_csv, write
from click.testing import CliRunner

from linkytool.acc.errors import GapError, OptionRef
from linkytool.acc.service import (
    CurvesPolicy,
    NoticeKind,
    PreviewRequest,
    run_preview,
)
from linkytool.cli import cli

ROOT = Path(__file__).resolve().parents[2]
C1, P1 = "30000000000001", "20000000000001"


def _strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings and comments excluded."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline))
    result = []
    for k, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        before = [t for t in tokens[:k] if t.type not in (tokenize.NL, tokenize.COMMENT)]
        if not before or before[-1].type in (tokenize.INDENT, tokenize.NEWLINE, tokenize.DEDENT):
            continue  # a docstring or a bare string statement
        result.append((token.start[0], token.string))
    return result


def test_the_acc_core_names_no_command_line_flag() -> None:
    """Hints carry settings as data: `--gaps` or `--perimeter` must not reach the UI."""
    offenders = [
        f"{path.name}:{line}: {text[:60]}"
        for path in sorted((ROOT / "linkytool" / "acc").glob("*.py"))
        for line, text in _strings(path)
        if re.search(r"--[a-z]", text)
    ]
    assert offenders == []


def test_both_front_ends_call_the_one_service() -> None:
    cli_source = (ROOT / "linkytool" / "cli" / "acc.py").read_text("utf-8")
    tui_source = (ROOT / "linkytool" / "tui" / "screens" / "acc.py").read_text("utf-8")
    job_source = (ROOT / "linkytool" / "tui" / "acc_job.py").read_text("utf-8")
    for source in (cli_source, tui_source):
        assert "run_preview" in source
    for source in (cli_source, tui_source, job_source):
        for orchestration in ("load_operation(", "run_operation(", "write_outputs("):
            assert orchestration not in source


def _gap_files(tmp_path: Path) -> tuple[Path, Path]:
    start = datetime(2026, 6, 1, tzinfo=PARIS)
    text = long_csv({C1: [1.0, 2.0, 3.0, 4.0]}, start)
    text = text.replace(f"{C1},2026-06-01T00:30:00+02:00,3\n", "")
    return write(tmp_path / "c.csv", text), write(
        tmp_path / "p.csv", long_csv({P1: [5.0] * 4}, start)
    )


def test_each_front_end_words_the_settings_of_a_hint(tmp_path: Path) -> None:
    from linkytool.cli.acc import cli_word
    from linkytool.tui.acc_job import error_hint

    cons, prod = _gap_files(tmp_path)
    with pytest.raises(GapError) as caught:
        run_preview(PreviewRequest((cons,), (prod,)))
    error = caught.value
    assert OptionRef("gaps", "zero") in error.options
    assert error.prm == C1
    assert "--" not in (error.hint or "") and "les pas manquants comptés à 0 W" in str(error)
    assert "--gaps zero" in (error.render_hint(cli_word) or "")
    ui = error_hint(error) or ""
    assert "« Pas manquants » : comptés 0 W" in ui and "--gaps" not in ui
    result = CliRunner().invoke(
        cli, ["acc", "run", "--consumers", str(cons), "--producers", str(prod), "-o", "x"]
    )
    assert result.exit_code == 3
    assert "--gaps zero" in result.stderr and "Traceback" not in result.stderr


def test_the_service_returns_notices_as_data_and_the_options_it_recorded(tmp_path: Path) -> None:
    from linkytool.acc import GapPolicy, LoadOptions

    cons, prod = _gap_files(tmp_path)
    out = tmp_path / "out"
    preview = run_preview(
        PreviewRequest(
            (cons,),
            (prod,),
            load=LoadOptions(gaps=GapPolicy.ZERO),
            outdir=out,
            chart=False,
            curves=CurvesPolicy.NEVER,
        )
    )
    kinds = [notice.kind for notice in preview.notices]
    assert NoticeKind.GAPS_FILLED in kinds
    assert [p.name for p in preview.written][-1] == "report.json"
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["options"] == dict(preview.options)
    assert report["options"]["gaps"] == "zero" and report["options"]["curves"] == "never"
    assert not (out / "curves.csv").exists()


def test_curves_kept_in_a_temporary_file_give_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the memory budget the loader's matrix is a file read chunk by chunk."""
    from linkytool.acc import store
    from linkytool.acc.demo import write_demo_inputs
    from linkytool.acc.model import KeyKind

    paths = write_demo_inputs(tmp_path / "in", KeyKind.STATIC)
    request = PreviewRequest(
        (paths["consumers"],),
        (paths["producers"],),
        coefficients=paths["coefficients"],
        perimeter=paths["perimeter"],
        calendar=paths["calendar"],
    )
    from linkytool.acc import KeyKind as Key
    from linkytool.acc import LoadOptions

    request = PreviewRequest(
        request.consumers,
        request.producers,
        coefficients=request.coefficients,
        perimeter=request.perimeter,
        calendar=request.calendar,
        load=LoadOptions(key=Key.STATIC),
    )
    in_memory = run_preview(request).result
    monkeypatch.setattr(store, "MEMORY_BUDGET_BYTES", 0)
    monkeypatch.setattr(store, "GROUP_COLUMNS", 3)
    in_file = run_preview(request).result
    assert not in_file.operation.consumption.in_memory  # type: ignore[attr-defined]
    for name in ("consumption_wh", "self_consumed_wh", "surplus_wh", "pairs_wh"):
        assert (getattr(in_file, name) == getattr(in_memory, name)).all(), name
    for name, curve in in_memory.consumer_curves.items():
        assert (in_file.consumer_curves[name] == curve).all()
