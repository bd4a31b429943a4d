"""Benchmark: ``linkytool mes attest``, ``mes sign`` and ``mes pack`` end to end, side by side.

Each round, for every tree given (in an order that alternates from round to round, so that
all see the same load on this shared machine), on a fresh copy of that tree's demo
dossier (``samples/``), it runs the commands a user runs, process start included:

- ``mes attest demo.toml -o attestation.pdf`` (the demo's signature images);
- ``mes sign demo.toml --sign-p12 KEY`` (a throwaway self-signed key, made once);
- ``mes pack demo.toml -o envoi.zip`` (the signed attestation, three photos, message).

and records the wall time and the CPU (user + system, ``os.wait4``) of each. It prints
the medians per tree and command and each tree's ratio to the first one (median of the
per-round ratios), with the load average before and after.

A tree runs with the interpreter given (default: this one) and ``PYTHONPATH`` set to the
tree, plus any extra folders given after it (e.g. a ``pip install --target`` folder of a
dependency the other tree's environment lacks). Before timing, each tree's bytecode is
compiled (``compileall``), as ``pip install`` does: with ``PYTHONDONTWRITEBYTECODE`` set,
every run would otherwise recompile the modules it imports.

Usage:
  .venv/bin/python bench/mes_speed.py --tree main=/tmp/main-tree --tree branch=. --rounds 7
  .venv/bin/python bench/mes_speed.py --tree branch=.:/tmp/rl-accel-target
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "mes"))  # the tests' throwaway signing keys
from forge import make_p12  # noqa: E402

COMMANDS = ("attest", "sign", "pack")
PASSWORD = "secret"


@dataclass(frozen=True)
class Tree:
    label: str
    root: Path
    extra_path: tuple[str, ...]

    @property
    def pythonpath(self) -> str:
        return os.pathsep.join((str(self.root), *self.extra_path))


def parse_tree(text: str) -> Tree:
    label, _, rest = text.partition("=")
    if not rest:
        label, rest = Path(text).name or "tree", text
    root, *extra = rest.split(":")
    return Tree(label, Path(root).resolve(), tuple(str(Path(p).resolve()) for p in extra))


def run(argv: list[str], tree: Tree, cwd: Path) -> tuple[float, float]:
    """(wall, user + system CPU) of one command; exits on a failure."""
    env = dict(os.environ, PYTHONPATH=tree.pythonpath, LINKYTOOL_P12_PASSWORD=PASSWORD)
    start = dt.datetime.now()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = (dt.datetime.now() - start).total_seconds()
    assert process.stderr is not None
    error = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{tree.label}: {' '.join(argv)} failed ({process.returncode}):\n{error}")
    return wall, usage.ru_utime + usage.ru_stime


def one_round(tree: Tree, work: Path, key: Path, linkytool: list[str]) -> dict[str, tuple]:
    folder = work / tree.label
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(tree.root / "samples", folder, symlinks=False)
    dossier = folder / "dossier" / "demo.toml"
    argvs = {
        "attest": ["mes", "attest", str(dossier), "-o", str(folder / "attestation.pdf")],
        "sign": ["mes", "sign", str(dossier), "--sign-p12", str(key)],
        "pack": ["mes", "pack", str(dossier), "-o", str(folder / "envoi.zip")],
    }
    return {name: run([*linkytool, *argvs[name]], tree, folder) for name in COMMANDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tree",
        action="append",
        type=parse_tree,
        help="LABEL=TREE[:EXTRA_PATH...] (repeatable; default: this checkout)",
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    trees: list[Tree] = args.tree or [parse_tree(f"tree={ROOT}")]
    linkytool = [args.python, "-m", "linkytool"]
    for tree in trees:
        subprocess.run(
            [args.python, "-m", "compileall", "-q", str(tree.root / "linkytool")],
            check=True,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE=""),
        )
    results: dict[str, list[dict[str, tuple]]] = {tree.label: [] for tree in trees}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="mes-speed-") as scratch:
        work = Path(scratch)
        key = work / "key.p12"
        key.write_bytes(make_p12("Louis Bernard", password=PASSWORD.encode()))
        for number in range(args.rounds):
            order = trees if number % 2 == 0 else trees[::-1]
            for tree in order:
                results[tree.label].append(one_round(tree, work, key, linkytool))
    load_after = os.getloadavg()
    print(
        f"{args.rounds} rounds; load average before {load_before[0]:.2f}, after {load_after[0]:.2f}"
    )
    first = trees[0].label
    print(f"{'tree':<12} {'command':<8} {'wall s':>8} {'CPU s':>8} {'CPU / ' + first:>14}")
    for tree in trees:
        for name in COMMANDS:
            walls = [r[name][0] for r in results[tree.label]]
            cpus = [r[name][1] for r in results[tree.label]]
            ratios = [
                mine[name][1] / theirs[name][1]
                for mine, theirs in zip(results[tree.label], results[first], strict=True)
            ]
            print(
                f"{tree.label:<12} {name:<8} {statistics.median(walls):>8.3f} "
                f"{statistics.median(cpus):>8.3f} {statistics.median(ratios):>13.2f}x"
            )


if __name__ == "__main__":
    main()
