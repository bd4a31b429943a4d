"""``linkytool --help`` lists the sub-commands from a static table, importing none of them."""

from __future__ import annotations

import click
import pytest
from fresh_python import python_output

from linkytool.cli import SUBCOMMANDS, SUMMARIES, cli


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
@pytest.mark.parametrize("limit", [20, 45, 74, 200])
def test_each_summary_is_the_line_the_command_itself_would_list(name: str, limit: int) -> None:
    command = cli.get_command(click.Context(cli), name) if isinstance(cli, click.Group) else None
    assert command is not None and not command.hidden and not command.deprecated
    assert not command.short_help  # the listing shortens the help's first paragraph
    listed = click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)
    assert listed == command.get_short_help_str(limit)


def test_the_help_listing_imports_no_sub_command() -> None:
    code = (
        "import sys\n"
        "from linkytool.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('numpy', 'PIL', 'reportlab', 'textual', 'linkytool')]\n"
        "print(sorted(m for m in loaded if m.startswith(('linkytool.cli.', 'linkytool.mes', "
        "'linkytool.acc', 'linkytool.ocr', 'linkytool.tic', 'linkytool.tui')) "
        "or not m.startswith('linkytool')))\n"
    )
    stdout = python_output(code)
    assert "Commandes" in stdout
    assert stdout.splitlines()[-1] == "['linkytool.cli.french', 'linkytool.cli.output']"


@pytest.mark.parametrize("command", ["ocr", "acc"])
def test_a_sub_command_help_loads_no_numpy(command: str) -> None:
    """The readers and the computation load numpy only to read or compute."""
    code = (
        "import sys\n"
        "from linkytool.cli import main\n"
        "try:\n"
        f"    main([{command!r}, '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('numpy' in sys.modules)\n"
    )
    stdout = python_output(code)
    assert "Utilisation" in stdout
    assert stdout.splitlines()[-1] == "False"
