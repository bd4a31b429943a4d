"""Run a snippet in a fresh Python process (what a module imports shows only there)."""

from __future__ import annotations

import subprocess
import sys


def python_output(code: str, env: dict[str, str] | None = None) -> str:
    """The standard output of ``python -c code`` (this interpreter), which must succeed."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
