"""The CLI maps LinkytoolError subclasses to their exit code, in French, on stderr."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.errors import ExitCode, LinkytoolError, OutputError


class _DeviceError(LinkytoolError):
    exit_code = ExitCode.DEVICE


@pytest.fixture
def failing_command() -> object:
    @click.command("boom")
    @click.argument("kind")
    def boom(kind: str) -> None:
        """Lève une erreur de test."""
        if kind == "device":
            raise _DeviceError("Adaptateur absent.", hint="Branchez-le.")
        raise OutputError("Disque plein.")

    assert isinstance(cli, click.Group)
    cli.add_command(boom)
    yield boom
    cli.commands.pop("boom")


@pytest.mark.usefixtures("failing_command")
@pytest.mark.parametrize(
    ("kind", "code", "text"),
    [("device", 4, "Adaptateur absent.\n→ Branchez-le."), ("output", 6, "Disque plein.")],
)
def test_error_maps_to_exit_code_on_stderr(kind: str, code: int, text: str) -> None:
    result = CliRunner().invoke(cli, ["boom", kind])
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == f"Erreur : {text}\n"
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["mes", "reading", "demo.toml", "injection_index", "11", "--file", "{photo}"],
        ["mes", "check", "demo.toml"],
        ["mes", "new", "nouveau.toml"],
        ["mes", "attest", "{dossier}", "-o", "attestation.pdf"],
        ["mes", "check", "{dossier}"],  # absolute: refused too, the same way every time
        ["tic", "decode", "capture.bin"],
    ],
)
def test_current_folder_deleted_is_a_french_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    # cd into a folder, delete it from another shell, run a command there: a relative
    # path (or the hint's "current folder") used to raise FileNotFoundError from getcwd.
    import shutil

    demo = Path(__file__).parent.parent / "samples"
    for part in ("dossier", "photos", "tic"):
        shutil.copytree(demo / part, tmp_path / part, ignore=shutil.ignore_patterns("t*"))
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    given = [
        a.format(
            photo=demo / "photos" / "demo-index.jpg", dossier=tmp_path / "dossier" / "demo.toml"
        )
        for a in args
    ]
    result = CliRunner().invoke(cli, given)
    assert not isinstance(result.exception, FileNotFoundError), result.exception
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "Le dossier courant n'existe plus" in result.output
