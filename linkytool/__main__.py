"""``linkytool`` and ``python -m linkytool``: the process entry point.

Kept tiny and free of imports on purpose: a Ctrl+C that arrives while the command line is
still being imported (a second or more on a loaded machine) ends with the documented
exit 130 and "Interrompu.", not a ``KeyboardInterrupt`` traceback; one that arrives once
the command has answered changes nothing.
"""

from __future__ import annotations

import signal
import sys

#: Exit code of an interrupted command (``linkytool.errors.ExitCode.INTERRUPTED``).
INTERRUPTED = 130


def main() -> None:
    """Run the command line; an interruption before click takes over exits 130."""
    try:
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
