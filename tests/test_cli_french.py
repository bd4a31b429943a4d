"""click's own texts (usage, errors, built-in help) are French, and stay French."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linkytool.cli import cli, french


def _click_message_ids() -> tuple[set[str], set[tuple[str, str]]]:
    """Every text the installed click marks with ``_()`` or ``ngettext()``."""
    singles: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            texts = [t for t in texts if isinstance(t, str)]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                pairs.add((texts[0], texts[1]))
    return singles, pairs


def test_every_click_text_has_a_french_entry() -> None:
    singles, pairs = _click_message_ids()
    assert singles, "no click text found: the scan is broken"
    assert sorted(singles - set(french.CLICK_FR)) == []
    assert sorted(pairs - set(french.CLICK_FR_PLURAL)) == []


def test_usage_error_is_french() -> None:
    result = CliRunner().invoke(
        cli, ["tic", "decode", "--format", "foo", "x"], prog_name="linkytool"
    )
    assert result.exit_code == 2
    assert "Utilisation : linkytool tic decode [OPTIONS] SOURCE" in result.output
    assert "Essayez « linkytool tic decode --help » pour l'aide." in result.output
    assert "Erreur : Valeur invalide pour '--format'" in result.output
    for english in ("Usage", "Try ", "Error", "Invalid value", "is not one of"):
        assert english not in result.output


def test_missing_argument_and_unknown_command_are_french() -> None:
    missing = CliRunner().invoke(cli, ["tic", "decode"], prog_name="linkytool")
    assert "Erreur : Argument manquant 'SOURCE'." in missing.output
    unknown = CliRunner().invoke(cli, ["mes", "atest"], prog_name="linkytool")
    assert unknown.exit_code == 2
    assert "Commande inconnue : 'atest'." in unknown.output
    assert "Vouliez-vous dire" in unknown.output


def test_group_usage_names_the_subcommand_in_french() -> None:
    result = CliRunner().invoke(cli, ["mes", "--help"], prog_name="linkytool")
    assert "Utilisation : linkytool mes [OPTIONS] COMMANDE [ARGUMENTS]..." in result.output
    assert "Options :" in result.output and "Commandes :" in result.output


def test_an_unwritable_stderr_keeps_the_exit_code(tmp_path: Path) -> None:
    """``mes check 2>/dev/full``: the diagnostics are lost, the answer is not."""
    missing = tmp_path / "absent.toml"
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "linkytool", "mes", "check", str(missing)],
            stderr=full,
            stdout=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    assert result.returncode == 3


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["tic", "decode", "a\x00b"], 3),
        (["tic", "read", "--record", "a\x00b", "--port", "loop://"], 6),
        (["mes", "check", "a\x00b.toml"], 3),
        (["ocr", "a\x00b.jpg"], 3),
        (["acc", "demo", "-o", "a\x00b"], 6),
    ],
    ids=["tic-decode", "tic-record", "mes-check", "ocr", "acc-demo"],
)
def test_a_nul_byte_in_a_path_is_a_french_error(args: list[str], code: int) -> None:
    result = CliRunner().invoke(cli, args, prog_name="linkytool")
    assert result.exit_code == code, (result.output, result.exception)
    assert "nul" in result.output
    assert "Traceback" not in result.output and "embedded null" not in result.output


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["tic", "--help"], "linkytool.cli"),
        # bare linkytool and --demo open the UI without click (linkytool.__main__)
        ([], "linkytool.tui.launch"),
        (["--demo"], "linkytool.tui.launch"),
    ],
)
def test_ctrl_c_while_the_command_line_is_still_importing_exits_130(
    argv: list[str], module: str
) -> None:
    """On a loaded machine importing the command line takes a second or more: a Ctrl+C
    then must end like any other (exit 130, "Interrompu."), not with a traceback."""
    code = (
        "import builtins, sys\n"
        f"sys.argv = ['linkytool', *{argv!r}]\n"
        "import linkytool.__main__ as entry\n"
        "original = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        f"    if name == {module!r}:\n"
        "        raise KeyboardInterrupt\n"
        "    return original(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "entry.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 130
    assert result.stderr == "Interrompu.\n"
