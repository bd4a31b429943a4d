"""Smoke test of the real binary in a real terminal (tmux): French screens, keys, clean exit."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".venv" / "bin" / "linkytool"

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or not BINARY.exists(), reason="tmux or .venv missing"
)


def _tmux(*args: str) -> str:
    result = subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)
    return result.stdout


def _screen(session: str) -> str:
    return _tmux("capture-pane", "-t", session, "-p")


def _wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not on screen:\n{screen}")


def _wait_until(session: str, condition, timeout: float = 20.0) -> str:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if condition(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"not reached:\n{screen}")


def test_demo_in_a_real_terminal(tmp_path: Path) -> None:
    session = f"linkytool-{uuid.uuid4().hex[:8]}"
    marker = tmp_path / "exited"
    command = (
        f"env XDG_STATE_HOME={tmp_path / 'state'} {BINARY} tui --demo --workdir {tmp_path / 'demo'}"
        f"; echo $? > {marker}"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True
    )
    try:
        # the PRM read from the simulator, then the consumer-mode banner (a frame later
        # on a loaded machine)
        _wait_until(
            session,
            lambda screen: all(
                text in screen for text in ("30002345678901", "Compteur", "Mode consommateur")
            ),
            timeout=30,
        )
        _tmux("send-keys", "-t", session, "F4")
        _wait_for(session, "Prérequis")
        _wait_for(session, "le dossier permet l'attestation", timeout=30)
        _tmux("send-keys", "-t", session, "F1")
        _wait_for(session, "Aide — Prérequis")
        _tmux("send-keys", "-t", session, "Escape")
        _wait_until(session, lambda screen: "Aide — Prérequis" not in screen)
        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 15
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists(), _screen(session)
        assert marker.read_text().strip() == "0"
        assert "Traceback" not in _screen(session)
    finally:
        _tmux("kill-session", "-t", session)
