"""Text snapshots of key screens at 80x24 and 120x40 (frozen clock, fixed meter frames).

Update after an intended layout change with ``pytest tests/tui --snapshot-update`` and
review the diff of ``__snapshots__/test_snapshots.ambr``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linkytool.tui.app import make_app
from linkytool.tui.messages import TicReadingUpdated

from .conftest import FROZEN_NOW, frozen_clock, screen_text, wait_for

SIZES = [(80, 24), (120, 40)]


async def ports_listed(app: Any, pilot: Any) -> None:
    """Wait for the background port scan (started just after the first screen)."""
    from textual.widgets import Select

    ports = app.query_one("#meter-ports", Select)
    await wait_for(pilot, lambda: ports.prompt == "Aucun adaptateur détecté")


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def fixed_reading() -> Any:
    """A consumer-mode standard reading from seeded simulator frames at FROZEN_NOW."""
    from linkytool.tic import decode_bytes, summarize
    from linkytool.tic.simulator import MeterSimulator

    meter = MeterSimulator(start=FROZEN_NOW, seed=7)
    data = b"".join(meter.next_frame() for _ in range(3))
    frames = [event for event in decode_bytes(data) if type(event).__name__ == "Frame"]
    return summarize(frames)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_compteur_with_live_reading(tmp_path: Path, size: tuple[int, int], snapshot) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=size) as pilot:
        await ports_listed(app, pilot)
        pane = app.panes["compteur"]
        reading = fixed_reading()
        for offset in range(5):
            message = TicReadingUpdated(reading, FROZEN_NOW.timestamp() + offset)
            pane.post_message(message)
        await pilot.pause()
        await pilot.pause()
        assert screen_text(app) == snapshot


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_help_panel(tmp_path: Path, size: tuple[int, int], snapshot) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=size) as pilot:
        await ports_listed(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert screen_text(app) == snapshot


async def test_decoupling_without_dossier(tmp_path: Path, snapshot) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=(80, 24)) as pilot:
        await ports_listed(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert screen_text(app) == snapshot
