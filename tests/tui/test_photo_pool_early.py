"""The photo workers' fork server starts with the process when a dossier will open.

``linkytool.tui.launch.open_ui`` calls ``photo_jobs.start_early`` before importing
Textual: the fork server is spawned from the main thread at once (its OCR imports then
overlap the UI's), the pool is built in a thread, and the first ``PhotoJobs`` takes it
instead of starting a second server. A pool nobody takes is stopped at exit; a busy
machine starts nothing early.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from linkytool.tui import launch, photo_jobs

ROOT = Path(__file__).resolve().parents[2]
PHOTO = ROOT / "linkytool" / "samples" / "photos" / "demo-prm.jpg"

SCRIPT = f"""
import threading
from multiprocessing import forkserver
from pathlib import Path
from linkytool.tui import photo_jobs

photo_jobs.spare_core = lambda: True
photo_jobs.start_early()
server = forkserver._forkserver._forkserver_pid
assert server is not None, "the fork server is spawned by start_early itself"
done = threading.Event()
outcome = []

def on_done(slot, path, reading, error):
    outcome.append((reading, error))
    done.set()

jobs = photo_jobs.PhotoJobs(None, on_done)
jobs.submit("prm", Path({str(PHOTO)!r}))
assert done.wait(120), "no reading in 120 s"
assert photo_jobs._EARLY.future is None, "the early pool was taken"
assert forkserver._forkserver._forkserver_pid == server, "a second fork server started"
jobs.close()
reading, error = outcome[0]
assert error is None, error
print(reading.value)
"""


def test_the_photo_jobs_read_with_the_pool_started_early() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "30002345678901"


class FakePool:
    """Stands for a multiprocessing pool: records that it was stopped."""

    def __init__(self) -> None:
        self.terminated = False

    def terminate(self) -> None:
        self.terminated = True


@pytest.fixture
def fresh_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """No early pool from another test; the real fork server never starts here."""
    monkeypatch.setattr(photo_jobs, "_EARLY", photo_jobs._EarlyPool())
    monkeypatch.setattr(photo_jobs, "_fork_server", lambda: None)
    monkeypatch.setattr("atexit.register", lambda *args: None)


@pytest.mark.usefixtures("fresh_early")
def test_a_busy_machine_starts_nothing_early(monkeypatch: pytest.MonkeyPatch) -> None:
    def never() -> Any:
        raise AssertionError("nothing is started on a busy machine")

    monkeypatch.setattr(photo_jobs, "spare_core", lambda: False)
    monkeypatch.setattr(photo_jobs, "_fork_server", never)
    monkeypatch.setattr(photo_jobs, "_process_pool", never)
    photo_jobs.start_early()
    assert photo_jobs._EARLY.future is None


@pytest.mark.usefixtures("fresh_early")
def test_the_first_photo_jobs_take_the_early_pool_the_next_build_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    early, later = FakePool(), FakePool()
    pools = iter([early, later])
    monkeypatch.setattr(photo_jobs, "spare_core", lambda: True)
    monkeypatch.setattr(photo_jobs, "_process_pool", lambda: next(pools))
    photo_jobs.start_early()
    first = photo_jobs.PhotoJobs(None, lambda *args: None)
    second = photo_jobs.PhotoJobs(None, lambda *args: None)
    assert first._ensure_pool() is early
    assert second._ensure_pool() is later
    photo_jobs._stop_untaken()  # at exit: nothing left to stop
    assert not early.terminated and not later.terminated


@pytest.mark.usefixtures("fresh_early")
def test_an_early_pool_nobody_takes_is_stopped_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    pool = FakePool()
    monkeypatch.setattr(photo_jobs, "spare_core", lambda: True)
    monkeypatch.setattr(photo_jobs, "_process_pool", lambda: pool)
    photo_jobs.start_early()
    photo_jobs._stop_untaken()
    assert pool.terminated
    assert photo_jobs._EARLY.future is None


@pytest.mark.usefixtures("fresh_early")
def test_a_failed_early_pool_leaves_the_photo_jobs_to_build_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = FakePool()
    attempts = iter([OSError("no socket"), own])

    def build() -> Any:
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(photo_jobs, "spare_core", lambda: True)
    monkeypatch.setattr(photo_jobs, "_process_pool", build)
    photo_jobs.start_early()
    assert photo_jobs.PhotoJobs(None, lambda *args: None)._ensure_pool() is own


class AppBuiltError(Exception):
    """Stops open_ui where the app would be built."""


@pytest.mark.parametrize(
    ("arguments", "last_dossier", "early"),
    [
        ({"demo": True}, False, True),
        ({"dossier": "GIVEN"}, False, True),
        ({}, True, True),
        ({}, False, False),
        ({"port": "/dev/ttyUSB0"}, True, False),
    ],
    ids=["demo", "dossier given", "last dossier", "nothing to open", "port given"],
)
def test_open_ui_starts_the_workers_early_only_when_a_dossier_opens(
    arguments: dict[str, Any],
    last_dossier: bool,
    early: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dossier = tmp_path / "dossier.toml"
    dossier.write_text("", encoding="utf-8")
    if arguments.get("dossier") == "GIVEN":
        arguments = {**arguments, "dossier": dossier}
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    if last_dossier:
        state = config / "linkytool" / "etat.json"
        state.parent.mkdir(parents=True)
        state.write_text(json.dumps({"last_dossier": str(dossier)}), encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setattr(photo_jobs, "start_early", lambda: calls.append("early"))

    def make_app(*args: Any, **kwargs: Any) -> Any:
        calls.append("app")
        raise AppBuiltError

    monkeypatch.setattr("linkytool.tui.app.make_app", make_app)
    interval = sys.getswitchinterval()
    try:
        with pytest.raises(AppBuiltError):
            launch.open_ui(**arguments)
        assert sys.getswitchinterval() == launch.SWITCH_INTERVAL_S
    finally:
        sys.setswitchinterval(interval)
    assert calls == (["early", "app"] if early else ["app"])
