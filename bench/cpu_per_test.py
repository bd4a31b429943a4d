"""CPU time of every test, as a pytest plugin, and a summary by folder, file and test.

``--durations`` gives wall time, which on a shared 2-core machine says more about the load
than about the test. This plugin records, for each test (setup, call and teardown), the
CPU time of its worker process (all its threads) and of the child processes it waited
for, one JSON line per test in ``$LINKYTOOL_CPU_LOG/cpu-<worker>.jsonl``; the summary
adds them up (issue 14).

Usage (from the checkout):
  LINKYTOOL_CPU_LOG=/tmp/cpu PYTHONPATH=bench .venv/bin/pytest -n auto -p cpu_per_test
  .venv/bin/python bench/cpu_per_test.py /tmp/cpu --files 30 --tests 40

What it misses: a grandchild never waited for by the worker (the photo workers of a UI
that was not closed, a process pool left running); the workers' start-up and collection.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

#: This process's log, opened on its first test.
_logs: list[TextIO] = []


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _open_log() -> TextIO:
    if not _logs:
        folder = Path(os.environ.get("LINKYTOOL_CPU_LOG", "cpu-per-test"))
        folder.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        _logs.append((folder / f"cpu-{worker}-{os.getpid()}.jsonl").open("a", encoding="utf-8"))
    return _logs[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: Any, nextitem: Any) -> Iterator[None]:
    own, children = _cpu()
    start = time.perf_counter()
    yield
    own_after, children_after = _cpu()
    record = {
        "id": item.nodeid,
        "self": own_after - own,
        "children": children_after - children,
        "wall": time.perf_counter() - start,
    }
    log = _open_log()
    log.write(json.dumps(record) + "\n")
    log.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="LINKYTOOL_CPU_LOG of the run")
    parser.add_argument("--files", type=int, default=30, help="files listed")
    parser.add_argument("--tests", type=int, default=40, help="tests listed")
    args = parser.parse_args()
    rows = [
        json.loads(line)
        for log in sorted(args.folder.glob("cpu-*.jsonl"))
        for line in log.read_text(encoding="utf-8").splitlines()
    ]
    total = sum(row["self"] + row["children"] for row in rows)
    print(f"{len(rows)} tests, {total:.1f} s of CPU (worker + waited children)")
    folders: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for row in rows:
        path = row["id"].split("::")[0]
        folders["/".join(path.split("/")[:2])] += row["self"] + row["children"]
        files[path] += row["self"] + row["children"]
    print("--- by folder [s]")
    for name, seconds in folders.most_common():
        print(f"{seconds:7.1f}  {name}")
    print("--- by file [s]")
    for name, seconds in files.most_common(args.files):
        print(f"{seconds:7.1f}  {name}")
    print("--- by test: worker cpu, children cpu, wall [s]")
    rows.sort(key=lambda row: -(row["self"] + row["children"]))
    for row in rows[: args.tests]:
        print(f"{row['self']:6.2f} {row['children']:6.2f} {row['wall']:6.1f}  {row['id']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
