"""``linkytool`` and ``python -m linkytool``: the process entry point.

Kept tiny and free of imports on purpose: a Ctrl+C that arrives while the command line is
still being imported (a second or more on a loaded machine) ends with the documented
exit 130 and "Interrompu.", not a ``KeyboardInterrupt`` traceback.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    main()
