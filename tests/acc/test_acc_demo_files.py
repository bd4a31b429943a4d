"""The demo never destroys a user's file: it refuses, lists them and says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.acc.demo import demo_input_texts, differing_results, write_demo_inputs
from linkytool.acc.errors import DemoOverwriteError
from linkytool.acc.model import KeyKind
from linkytool.cli import cli
from linkytool.errors import ExitCode


def test_demo_inputs_refuse_to_replace_a_users_file(tmp_path: Path) -> None:
    mine = tmp_path / "consumers.csv"
    mine.write_text("mine\n", encoding="utf-8")
    with pytest.raises(DemoOverwriteError) as refused:
        write_demo_inputs(tmp_path, KeyKind.STATIC)
    assert mine.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["consumers.csv"]  # nothing written
    error = refused.value
    assert error.paths == (mine,)
    assert "contient déjà 1 fichier que la démonstration remplacerait" in error.message
    assert "consumers.csv" in error.message and "Rien n'a été écrit" in error.message
    assert (
        error.hint == "Choisissez un autre dossier, ou remplacez-le avec l'option de remplacement."
    )
    assert error.exit_code is ExitCode.OUTPUT


def test_identical_demo_files_are_rewritten_and_replace_is_explicit(tmp_path: Path) -> None:
    paths = write_demo_inputs(tmp_path, KeyKind.STATIC)
    assert write_demo_inputs(tmp_path, KeyKind.STATIC) == paths  # identical: fine
    with pytest.raises(DemoOverwriteError) as refused:  # other coefficients
        write_demo_inputs(tmp_path, KeyKind.DYNAMIC)
    assert refused.value.paths == (tmp_path / "coefficients.csv",)
    write_demo_inputs(tmp_path, KeyKind.DYNAMIC, replace=True)
    expected = demo_input_texts(KeyKind.DYNAMIC)["coefficients"]
    assert (tmp_path / "coefficients.csv").read_text(encoding="utf-8") == expected


def test_results_of_another_run_are_the_users(tmp_path: Path) -> None:
    (tmp_path / "participants.csv").write_text("role,prm\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("à moi\n", encoding="utf-8")  # never replaced
    assert differing_results(tmp_path, KeyKind.STATIC, 2026) == [tmp_path / "participants.csv"]
    report = {"options": {"key": "static", "demo_seed": 2026}}
    (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")
    assert differing_results(tmp_path, KeyKind.STATIC, 2026) == []  # this demo's results
    assert differing_results(tmp_path, KeyKind.STATIC, 7) != []
    assert differing_results(tmp_path / "absent", KeyKind.STATIC, 2026) == []


def test_demo_command_refuses_then_replaces_on_request(tmp_path: Path) -> None:
    """The QA case: ``acc demo -o DIR`` over DIR/inputs/consumers.csv of the user."""
    (tmp_path / "inputs").mkdir()
    mine = tmp_path / "inputs" / "consumers.csv"
    mine.write_text("mine\n", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli, ["acc", "demo", "-o", str(tmp_path), "-q"])
    assert refused.exit_code == ExitCode.OUTPUT, refused.output
    assert mine.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs"]
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == ["consumers.csv"]
    assert "inputs/consumers.csv" in refused.stderr
    assert "remplacez-le avec --replace" in refused.stderr
    assert "Traceback" not in refused.output
    replaced = runner.invoke(cli, ["acc", "demo", "-o", str(tmp_path), "-q", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert mine.read_text(encoding="utf-8").startswith("prm,timestamp,w\n")
    again = runner.invoke(cli, ["acc", "demo", "-o", str(tmp_path), "-q"])  # its own files
    assert again.exit_code == 0, again.output
