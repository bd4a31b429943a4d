"""Wall time of the test suite at a base revision and on the current tree, side by side.

Issue 14: "halve the wall time on 2 cores without dropping a check". Timings on a shared
machine are noisy, so both sides run in one invocation, alternately (base, current, base,
current, ...), each in its own temporary clone, and the medians and their ratio are
printed with the load average before and after every run.

CPU time (user + system of pytest, its workers and what they start) is printed too: it
depends far less on the load than the wall time does.

Both sides run pytest only (no ruff/mypy) with ``./dev test``'s flags
(``-n auto --dist worksteal --durations=15``, or ``-n 0`` with ``--serial``), with this
worktree's ``.venv`` python; ``PYTHONPATH`` points at the clone so the clone's
``linkytool`` is imported, not the editable install of this worktree. The current side is
``HEAD`` plus the uncommitted changes of tracked files (``git diff HEAD``). The clones
have no ``.venv`` of their own: the few tests that drive ``.venv/bin/linkytool`` in tmux
skip on both sides (7 at baddcd5), so the counts differ from ``./dev test``'s.

The tests keep some work between sessions in ``LINKYTOOL_TEST_CACHE`` (bytecode where
``PYTHONDONTWRITEBYTECODE`` is set, the wheel test's installed dependencies; see
tests/conftest.py): both sides share the user's one, as two sessions on a developer's
machine do. ``--cold`` gives each run an empty one instead: a first session, a fresh CI.

Usage:
  .venv/bin/python bench/suite_time.py --base baddcd5 --rounds 2
  .venv/bin/python bench/suite_time.py --base baddcd5 --rounds 1 --serial
  .venv/bin/python bench/suite_time.py --base main --rounds 1 -- tests/ocr   # a subset
  .venv/bin/python bench/suite_time.py --base HEAD --base-workers 2 --current-workers 4
  .venv/bin/python bench/suite_time.py --base main --rounds 1 --cold
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
#: pytest's closing line: "1271 passed, 1 skipped in 432.10s (0:07:12)".
SUMMARY = re.compile(r"=+ (?P<counts>.*?) in (?P<seconds>[\d.]+)s")


@dataclass
class Run:
    side: str
    wall: float  # [s] wall time of the pytest process
    cpu: float  # [s] user + system time of pytest and its workers and subprocesses
    reported: float | None  # [s] pytest's own figure
    counts: str
    code: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def clone(revision: str, into: Path, *, with_changes: bool) -> Path:
    """A clone of this repository at ``revision`` (plus the uncommitted diff if asked)."""
    subprocess.run(
        ["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(into)], check=True
    )
    git("checkout", "-q", "--detach", git("rev-parse", revision).strip(), cwd=into)
    if with_changes:
        diff = git("diff", "--binary", "HEAD")
        if diff:
            subprocess.run(
                ["git", "apply", "--whitespace=nowarn"], cwd=into, input=diff, text=True, check=True
            )
    return into


def run_suite(
    side: str, tree: Path, pytest_args: list[str], log: Path, cache: Path | None = None
) -> Run:
    env = dict(os.environ, PYTHONPATH=str(tree))
    if cache is not None:  # --cold: nothing kept from an earlier session
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir()
        env["LINKYTOOL_TEST_CACHE"] = str(cache)
    env.pop("VIRTUAL_ENV", None)
    # The suite's own subprocesses find .venv/bin (tmux, linkytool) as under ./dev test.
    env["PATH"] = f"{PYTHON.parent}{os.pathsep}{env.get('PATH', '')}"
    load_before = os.getloadavg()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(
            [str(PYTHON), "-m", "pytest", *pytest_args],
            cwd=tree,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    wall = time.perf_counter() - start
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    text = log.read_text(encoding="utf-8", errors="replace")
    found = SUMMARY.findall(text)
    counts, seconds = (found[-1][0], float(found[-1][1])) if found else ("?", None)
    return Run(side, wall, cpu, seconds, counts, code, load_before, os.getloadavg())


def load(values: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.2f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="base revision (default: main)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side")
    parser.add_argument("--serial", action="store_true", help="one worker (-n 0)")
    parser.add_argument("--base-workers", default="auto", help="-n of the base side")
    parser.add_argument("--current-workers", default="auto", help="-n of the current side")
    parser.add_argument("--keep", action="store_true", help="keep the clones and logs")
    parser.add_argument(
        "--cold", action="store_true", help="an empty LINKYTOOL_TEST_CACHE for every run"
    )
    parser.add_argument("extra", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args()
    pytest_args = {
        side: [
            *(["-n", "0"] if args.serial else ["-n", workers, "--dist", "worksteal"]),
            "--durations=15",
            *args.extra,
        ]
        for side, workers in (("base", args.base_workers), ("current", args.current_workers))
    }
    if not PYTHON.is_file():
        sys.exit("run ./dev setup first: .venv/bin/python is missing")
    work = Path(tempfile.mkdtemp(prefix="suite-time-"))
    sides = {
        "base": clone(args.base, work / "base", with_changes=False),
        "current": clone("HEAD", work / "current", with_changes=True),
    }
    print(f"base    = {args.base} ({git('rev-parse', '--short', args.base).strip()})")
    print(f"current = HEAD ({git('rev-parse', '--short', 'HEAD').strip()}) + uncommitted diff")
    for side, arguments in pytest_args.items():
        print(f"{side:7} pytest {' '.join(arguments)}")
    print(f"clones in {work}, {os.cpu_count()} cores")
    runs: list[Run] = []
    try:
        for round_no in range(1, args.rounds + 1):
            order = ["base", "current"] if round_no % 2 else ["current", "base"]
            for side in order:
                log = work / f"{side}-{round_no}.log"
                cache = work / "cache" if args.cold else None
                run = run_suite(side, sides[side], pytest_args[side], log, cache)
                runs.append(run)
                print(
                    f"round {round_no} {side:7} wall {run.wall:7.1f} s  cpu {run.cpu:7.1f} s  "
                    f"pytest {run.reported or float('nan'):7.1f} s  exit {run.code}  "
                    f"[{run.counts}]  load {load(run.load_before)} -> {load(run.load_after)}",
                    flush=True,
                )
                if run.code != 0:
                    print(f"  {side} failed: see {log}", flush=True)
                    args.keep = True
        medians = {
            side: statistics.median(r.wall for r in runs if r.side == side) for side in sides
        }
        cpus = {side: statistics.median(r.cpu for r in runs if r.side == side) for side in sides}
        print(f"median wall  base {medians['base']:.1f} s  current {medians['current']:.1f} s")
        print(f"ratio current/base {medians['current'] / medians['base']:.2f} (wall)")
        print(f"median cpu   base {cpus['base']:.1f} s  current {cpus['current']:.1f} s")
        print(f"ratio current/base {cpus['current'] / cpus['base']:.2f} (cpu)")
        pairs = [
            (b.wall, c.wall)
            for b, c in zip(
                [r for r in runs if r.side == "base"],
                [r for r in runs if r.side == "current"],
                strict=False,
            )
        ]
        print("per-round ratios " + " ".join(f"{c / b:.2f}" for b, c in pairs))
        print(f"load average at the end {load(os.getloadavg())}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.code == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
