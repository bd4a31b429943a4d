"""Startup time of the terminal UI: process start to first screen drawn, in a real pty.

Runs the real ``linkytool`` binary on an 80x24 pseudo-terminal, measures the wall time
until the first screen's text (the Compteur tab bar) has been written, then quits with
Ctrl+Q. Prints the median and spread of several runs for the bare app and for the demo
(which also copies the samples and starts the meter simulator).

    .venv/bin/python bench/tui_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / ".venv" / "bin" / "linkytool"
#: Text of the first screen that proves it is drawn (tab bar of the Compteur screen).
MARKER = b"Photos F3"
GOAL_S = 1.0


def time_to_first_screen(args: list[str], timeout: float = 20.0) -> float:
    """Seconds from spawning ``linkytool ARGS`` to the first screen on its terminal [s]."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
    with tempfile.TemporaryDirectory() as state:
        env["XDG_STATE_HOME"] = state
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(BINARY), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=state,
            close_fds=True,
        )
        os.close(slave)
        seen = b""
        elapsed = None
        try:
            while time.perf_counter() - started < timeout:
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        break
                    seen += chunk
                    if MARKER in seen:
                        elapsed = time.perf_counter() - started
                        break
            os.write(master, b"\x11")  # Ctrl+Q
            deadline = time.perf_counter() + 10
            while process.poll() is None and time.perf_counter() < deadline:
                if select.select([master], [], [], 0.05)[0]:
                    try:
                        os.read(master, 65536)
                    except OSError:
                        break
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            os.close(master)
    if elapsed is None:
        raise RuntimeError(f"first screen not seen within {timeout} s:\n{seen[-2000:]!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    if not BINARY.exists():
        sys.exit(f"{BINARY} missing: run ./dev setup")
    scenarios = {"linkytool (bare)": [], "linkytool --demo": ["--demo"]}
    print(f"TUI startup to first screen, 80x24 pty, {options.runs} runs each (median, min-max)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (shared)")
    time_to_first_screen([])  # warm the OS file cache once
    worst = 0.0
    for name, args in scenarios.items():
        samples = [time_to_first_screen(args) for _ in range(options.runs)]
        median = statistics.median(samples)
        worst = max(worst, median)
        print(f"  {name:<20} {median:6.3f} s  ({min(samples):.3f}-{max(samples):.3f})")
    verdict = "OK" if worst < GOAL_S else "ABOVE GOAL"
    print(f"goal < {GOAL_S:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
