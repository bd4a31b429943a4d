"""Every command and sub-command has French help, reachable with --help, exit code 0."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from linkytool.cli import cli


def _walk(command: click.Command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    paths = [path]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, name
            paths += _walk(sub, (*path, name))
    return paths


ALL_COMMANDS = _walk(cli, ())


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "linkytool")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Utilisation :" in result.output
    assert "Usage" not in result.output and "Show this message" not in result.output
    assert "required]" not in result.output  # click's "[required]" beside an option
    # a real description, not just the usage line
    assert len(result.output.strip().splitlines()) > 2


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "linkytool" in result.output
