"""Architecture rules (docs: ../README.md "Layout"): imports only go down the floors.

The core (everything but the front ends) is importable without Textual, click or
``linkytool.cli``; the TIC decoder core never loads pyserial.
"""

from __future__ import annotations

import ast
import functools
import os
import pkgutil
from pathlib import Path

from fresh_python import python_output

import linkytool

#: The front ends (command line, terminal UI); everything else is services, core or adapters.
FRONT_END_PACKAGES = ("linkytool.tui", "linkytool.cli", "linkytool.__main__")


def _core_modules() -> list[str]:
    names = [
        module.name
        for module in pkgutil.walk_packages(linkytool.__path__, prefix="linkytool.")
        if not module.name.startswith(FRONT_END_PACKAGES)
    ]
    assert names, "no core module found"
    return names


@functools.cache
def _all_loaded_by_core() -> tuple[str, ...]:
    """Every module that importing every core module loads, in a fresh interpreter (one
    for the tests below: the same child answered each of them, issue 14)."""
    code = (
        "import importlib, sys\n"
        f"for name in {_core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(sys.modules)))\n"
    )
    stdout = python_output(code)
    return tuple(name for name in stdout.strip().split(",") if name)


def _loaded_by_core(*roots: str) -> list[str]:
    """Modules under any of ``roots`` that importing every core module loads."""

    def hit(module: str) -> bool:
        return any(module == root or module.startswith(root + ".") for root in roots)

    return [name for name in _all_loaded_by_core() if hit(name)]


def test_core_never_imports_textual() -> None:
    assert _loaded_by_core("textual") == []


def test_core_never_imports_click_nor_the_cli() -> None:
    assert _loaded_by_core("click", "linkytool.cli") == []


def test_decoder_core_never_imports_pyserial() -> None:
    code = (
        "import importlib, sys\n"
        "importlib.import_module('linkytool.tic')\n"
        "print('serial' in sys.modules)\n"
    )
    stdout = python_output(code)
    assert stdout.strip() == "False"


def test_the_dossier_service_loads_the_pdf_layout_only_to_build_an_attestation() -> None:
    """reportlab costs 0.1-0.3 s of CPU: the UI loads the dossier service at start-up
    while the photo workers read, so only building an attestation may load it."""
    code = (
        "import sys\n"
        "import linkytool.mes, linkytool.mes.service, linkytool.mes.pack\n"
        "print('reportlab' in sys.modules)\n"
        "linkytool.mes.build_attestation_pdf\n"
        "print('reportlab' in sys.modules)\n"
    )
    stdout = python_output(code)
    assert stdout.split() == ["False", "True"]


#: Orchestration a front end must leave to ``linkytool.mes.service`` (issue 12: each
#: dossier action done once, for the CLI and the UI alike).
MES_ACTIONS_BELOW_THE_SERVICE = frozenset(
    {
        "record_reading",
        "readings_from_tic",
        "reading_from_photo",
        "check_prerequisites",
        "evaluate_rules",
        "build_pack",
        "pack_files",
        "build_attestation",
        "build_attestation_pdf",
        "sign_pdf",
        "verify_signature",
        "save_dossier",
        "load_submitted_photos",
    }
)


def test_front_ends_do_dossier_actions_through_the_mes_service_only() -> None:
    root = Path(linkytool.__file__).parent
    offenders = []
    for path in [root / "cli" / "mes.py", *sorted((root / "tui").rglob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "linkytool.mes"
            ):
                continue
            if node.module == "linkytool.mes.service":
                continue
            offenders += [
                f"{path.relative_to(root)}: {node.module}.{alias.name}"
                for alias in node.names
                if alias.name in MES_ACTIONS_BELOW_THE_SERVICE
            ]
    assert offenders == []


def test_production_code_never_imports_the_synthetic_photo_generator() -> None:
    """The generator (``ocrsynth``, in ``devtools/``) is a development tool: the reader, the
    services and both front ends work without it (its font table is the reader's data,
    :mod:`linkytool.ocr.font5x7`, which the generator imports, never the reverse). The
    generator is importable in the child (``PYTHONPATH``), so an import would succeed and
    show up in ``sys.modules`` rather than hide behind an ImportError."""
    production = [
        module.name for module in pkgutil.walk_packages(linkytool.__path__, prefix="linkytool.")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {production!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'ocrsynth')))\n"
    )
    devtools = Path(linkytool.__file__).resolve().parents[1] / "devtools"
    env = {**os.environ, "PYTHONPATH": str(devtools)}
    stdout = python_output(code, env)
    assert stdout.strip() == ""


def test_the_generator_lives_outside_the_package() -> None:
    """``linkytool/`` holds no generator code (it moved to ``devtools/ocrsynth``) and no
    production file names it in an import."""
    root = Path(linkytool.__file__).resolve().parent
    assert not list((root / "ocr" / "synth").glob("*.py"))
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.relative_to(root)}: {n}" for n in names if "synth" in n]
    assert offenders == []
