"""Every command and sub-command has French help, reachable with --help, exit code 0."""

from __future__ import annotations

import re

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

ENGLISH_METAVARS = re.compile(r"\b(?:TEXT|FLOAT|INTEGER|RANGE|BOOLEAN|COMMAND|ARGS|VALUE)\b")
DECIMAL_POINT_IN_BRACKETS = re.compile(r"\[[^\]]*\d\.\d[^\]]*\]|x[<>]=?")


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "linkytool")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Utilisation :" in result.output
    assert "Usage" not in result.output and "Show this message" not in result.output
    assert "required]" not in result.output  # click's "[required]" beside an option
    # click's own value names and ranges: TEXT, FLOAT RANGE, [x>=0.1], [défaut : 5.0]
    assert ENGLISH_METAVARS.findall(result.output) == [], result.output
    assert DECIMAL_POINT_IN_BRACKETS.findall(result.output) == [], result.output
    # a real description, not just the usage line
    assert len(result.output.strip().splitlines()) > 2


#: A help line starting with punctuation French glues to the word before it, or ending
#: with an opening quote (« [défaut » then « : 0] »).
BROKEN_AT_GLUED_SPACE = re.compile(r"^\s+[:;?!»]|«$", re.MULTILINE)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_help_is_never_wrapped_at_a_glued_space(width: int) -> None:
    """At every width, no help line of any command starts with « : ; ? ! » » nor ends
    with « « » (each occurred at 60 or 80 columns before ``french.wrap_french``), and the
    help keeps plain spaces."""
    broken = []
    for path in ALL_COMMANDS:
        result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=width)
        assert result.exit_code == 0, result.output
        assert "\u00a0" not in result.output
        broken += [(path, m.group()) for m in BROKEN_AT_GLUED_SPACE.finditer(result.output)]
    assert broken == []


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "linkytool" in result.output


def test_the_scans_catch_clicks_english() -> None:
    """The help scans above catch what they are for."""
    assert ENGLISH_METAVARS.findall("--delay FLOAT RANGE  [x>=0]") == ["FLOAT", "RANGE"]
    assert DECIMAL_POINT_IN_BRACKETS.findall("[défaut : 5.0; x>=0.1]") == ["[défaut : 5.0; x>=0.1]"]
    assert DECIMAL_POINT_IN_BRACKETS.findall("--delay NOMBRE  [défaut : 5; ≥ 0,1]") == []


def test_numbers_take_a_decimal_comma_and_refuse_nan() -> None:
    from linkytool.cli.french import describe_range

    result = CliRunner().invoke(cli, ["tic", "simulate", "--help"])
    assert "[défaut : 0; de 0 à 1]" in " ".join(result.output.split())
    assert click.FLOAT.convert("0,8", None, None) == 0.8
    assert describe_range(click.FloatRange(min=0.1)) == "≥ 0,1"
    assert describe_range(click.IntRange(0, 65535)) == "de 0 à 65535"
    assert describe_range(click.FloatRange(max=5, max_open=True)) == "< 5"
    with pytest.raises(click.BadParameter, match="pas un nombre fini"):
        click.FLOAT.convert("nan", None, None)
