"""``linkytool`` and ``python -m linkytool``: the process entry point.

Kept tiny and free of imports on purpose: a Ctrl+C that arrives while the command line is
still being imported (a second or more on a loaded machine) ends with the documented
exit 130 and "Interrompu.", not a ``KeyboardInterrupt`` traceback; one that arrives once
the command has answered changes nothing.

A bare ``linkytool`` and ``linkytool --demo`` have nothing to parse: they open the UI
through :func:`linkytool.tui.launch.open_ui` without importing click (~25 ms of CPU
before the first screen), exactly as ``linkytool tui [--demo]`` does through click
(``tests/tui/test_cli_ui.py`` holds both ways to the same call). Every other command line
goes to click.
"""

from __future__ import annotations

import signal
import sys

#: Exit code of an interrupted command (``linkytool.errors.ExitCode.INTERRUPTED``).
INTERRUPTED = 130
#: The command lines (arguments after the program's name) that only open the UI.
UI_ONLY: tuple[list[str], ...] = ([], ["--demo"])


def open_ui_only(demo: bool) -> None:
    """Open the UI as ``linkytool tui [--demo]`` does, without click; an error that
    stops the session from starting is reported as click reports it (same line, same
    exit code)."""
    from linkytool.errors import LinkytoolError, error_line
    from linkytool.tui.launch import open_ui

    try:
        code = open_ui(demo=demo)
    except LinkytoolError as error:
        sys.stderr.write(error_line(error) + "\n")
        raise SystemExit(int(error.exit_code)) from None
    if code:
        raise SystemExit(code)


def main() -> None:
    """Run the command line; an interruption before click takes over exits 130."""
    try:
        arguments = sys.argv[1:]
        if arguments in UI_ONLY:
            open_ui_only(demo=arguments == ["--demo"])
            return
        from linkytool.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        raise SystemExit(INTERRUPTED) from None
    finally:
        # The command has answered: a Ctrl+C during the interpreter's exit must not turn
        # its exit code into "killed by SIGINT" (the work is done and written).
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    main()
