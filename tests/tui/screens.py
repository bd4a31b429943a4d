"""Every screen of the UI in a fixed, realistic state: shared by the SVG snapshots, the
French-words scan and the input fuzzing.

``build(name, root, photo_reader)`` makes the app for screen ``name`` (its files under
``root``); ``await show(name, app, pilot)`` drives it to the screen and waits until the
screen's background work is shown.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.widgets import Input

from linkytool.tui.app import LinkytoolApp, make_app
from linkytool.tui.messages import TicReadingUpdated

from .conftest import FROZEN_NOW, SAMPLES, compteur_ready, frozen_clock, wait_for

#: Screen name -> (function key, needs the demo dossier).
SCREENS: dict[str, tuple[str, bool]] = {
    "compteur": ("f2", False),
    "photos": ("f3", True),
    "prerequis": ("f4", True),
    "prerequis-sans-dossier": ("f4", False),
    "decouplage": ("f5", True),
    "attestation": ("f6", True),
    "acc": ("f7", False),
    "aide": ("f1", False),
}


def fixed_reading() -> Any:
    """A consumer-mode standard reading from seeded simulator frames at FROZEN_NOW."""
    from linkytool.tic import decode_bytes, summarize
    from linkytool.tic.simulator import MeterSimulator

    meter = MeterSimulator(start=FROZEN_NOW, seed=7)
    data = b"".join(meter.next_frame() for _ in range(3))
    frames = [event for event in decode_bytes(data) if type(event).__name__ == "Frame"]
    return summarize(frames)


def copy_demo(root: Path) -> Path:
    """The demo dossier and photos copied under ``root``; returns the dossier path."""
    for name in ("dossier", "photos"):
        shutil.copytree(SAMPLES / name, root / name, dirs_exist_ok=True)
    return root / "dossier" / "demo.toml"


def build(name: str, root: Path, photo_reader: Any) -> LinkytoolApp:
    _, needs_dossier = SCREENS[name]
    dossier = copy_demo(root) if needs_dossier else None
    return make_app(
        dossier,
        workdir=root,
        clock=frozen_clock,
        port_lister=list,
        photo_reader=photo_reader,
        state_path=root / "etat.json",
    )


async def show(name: str, app: LinkytoolApp, pilot: Any) -> None:
    """Go to screen ``name`` and wait for what it shows to settle."""
    from textual.widgets import Select

    await compteur_ready(app, pilot)
    ports = app.query_one("#meter-ports", Select)
    await wait_for(pilot, lambda: ports.prompt == "Aucun adaptateur détecté")
    key, _ = SCREENS[name]
    reading = fixed_reading()
    for offset in range(5):  # the live meter, for every screen that shows TIC values
        app.post_message(TicReadingUpdated(reading, FROZEN_NOW.timestamp() + offset))
        app.panes["compteur"].post_message(
            TicReadingUpdated(reading, FROZEN_NOW.timestamp() + offset)
        )
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    if name == "photos":
        pane = app.panes["photos"]
        await wait_for(
            pilot,
            lambda: all(pane.slot(s).reading is not None for s in ("prm", "date")),
            timeout=120,
        )
        await wait_for(pilot, lambda: pane.slot("injection_index").reading is not None)
        first = app.query_one("#value-prm", Input)
        await wait_for(pilot, lambda: app.focused is first)  # focus (and scroll) settled
    elif name == "prerequis":
        pane = app.panes["prerequis"]
        await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
    elif name == "prerequis-sans-dossier":
        await wait_for(pilot, lambda: app.query_one("#prereq-path", Input).display)
    for field in app.query(Input):  # a blinking cursor would make every capture differ
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await pilot.pause()
