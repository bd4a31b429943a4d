"""The photo worker pool starts whatever TMPDIR is: the forkserver's Unix socket lives
under TMPDIR and a path over 107 bytes cannot be bound (CI's pytest folders under
pytest-xdist reached it, and so can a user's deep TMPDIR). The workers draw the LCD
preview beside their reading: the UI process only shows it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PHOTO = ROOT / "linkytool" / "samples" / "photos" / "demo-prm.jpg"

SCRIPT = f"""
import threading
from pathlib import Path
from linkytool.tui import lcd_dots
from linkytool.tui.photo_jobs import PhotoJobs

def no_drawing_here(reading):
    raise AssertionError("the preview is drawn by the worker, not by the UI process")

lcd_dots.draw = no_drawing_here
done = threading.Event()
outcome = []

def on_done(slot, path, reading, error):
    outcome.append((reading, error))
    done.set()

jobs = PhotoJobs(None, on_done)
jobs.submit("prm", Path({str(PHOTO)!r}))
assert done.wait(120), "no reading in 120 s"
jobs.close()
reading, error = outcome[0]
assert error is None, error
picture = lcd_dots.picture_of(reading)
assert picture is not None and len(picture.rows) == 6, picture
print(reading.value)
"""


def test_photos_are_read_under_a_deep_tmpdir(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    assert len(str(deep)) > 107
    env = {**os.environ, "TMPDIR": str(deep)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "30002345678901"


WORKER = """
import sys, time
from pathlib import Path
from linkytool.tui.photo_jobs import _init_worker

folder = Path(sys.argv[1])
_init_worker()
temporary = folder / "tess_x_input.PNG"  # what tesseract's wrapper leaves when cut short
temporary.write_bytes(b"image")
try:
    (folder / "reading").write_text("")
    while True:
        time.sleep(0.05)
finally:
    (folder / "cleaning").write_text("")
    deadline = time.monotonic() + 20
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    temporary.unlink()
"""


def _poll(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.02)


def test_closing_the_terminal_mid_reading_leaves_no_temporary_file(tmp_path: Path) -> None:
    """`linkytool --demo` closed by its terminal left tess_*_input.PNG in TMPDIR: SIGHUP
    reached the worker, then the pool's SIGTERM cut its clean-up short."""
    import signal

    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path)])
    try:
        _poll((tmp_path / "reading").exists, 60)
        worker.send_signal(signal.SIGHUP)  # the terminal closed
        _poll((tmp_path / "cleaning").exists, 20)
        worker.send_signal(signal.SIGTERM)  # the UI stops its pool meanwhile
        (tmp_path / "go").write_text("")
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert not (tmp_path / "tess_x_input.PNG").exists()


PRELOAD_CHECK = """
import sys
import linkytool.tui.photo_worker  # what the fork server imports before forking
from linkytool.ocr import engine, tessapi
from linkytool.ocr.engine import ensure_engine

# stdout and stderr are /dev/null now (the terminal belongs to the UI): the exit code says
loaded = "linkytool.ocr.reader" in sys.modules
checked = ensure_engine.cache_info().currsize == 1
# where the library loads, a French model is ready for the first photo of each worker
model = tessapi.load() is None or engine._POOL.take() is not None
sys.exit(0 if loaded and checked and model else 3)
"""


def test_the_fork_server_preload_loads_the_ocr_and_checks_tesseract_once() -> None:
    """Each worker forked from the fork server starts with the OCR imported, the
    tesseract check answered and its model loaded (they re-did all this, in parallel, at
    every start)."""
    from linkytool.tui.photo_jobs import PRELOAD

    assert PRELOAD == "linkytool.tui.photo_worker"
    result = subprocess.run(
        [sys.executable, "-c", PRELOAD_CHECK], check=False, capture_output=True, timeout=120
    )
    assert result.returncode == 0
    assert result.stdout == b""  # silenced before anything is loaded


def test_photo_paths_come_from_the_photos_table_before_the_dossier_loads(
    tmp_path: Path,
) -> None:
    from linkytool.tui.dossier_store import DossierStore

    dossier = tmp_path / "chantier" / "d.toml"
    dossier.parent.mkdir()
    dossier.write_text(
        '[photos]\nprm = "../photos/a.jpg"\ndate = ""\ninjection_index = 12\n', encoding="utf-8"
    )
    store = DossierStore(dossier)
    slots = ("prm", "date", "injection_index")
    assert store.photo_paths(slots) == {"prm": (tmp_path / "photos" / "a.jpg").resolve()}
    assert store.dossier is None  # the [photos] table alone was read
    dossier.write_text("[photos\n", encoding="utf-8")
    assert store.photo_paths(slots) == {}  # unreadable: none (Prérequis says why)
    assert DossierStore(None).photo_paths(slots) == {}


def test_the_workers_start_with_the_app_only_with_a_core_to_spare(tmp_path: Path) -> None:
    from linkytool.tui.photo_jobs import runnable_others, spare_core

    cores = os.cpu_count() or 1

    def unknown() -> Any:
        raise OSError("not here")

    # the tasks ready to run now decide, not the lagging average
    assert spare_core(lambda: cores - 1, lambda: (cores + 5.0, 0.0, 0.0))
    assert not spare_core(lambda: cores, lambda: (0.0, 0.0, 0.0))
    # without that count, the 1-min load average; without both, assumed spare
    assert spare_core(unknown, lambda: (cores - 0.5, 0.0, 0.0))
    assert not spare_core(unknown, lambda: (float(cores), 0.0, 0.0))
    assert spare_core(unknown, unknown)
    # /proc/loadavg's "running/total" field, this process aside
    sample = tmp_path / "loadavg"
    sample.write_text("0.95 1.48 2.27 3/82 17071\n", encoding="ascii")
    assert runnable_others(str(sample)) == 2
    sample.write_text("garbage\n", encoding="ascii")
    with pytest.raises(OSError):
        runnable_others(str(sample))
    with pytest.raises(OSError):
        runnable_others(str(tmp_path / "missing"))


ORPHAN = """
import os, sys, time
from pathlib import Path

folder = Path(sys.argv[1])
child = os.fork()
if child == 0:  # the worker: its parent will vanish
    from linkytool.tui.photo_jobs import _init_worker

    _init_worker()
    reader, writer = os.pipe()  # like a pool worker: it holds its task queue's write end
    (folder / "worker").write_text(str(os.getpid()))
    os.read(reader, 1)  # no end of file ever comes
    os._exit(0)
while not (folder / "worker").exists():
    time.sleep(0.01)
os._exit(0)  # the parent vanishes, as a UI killed mid start-up
"""


def test_a_worker_whose_parent_vanished_stops(tmp_path: Path) -> None:
    """A pool worker holds the write end of its own task queue: with its parent gone it
    would wait for a task for ever (one such orphan was found after a start-up
    benchmark). It stops by itself within a couple of checks."""
    import signal

    subprocess.run([sys.executable, "-c", ORPHAN, str(tmp_path)], check=True, timeout=120)
    pid = int((tmp_path / "worker").read_text())

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        status = Path(f"/proc/{pid}/stat")
        return status.exists() and status.read_text().rsplit(")", 1)[1].split()[0] == "Z"

    try:
        _poll(gone, 10)
    finally:
        if not gone():
            os.kill(pid, signal.SIGKILL)
