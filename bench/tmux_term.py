"""A real terminal for the UI benchmarks: a detached tmux session read with capture-pane.

The benchmarks time what an installer sees: text on an 80×24 terminal, polled every
``POLL_S`` (tmux renders the program's output exactly as a terminal would).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

#: Interval between two captures of the screen [s] (a capture costs about 3 ms of CPU).
POLL_S = 0.01

#: The demo's three photos, in the order of the Photos screen.
DEMO_PHOTOS = ("demo-prm.jpg", "demo-date.jpg", "demo-index.jpg")
#: What each photo's slot shows once read (the value line).
DEMO_VALUES = ("Lu : 30002345678901", "Lu : 20/11/2026 14:32", "Lu : 12 ")
#: The same values on the Photos screen's summary line, above the slots (stop 27).
DEMO_SUMMARY = ("PRM 30002345678901", "Date 20/11/2026 14:32", "Index 12 kWh")
#: The start of the notice each confirmation raises ("Enregistré au dossier"; the notice
#: is narrow, right of the LCD previews, so its text wraps after the slot's title).
DEMO_CONFIRMED = ("Numéro PRM :", "Date courante :", "Index injection :")


class Tmux:
    """One program running in a detached tmux session of ``width`` × ``height`` cells."""

    def __init__(
        self,
        command: list[str],
        *,
        width: int = 80,
        height: int = 24,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        poll_s: float = POLL_S,
    ) -> None:
        self.name = f"bench-{uuid.uuid4().hex[:8]}"
        self.command = command
        self.width = width
        self.height = height
        self.env = env or {}
        self.cwd = cwd
        self.poll_s = poll_s
        self.started = 0.0

    def start(self) -> float:
        """Start the program; return the monotonic time just before tmux was asked [s]."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        line = f"env {exports} {shlex.join(self.command)}" if exports else shlex.join(self.command)
        # keep the pane after the program exits, so a crash's last words can be read
        args = ["tmux", "new-session", "-d", "-s", self.name, "-x", str(self.width)]
        args += ["-y", str(self.height)]
        if self.cwd is not None:
            args += ["-c", str(self.cwd)]
        self.started = time.monotonic()
        subprocess.run([*args, line], check=True)
        subprocess.run(["tmux", "set-option", "-t", self.name, "remain-on-exit", "on"], check=False)
        return self.started

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-t", self.name, "-p"],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def keys(self, *keys: str) -> float:
        """Send tmux key names (``F3``, ``Enter``, ``C-q``...); return when they were sent."""
        sent = time.monotonic()
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        return sent

    def wait(self, condition: Callable[[str], bool], timeout: float = 30.0) -> tuple[float, str]:
        """Poll the screen until ``condition(text)``; return (time it held, the screen)."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if condition(text):
                return time.monotonic(), text
            time.sleep(self.poll_s)
        raise TimeoutError(f"not seen within {timeout} s; screen:\n{text}")

    def tree_cpu(self) -> float:
        """CPU time [s] used so far by the program and every process under it (the
        photo workers, their fork server, tesseract), read from /proc; 0 elsewhere."""
        result = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if not result.stdout.strip().isdigit():
            return 0.0
        return process_tree_cpu(int(result.stdout))

    def pane_dead(self) -> bool:
        result = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_dead}"],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() in ("1", "")

    def quit_app(self, timeout: float = 10.0) -> None:
        """Press Ctrl+Q and wait (at most ``timeout`` [s]) for the app to exit."""
        self.keys("C-q")
        deadline = time.monotonic() + timeout
        while not self.pane_dead() and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)


def process_tree_cpu(root: int) -> float:
    """utime + stime [s] of ``root`` and its descendants, the reaped children included
    (cutime + cstime: the tesseract processes that already ended)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = sum(int(value) for value in fields[11:15])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(used.get(pid, 0) for pid in tree) / tick


def compile_sources(root: Path, python: Path) -> str:
    """Compile linkytool's modules to bytecode, as ``pip install`` of the wheel does, and
    say so for the report. The checkout is an editable install and this environment sets
    ``PYTHONDONTWRITEBYTECODE``: without this step every start (the UI's, the photo
    workers', the CLI's) compiles its modules again, which an installed linkytool never
    does."""
    subprocess.run([str(python), "-m", "compileall", "-q", str(root / "linkytool")], check=True)
    return "bytecode: linkytool compiled beforehand (as pip install does)"


class KeepServer:
    """Keep one idle tmux session open while benchmarking: otherwise the tmux server
    exits with each program's session and the next start can race its shutdown."""

    def __enter__(self) -> KeepServer:
        self.name = f"bench-keep-{uuid.uuid4().hex[:8]}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "sleep 3600"], check=True)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True, check=False)
