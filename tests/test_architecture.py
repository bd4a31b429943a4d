"""Architecture rules: the core is importable without Textual (the UI is a thin shell)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import linkytool

#: Sub-packages that form the UI shell; everything else is core or CLI.
UI_PACKAGES = ("linkytool.tui", "linkytool.cli.ui")


def _core_modules() -> list[str]:
    names = [
        module.name
        for module in pkgutil.walk_packages(linkytool.__path__, prefix="linkytool.")
        if not module.name.startswith(UI_PACKAGES)
    ]
    assert names, "no core module found"
    return names


def test_core_never_imports_textual() -> None:
    modules = _core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core imported Textual: {result.stdout}"


def test_decoder_core_never_imports_pyserial() -> None:
    code = (
        "import importlib, sys\n"
        "importlib.import_module('linkytool.tic')\n"
        "print('serial' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
