"""CPU time of every test, as a pytest plugin, and a summary by folder, file and test.

``--durations`` gives wall time, which on a shared 2-core machine says more about the load
than about the test. This plugin records, for each test (setup, call and teardown), the
CPU time of its worker process (all its threads) and of the child processes it waited
for, one JSON line per test in ``$LINKYTOOL_CPU_LOG/cpu-<worker>.jsonl``; the summary
adds them up (issue 14).

Usage (from the checkout):
  LINKYTOOL_CPU_LOG=/tmp/cpu PYTHONPATH=bench .venv/bin/pytest -n auto -p cpu_per_test
  .venv/bin/python bench/cpu_per_test.py /tmp/cpu --files 30 --tests 40

Outside the tests, each process of the session (the workers and the controller) also
writes a line when its tests are collected (``"phase": "collected"``: interpreter start,
plugins, conftest and test module imports) and one when it ends (``"phase": "end"``),
so that the summary can say where the CPU outside the test calls went. Every subprocess
a test waits for through ``subprocess.Popen`` is accounted by command (``os.wait4``'s
resource usage: the process and the descendants it waited for), under ``--commands``.

What it misses: a grandchild never waited for by the worker (the photo workers of a UI
that was not closed, a process pool left running, a daemon such as the tmux server);
waits that do not go through ``Popen`` (asyncio's child watcher, multiprocessing) are in
the test's children CPU without a command name.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import resource
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

#: This process's log, opened on its first test.
_logs: list[TextIO] = []
#: (command, CPU [s]) of every subprocess waited for through ``Popen`` since the last test.
_waited: list[tuple[str, float]] = []


def command_name(args: Any) -> str:
    """A short name for a command line: the program, then its module or script and its
    first two words that are not options (``python -m linkytool tic decode``)."""
    words = [str(word) for word in args] if isinstance(args, (list, tuple)) else str(args).split()
    if not words:
        return "?"
    name = [os.path.basename(words[0])]
    rest = words[1:]
    if re.match(r"python[0-9.]*$", name[0]):
        name[0] = "python"
        while rest and rest[0].startswith("-") and rest[0] not in ("-m", "-c"):
            rest = rest[1:]
        if rest[:1] == ["-c"]:
            return "python -c"
        if rest[:1] == ["-m"] and len(rest) > 1:
            name += rest[:2]
            rest = rest[2:]
        elif rest:
            name.append(os.path.basename(rest[0]))
            rest = rest[1:]
    for word in rest:
        if len(name) >= 4 or word.startswith("-") or "/" in word or "." in word:
            break
        name.append(word)
    return " ".join(name)


def _account_waits() -> None:
    """``Popen`` waits through ``os.wait4``, noting each finished command's CPU."""
    original = subprocess.Popen._try_wait  # type: ignore[attr-defined]

    def try_wait(self: subprocess.Popen[Any], wait_flags: int) -> tuple[int, int]:
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return original(self, wait_flags)  # type: ignore[no-any-return]
        if pid == self.pid:
            _waited.append((command_name(self.args), usage.ru_utime + usage.ru_stime))
        return pid, status

    subprocess.Popen._try_wait = try_wait  # type: ignore[attr-defined]


_account_waits()


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


def _write(record: dict[str, Any]) -> None:
    log = _open_log()
    log.write(json.dumps(record) + "\n")
    log.flush()


def _phase(name: str) -> None:
    own, children = _cpu()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _write({"phase": name, "worker": worker, "self": own, "children": children})
    if _waited:
        _write({"phase": name + "-commands", "worker": worker, "commands": _waited[:]})
        _waited.clear()


def live_children() -> list[tuple[str, float]]:
    """(command, CPU so far [s]) of this process's children still running (``/proc``)."""
    found = []
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            argv = (stat.parent / "cmdline").read_bytes().split(b"\0")[:-1]
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid():  # ppid
            cpu = sum(int(value) for value in fields[11:15]) / tick  # utime..cstime
            found.append((command_name([a.decode(errors="replace") for a in argv]), cpu))
    return found


def pytest_collection_finish(session: pytest.Session) -> None:
    _phase("collected")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    _phase("end")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _write({"phase": "end-alive", "worker": worker, "commands": live_children()})


def _at_exit() -> None:
    if _logs:  # registered first, run last: what the process does after its session
        _phase("exit")


