"""Several demos at once on a busy machine: F3, then F4 a second later. Does F4 show?

    .venv/bin/python bench/tui_busy_switch.py [--ui 3] [--rounds 2] [--timeout 20]
        [--base SRC]

Starts ``--ui`` copies of ``linkytool --demo`` in tmux at 80×24 at the same moment (the
copies load the machine, as a loaded laptop does), presses F3 in each, then F4 one second
later, and reports for each UI the time from F4 to the Prérequis checklist on the
terminal, and the UI process's CPU meanwhile [s]. A UI that does not show it within
``--timeout`` is counted *stuck*. Before the fix of 2026-12-03, the Photos screen's late
focus and the Prérequis screen's own took the UI from one tab to the other for ever, at
full CPU.

``--random-keys N`` presses, instead of F3, ``N`` keys drawn at random (``--seed``) from
the F keys, Entrée, Tab, Échap and F1 in each UI, 0.02-0.4 s apart, before F4: other
orders of screens than F3 then F4.

``--base SRC`` (may be repeated) runs another source tree's UI too (``SRC`` holds its
``linkytool`` package, e.g. ``git archive COMMIT linkytool | tar -x -C SRC``), its round
interleaved with this tree's: before/after side by side. Prints the load average.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmux_term import KeepServer, Tmux, compile_sources

ROOT = Path(__file__).resolve().parent.parent
RNG = random.Random()
PYTHON = ROOT / ".venv" / "bin" / "python"
#: Seconds between F3 and F4 (the Photos screen is still being built on a busy machine).
F3_TO_F4_S = 1.0
#: Keys drawn by ``--random-keys`` (Échap twice: it closes what F1 and Entrée open).
RANDOM_KEYS = ("F2", "F3", "F4", "F5", "F6", "F7", "Enter", "Tab", "Escape", "Escape", "F1")


def process_cpu(pid: int) -> float:
    """User + system CPU of process ``pid`` so far [s] (NaN once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pane_pid(term: Tmux) -> int:
    result = subprocess.run(
        ["tmux", "display-message", "-p", "-t", term.name, "#{pane_pid}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip())


def checklist_shown(text: str) -> bool:
    """The Prérequis screen's checklist on the terminal (its counter line)."""
    return "remplis" in text


def one_round(
    count: int, source: Path | None, timeout: float, keys: list[list[str]] | None = None
) -> list[tuple[float, float]]:
    """``count`` UIs at once; per UI (F4 to checklist [s] or NaN if stuck, UI CPU [s]).
    ``keys``: per UI, the random keys pressed before F4 (else F3)."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {"XDG_STATE_HOME": f"{scratch}/state", "XDG_CONFIG_HOME": f"{scratch}/config"}
        env["TERM"] = "xterm-256color"
        command = [str(PYTHON), "-m", "linkytool", "--demo"]
        if source is not None:
            env["PYTHONPATH"] = str(source)
        terms = [Tmux(command, env=env, cwd=Path(scratch), poll_s=0.05) for _ in range(count)]
        try:
            for term in terms:
                term.start()
            for term in terms:
                term.wait(lambda text: "Photos F3" in text, timeout=60)
            if keys is None:
                for term in terms:
                    term.keys("F3")
            else:
                for step in range(len(keys[0])):
                    for term, drawn in zip(terms, keys, strict=True):
                        term.keys(drawn[step])
                    time.sleep(RNG.uniform(0.02, 0.4))
                for term in terms:
                    term.keys("Escape")  # out of a field or a dialog
            time.sleep(F3_TO_F4_S)
            pids = [pane_pid(term) for term in terms]
            cpu_before = [process_cpu(pid) for pid in pids]
            pressed = [term.keys("F4") for term in terms]
            shown: dict[int, float] = {}
            deadline = time.monotonic() + timeout
            while len(shown) < count and time.monotonic() < deadline:
                for index, term in enumerate(terms):
                    if index not in shown and checklist_shown(term.screen()):
                        shown[index] = time.monotonic() - pressed[index]
                time.sleep(0.05)
            figures = [
                (shown.get(index, float("nan")), process_cpu(pid) - cpu_before[index])
                for index, pid in enumerate(pids)
            ]
            for term in terms:
                term.quit_app()
            return figures
        finally:
            for term in terms:
                term.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ui", type=int, default=3, help="UIs started at once")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0, help="stuck after this [s]")
    parser.add_argument("--random-keys", type=int, default=0, help="random keys before F4")
    parser.add_argument("--seed", type=int, default=1, help="of the random keys")
    parser.add_argument(
        "--base", type=Path, action="append", default=[], help="another source tree, beside"
    )
    options = parser.parse_args()
    compiled = compile_sources(ROOT, PYTHON)
    for base in options.base:
        compile_sources(base, PYTHON)
    variants: list[tuple[str, Path | None]] = [(base.name, base) for base in options.base]
    variants.append(("this tree", None))
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in variants}
    load_before = os.getloadavg()
    RNG.seed(options.seed)
    with KeepServer():
        for _ in range(options.rounds):
            keys = None
            if options.random_keys:  # the same keys for every tree of the round
                keys = [
                    [RNG.choice(RANDOM_KEYS) for _ in range(options.random_keys)]
                    for _ in range(options.ui)
                ]
            for name, source in variants:
                results[name] += one_round(options.ui, source, options.timeout, keys)
    load_after = os.getloadavg()
    before = (
        f"{options.random_keys} random keys (seed {options.seed})" if options.random_keys else "F3"
    )
    print(
        f"{options.ui} x linkytool --demo at once in tmux 80x24, {before} then F4"
        f" {F3_TO_F4_S} s later, {options.rounds} rounds; stuck = no checklist within"
        f" {options.timeout} s"
    )
    print(
        f"machine: {os.cpu_count()} cores; load average (1 min) {load_before[0]:.2f} before,"
        f" {load_after[0]:.2f} after; {compiled}"
    )
    for name, figures in results.items():
        times = [t for t, _ in figures if not math.isnan(t)]
        cpus = [c for _, c in figures if not math.isnan(c)]
        stuck = len(figures) - len(times)
        shown = (
            f"F4 to checklist median {statistics.median(times):.2f} s (max {max(times):.2f})"
            if times
            else "F4 to checklist: never"
        )
        print(
            f"  {name:<12} stuck {stuck}/{len(figures)}; {shown}; UI CPU after F4 median"
            f" {statistics.median(cpus):.2f} s (max {max(cpus):.2f})"
        )


if __name__ == "__main__":
    main()
