"""What tests/conftest.py does for the session: the workers' shared compilation (issue 14)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from _pytest.assertion import rewrite

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def conftest(pytestconfig: pytest.Config) -> Any:
    """tests/conftest.py, the module pytest loaded (other conftest.py share its name)."""
    module = pytestconfig.pluginmanager.get_plugin(str(ROOT / "tests" / "conftest.py"))
    assert module is not None
    return module


def test_the_workers_shares_cover_every_file_once_and_weigh_alike(conftest: Any) -> None:
    files = sorted((ROOT / "tests").rglob("*.py"))
    shares = [conftest.worker_share(files, f"gw{n}", 3) for n in range(3)]
    assert sorted(path for share in shares for path in share) == files
    sizes = [sum(path.stat().st_size for path in share) for share in shares]
    assert max(sizes) - min(sizes) <= max(path.stat().st_size for path in files)
    assert conftest.worker_share(files, "gw1", 3) == shares[1]  # every worker chooses alike


def test_a_worker_writes_the_bytecode_pytest_and_python_read(
    pytestconfig: pytest.Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conftest: Any
) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    folder = ROOT / "tests" / "tic"
    files = sorted(folder.rglob("*.py"))
    mine = conftest.worker_share(files, "gw0", 2)
    conftest.compile_my_share(pytestconfig, folders=("tests/tic",))
    written = []
    for path in files:
        if path.name.startswith("test_") or path.name == "conftest.py":
            pyc = rewrite.get_cache_dir(path) / (path.name[:-3] + rewrite.PYC_TAIL)
            if pyc.exists():
                assert rewrite._read_pyc(path, pyc) is not None  # what pytest reads back
        else:
            pyc = Path(importlib.util.cache_from_source(str(path)))
            if pyc.exists():  # what the import system reads back: its magic, mtime, size
                header = pyc.read_bytes()[:16]
                assert header[:4] == importlib.util.MAGIC_NUMBER
                assert int.from_bytes(header[8:12], "little") == int(path.stat().st_mtime)
                assert int.from_bytes(header[12:16], "little") == path.stat().st_size
        assert pyc.is_relative_to(tmp_path)
        if pyc.exists():
            written.append(path)
    assert written == sorted(mine)
    assert any(path.name.startswith("test_") for path in written)
    assert any(not path.name.startswith("test_") for path in written)
