"""Start-up of the terminal UI as an installer sees it: command typed to first screen.

Runs, side by side in one loop (the machine is shared and noisy: runs alternate so both
see the same load), in tmux at 80×24:

- a bare Textual app showing one word (``bench/bare_textual.py``), the floor;
- ``linkytool --demo`` until its first screen (the tab bar with "Photos F3") is drawn,
  and until the Compteur screen's own widgets are (its last line, "Trames / erreurs");
- ``linkytool`` (no dossier) likewise.

Prints the medians, their spread, the ratio of each to the bare app and the load
average before and after. linkytool's modules are compiled to bytecode first, as an
installed linkytool's are (the checkout's editable install would otherwise compile them
at every start under ``PYTHONDONTWRITEBYTECODE``). Each program is quit with Ctrl+Q once drawn.

    .venv/bin/python bench/tui_startup.py [--runs 9] [--base SRC]

``--base SRC`` (may be repeated) adds ``python -m linkytool --demo`` of another source tree
(``SRC`` holds its ``linkytool`` package, run through ``PYTHONPATH``), in the same loop.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmux_term import KeepServer, Tmux, compile_sources

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BINARY = ROOT / ".venv" / "bin" / "linkytool"
#: Goals of issue 17 [s] and [ratio to the bare app].
GOAL_S = 0.6
GOAL_RATIO = 1.6

BARE = "bare Textual app (one word)"
SCENARIOS: dict[str, tuple[list[str], str]] = {
    BARE: ([str(PYTHON), str(ROOT / "bench" / "bare_textual.py")], "Bonjour"),
    "linkytool --demo": ([str(BINARY), "--demo"], "Photos F3"),
    # the Compteur's own widgets, mounted one frame after the first screen
    "linkytool --demo, Compteur drawn": ([str(BINARY), "--demo"], "Trames / erreurs"),
    "linkytool (no dossier)": ([str(BINARY)], "Photos F3"),
}


def first_screen(command: list[str], marker: str, state: Path, source: Path | None = None) -> float:
    """Seconds from starting ``command`` in tmux to ``marker`` on its screen [s]
    (``source``: another linkytool tree, through ``PYTHONPATH``)."""
    env = {"XDG_STATE_HOME": str(state / "state"), "XDG_CONFIG_HOME": str(state / "config")}
    env["TERM"] = "xterm-256color"
    if source is not None:
        env["PYTHONPATH"] = str(source)
    term = Tmux(command, env=env, cwd=state)
    started = term.start()
    try:
        seen, _ = term.wait(lambda text: marker in text, timeout=30)
        term.quit_app()
        return seen - started
    finally:
        term.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--base",
        type=Path,
        action="append",
        default=[],
        help="another linkytool source tree: its `--demo` too, in the same loop",
    )
    options = parser.parse_args()
    if not BINARY.exists():
        sys.exit(f"{BINARY} missing: run ./dev setup")
    compiled = compile_sources(ROOT, PYTHON)
    scenarios: dict[str, tuple[list[str], str, Path | None]] = {
        name: (command, marker, None) for name, (command, marker) in SCENARIOS.items()
    }
    for base in options.base:
        compile_sources(base, PYTHON)
        demo = [str(PYTHON), "-m", "linkytool", "--demo"]
        scenarios[f"{base.name}: linkytool --demo"] = (demo, "Photos F3", base)
    load_before = os.getloadavg()
    samples: dict[str, list[float]] = {name: [] for name in scenarios}
    with tempfile.TemporaryDirectory() as scratch, KeepServer():
        for command, marker, source in scenarios.values():  # warm the file cache once
            first_screen(command, marker, Path(scratch), source)
        for _ in range(options.runs):
            for name, (command, marker, source) in scenarios.items():
                samples[name].append(first_screen(command, marker, Path(scratch), source))
    load_after = os.getloadavg()
    print(f"TUI start-up to first screen, tmux 80x24, {options.runs} alternating runs each")
    print(
        f"machine: {os.cpu_count()} cores; load average (1 min) {load_before[0]:.2f} before,"
        f" {load_after[0]:.2f} after; {compiled}"
    )
    bare = statistics.median(samples[BARE])
    verdicts = []
    for name, values in samples.items():
        median = statistics.median(values)
        ratio = median / bare
        print(
            f"  {name:<30} median {median:6.3f} s  (min {min(values):.3f}, max "
            f"{max(values):.3f})  ratio to bare {ratio:4.2f}"
        )
        if name != BARE and "drawn" not in name and ":" not in name:
            verdicts.append(median < GOAL_S and ratio < GOAL_RATIO)
    print(f"goal: < {GOAL_S} s and < {GOAL_RATIO}x bare: {'met' if all(verdicts) else 'NOT met'}")


if __name__ == "__main__":
    main()