atexit.register(_at_exit)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: Any, nextitem: Any) -> Iterator[None]:
    if _waited:  # waited for between two tests
        _write({"phase": "between-commands", "commands": _waited[:]})
        _waited.clear()
    own, children = _cpu()
    start = time.perf_counter()
    yield
    own_after, children_after = _cpu()
    record = {
        "id": item.nodeid,
        "self": own_after - own,
        "children": children_after - children,
        "wall": time.perf_counter() - start,
        "commands": _waited[:],
    }
    _waited.clear()
    _write(record)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="LINKYTOOL_CPU_LOG of the run")
    parser.add_argument("--files", type=int, default=30, help="files listed")
    parser.add_argument("--tests", type=int, default=40, help="tests listed")
    parser.add_argument("--commands", type=int, default=30, help="commands listed")
    parser.add_argument(
        "--slowest-list",
        type=float,
        metavar="SECONDS",
        help="print instead the body of tests/slowest.txt: every test whose wall time "
        "(setup + call + teardown) reached SECONDS, slowest first, kept together as "
        "tests/slowest.txt's header says",
    )
    args = parser.parse_args()
    lines = [
        {**json.loads(line), "_worker": log.name.split("-")[1]}
        for log in sorted(args.folder.glob("cpu-*.jsonl"))
        for line in log.read_text(encoding="utf-8").splitlines()
    ]
    rows = [line for line in lines if "id" in line]
    if args.slowest_list is not None:
        print("\n".join(slowest_list(rows, args.slowest_list)))
        return 0
    outside(lines, rows)
    commands(lines, args.commands)
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


#: A test drawn first whose partner reads what it left (one capture of a screen shared by
#: its SVG snapshot and its French scan: tests/tui/screens.py): (prefix, partner prefix).
PARTNERS = (
    (
        "tests/tui/test_snapshots.py::test_screen[",
        "tests/tui/test_french.py::test_every_screen_is_in_french[",
    ),
)
#: Tests kept next to each other: whichever runs first installs the wheel for all.
TOGETHER = ("tests/test_wheel.py::",)


def slowest_list(rows: list[dict[str, Any]], min_wall: float) -> list[str]:
    """Node ids of the tests that took ``min_wall`` [s] of wall time or more, slowest
    first; a snapshot's French scan right after it, and the wheel tests together (the
    order ``tests/conftest.py`` hands the tests out in: order only, never a check)."""
    slow = sorted((row for row in rows if row["wall"] >= min_wall), key=lambda row: -row["wall"])
    every = [row["id"] for row in sorted(rows, key=lambda row: -row["wall"])]
    ordered: list[str] = []
    for node_id in (row["id"] for row in slow):
        if node_id in ordered:
            continue
        ordered.append(node_id)
        for prefix, partner in PARTNERS:
            if node_id.startswith(prefix):
                twin = partner + node_id[len(prefix) :]
                if twin in every and twin not in ordered:
                    ordered.append(twin)
        for prefix in TOGETHER:
            if node_id.startswith(prefix):
                ordered += [
                    other for other in every if other.startswith(prefix) and other not in ordered
                ]
    # a French scan met before its snapshot is moved after it
    for prefix, partner in PARTNERS:
        for node_id in list(ordered):
            if node_id.startswith(partner):
                first = prefix + node_id[len(partner) :]
                if first in ordered and ordered.index(first) > ordered.index(node_id):
                    ordered.remove(node_id)
                    ordered.insert(ordered.index(first) + 1, node_id)
    return ordered


def outside(lines: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Each process's CPU before its first test, in its tests, and after them."""
    phases = {(line["worker"], line["phase"]): line for line in lines if "worker" in line}
    workers = sorted({worker for worker, _ in phases})
    if not workers:
        return
    print("--- by process: self / children CPU [s] (collected: start and collection)")
    in_tests: Counter[str] = Counter()
    # A worker's tests are the lines of its own log: the file name says which.
    for worker in workers:
        collected = phases.get((worker, "collected"), {"self": 0.0, "children": 0.0})
        end = phases.get((worker, "end"))
        if end is None:
            continue
        tests_self = sum(r["self"] for r in rows if r.get("_worker") == worker)
        tests_children = sum(r["children"] for r in rows if r.get("_worker") == worker)
        in_tests[worker] = tests_self + tests_children
        rest_self = end["self"] - collected["self"] - tests_self
        rest_children = end["children"] - collected["children"] - tests_children
        print(
            f"{worker:6} collected {collected['self']:6.1f} / {collected['children']:5.1f}"
            f"  tests {tests_self:6.1f} / {tests_children:5.1f}"
            f"  outside tests after collection {rest_self:5.1f} / {rest_children:5.1f}"
            f"  total {end['self'] + end['children']:6.1f}"
        )


def commands(lines: list[dict[str, Any]], listed: int) -> None:
    """CPU of the subprocesses waited for through ``Popen``, by command and by file."""
    cpu: Counter[str] = Counter()
    count: Counter[str] = Counter()
    by_file: Counter[str] = Counter()
    for line in lines:
        for name, seconds in line.get("commands", []):
            cpu[name] += seconds
            count[name] += 1
            if "id" in line:
                by_file[line["id"].split("::")[0]] += seconds
    if not cpu:
        return
    print(f"--- waited commands: {sum(count.values())} runs, {sum(cpu.values()):.1f} s of CPU")
    print("  CPU [s]  runs  mean [ms]  command")
    for name, seconds in cpu.most_common(listed):
        print(f"{seconds:9.1f} {count[name]:5} {1000 * seconds / count[name]:10.0f}  {name}")
    print("--- waited commands by file [s]")
    for name, seconds in by_file.most_common(listed):
        print(f"{seconds:7.1f}  {name}")


if __name__ == "__main__":
    raise SystemExit(main())
