"""The photo worker pool starts whatever TMPDIR is: the forkserver's Unix socket lives
under TMPDIR and a path over 107 bytes cannot be bound (CI's pytest folders under
pytest-xdist reached it, and so can a user's deep TMPDIR)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PHOTO = ROOT / "linkytool" / "samples" / "photos" / "demo-prm.jpg"

SCRIPT = f"""
import threading
from pathlib import Path
from linkytool.tui.photo_jobs import PhotoJobs

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
