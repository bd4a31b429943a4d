"""SVG snapshots of every screen at 80×24 and 120×40 (frozen clock, fixed meter frames,
the demo dossier and photos), Textual's convention for catching layout regressions.

After an intended layout change: ``pytest tests/tui/test_snapshots.py --snapshot-update``,
then look at each changed SVG (open it in a browser) before committing it.

Each screen is drawn once per session for this test and test_french.py's scan
(``screens.Captures``): its files live in ``screens.FIXED_ROOT``, whose paths the
screenshots show.
"""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from .conftest import CachedPhotoReader
from .screens import SCREENS, SIZES, Captures, fixed_reading

__all__ = ["fixed_reading"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
async def test_screen(
    name: str,
    size: tuple[int, int],
    screen_captures: Captures,
    photo_reader: CachedPhotoReader,
    svg_snapshot: SnapshotAssertion,
) -> None:
    shown = await screen_captures.get(name, size, photo_reader)
    assert shown.svg == svg_snapshot
