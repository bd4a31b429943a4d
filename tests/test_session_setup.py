"""What tests/conftest.py does for the session: the workers' shared compilation (issue 14)."""

from __future__ import annotations

import fcntl
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


def test_each_worker_goes_through_every_file_from_its_own_start(conftest: Any) -> None:
    files = sorted((ROOT / "tests").rglob("*.py"))
    orders = [conftest.worker_order(files, f"gw{n}", 3) for n in range(3)]
    for order in orders:
        assert sorted(order) == files
        assert order[1:] + order[:1] != order  # not all the same size: a real rotation
    firsts = [orders[0].index(order[0]) for order in orders]
    assert firsts == [0, len(files) // 3, 2 * len(files) // 3]
    assert orders[0][0].stat().st_size == max(path.stat().st_size for path in files)


def _pyc(path: Path) -> Path:
    if path.name.startswith("test_") or path.name == "conftest.py":
        return rewrite.get_cache_dir(path) / (path.name[:-3] + rewrite.PYC_TAIL)
    return Path(importlib.util.cache_from_source(str(path)))


def test_a_worker_writes_the_bytecode_pytest_and_python_read_and_skips_a_locked_file(
    pytestconfig: pytest.Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conftest: Any
) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    files = sorted((ROOT / "tests" / "tic").rglob("*.py"))
    busy = next(path for path in files if path.name.startswith("test_"))
    with open(busy, "rb") as other_worker:  # another worker compiling it
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        conftest.compile_shared(
            pytestconfig, folders=("tests/tic",), args=[str(ROOT / "tests" / "tic")]
        )
    assert not _pyc(busy).exists()
    written = [path for path in files if _pyc(path).exists()]
    assert written == [path for path in files if path != busy]
    for path in written:
        pyc = _pyc(path)
        assert pyc.is_relative_to(tmp_path)
        if pyc.name.endswith(rewrite.PYC_TAIL):  # what pytest reads back
            assert rewrite._read_pyc(path, pyc) is not None
            assert conftest.rewritten_pyc_is_fresh(pyc, path.read_bytes())
            assert not conftest.rewritten_pyc_is_fresh(pyc, path.read_bytes() + b"\n")
        else:  # what the import system reads back: its magic, the source's mtime and size
            header = pyc.read_bytes()[:16]
            assert header[:4] == importlib.util.MAGIC_NUMBER
            assert int.from_bytes(header[8:12], "little") == int(path.stat().st_mtime)
            assert int.from_bytes(header[12:16], "little") == path.stat().st_size
    assert any(_pyc(path).name.endswith(rewrite.PYC_TAIL) for path in written)
    assert any(not _pyc(path).name.endswith(rewrite.PYC_TAIL) for path in written)


def test_only_the_test_files_of_the_paths_asked_for_are_compiled(conftest: Any) -> None:
    tests = ROOT / "tests"

    def collected(path: str, *args: str) -> bool:
        return bool(conftest.is_collected(ROOT / path, tests, [str(ROOT / a) for a in args]))

    assert collected("tests/tic/test_runs.py", "tests/tic")
    assert not collected("tests/mes/test_mes_pack.py", "tests/tic")
    assert collected("tests/conftest.py", "tests/tic")  # above a path asked for
    assert collected("tests/mes/conftest.py", "tests/mes/test_mes_pack.py::test_a")
    assert not collected("tests/mes/conftest.py", "tests/tic")
    assert collected("tests/mes/test_mes_pack.py", "tests/mes/test_mes_pack.py::test_a")
    assert not collected("tests/mes/test_mes_cli.py", "tests/mes/test_mes_pack.py::test_a")
    assert collected("linkytool/tic/frames.py", "tests/tic")  # the package: always
    assert collected("tests/mes/test_mes_pack.py", "tests/no-such-folder")  # unknown: all
    assert collected("tests/mes/test_mes_pack.py", "tests/tic", "tests/mes")
    assert conftest.is_collected(ROOT / "tests/tic/test_runs.py", tests, [])  # default
