"""SVG snapshots of every screen at 80×24 and 120×40 (frozen clock, fixed meter frames,
the demo dossier and photos), Textual's convention for catching layout regressions.

After an intended layout change: ``pytest tests/tui/test_snapshots.py --snapshot-update``,
then look at each changed SVG (open it in a browser) before committing it.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from .conftest import CachedPhotoReader
from .screens import SCREENS, build, fixed_reading, show

__all__ = ["fixed_reading"]

SIZES = [(80, 24), (120, 40)]
#: Paths are shown on screen: the files live in one fixed folder so captures compare.
FIXED_ROOT = Path("/tmp/linkytool-snapshots")


@pytest.fixture
def fixed_root() -> Iterator[Path]:
    """``FIXED_ROOT``, emptied, held under a lock (parallel test runs take turns)."""
    with open("/tmp/linkytool-snapshots.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(FIXED_ROOT, ignore_errors=True)
        FIXED_ROOT.mkdir()
        try:
            yield FIXED_ROOT
        finally:
            shutil.rmtree(FIXED_ROOT, ignore_errors=True)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
async def test_screen(
    name: str,
    size: tuple[int, int],
    fixed_root: Path,
    photo_reader: CachedPhotoReader,
    svg_snapshot: SnapshotAssertion,
) -> None:
    app = build(name, fixed_root, photo_reader)
    async with app.run_test(size=size) as pilot:
        await show(name, app, pilot)
        assert app.export_screenshot(title=f"linkytool {name}") == svg_snapshot
