"""The CLI maps LinkytoolError subclasses to their exit code, in French, on stderr."""

from __future__ import annotations

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
