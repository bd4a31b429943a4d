"""Every screen of the UI in a fixed, realistic state: shared by the SVG snapshots, the
French-words scan and the input fuzzing.

``build(name, root, photo_reader)`` makes the app for screen ``name`` (its files under
``root``); ``await show(name, app, pilot)`` drives it to the screen and waits until the
screen's background work is shown. ``await Captures(folder).get(name, size, reader)``
gives what the snapshot and the French scan look at, drawn once per test session.
"""

from __future__ import annotations

import fcntl
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from textual.widgets import Input

from linkytool.tui.app import LinkytoolApp, make_app
from linkytool.tui.messages import TicReadingUpdated

from .conftest import FROZEN_NOW, SAMPLES, compteur_ready, frozen_clock, screen_text, wait_for

#: Terminal sizes (columns, lines) every screen is checked at.
SIZES = [(80, 24), (120, 40)]
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


#: Paths are shown on screen: the captured screens' files live in one fixed folder so
#: the SVG snapshots compare from one machine, run and worker to the next.
FIXED_ROOT = Path("/tmp/linkytool-snapshots")


@contextmanager
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


@dataclass(frozen=True)
class Capture:
    """One screen as shown: its SVG screenshot and its plain text (``screen_text``)."""

    svg: str
    text: str


async def capture(name: str, size: tuple[int, int], photo_reader: Any) -> Capture:
    """Screen ``name`` at ``size`` (columns, lines), its files under ``FIXED_ROOT``."""
    with fixed_root() as root:
        app = build(name, root, photo_reader)
        async with app.run_test(size=size) as pilot:
            await show(name, app, pilot)
            return Capture(app.export_screenshot(title=f"linkytool {name}"), screen_text(app))


class Captures:
    """Each screen captured once per test session, for every test that looks at it.

    The SVG snapshots and the French scan check the same 16 screens: drawing each twice
    cost about 25 s of CPU per session (issue 14). The first test to ask for a screen
    draws it and keeps it in ``folder`` (shared by the session's test workers, one lock
    per screen); the others read it. A capture that fails is not kept: the next test
    to ask draws the screen again and fails on its own.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def get(self, name: str, size: tuple[int, int], photo_reader: Any) -> Capture:
        key = f"{name}-{size[0]}x{size[1]}"
        kept = self.folder / f"{key}.json"
        with open(self.folder / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be drawing it now
            if kept.is_file():
                return Capture(**json.loads(kept.read_text(encoding="utf-8")))
            shown = await capture(name, size, photo_reader)
            partial = kept.with_suffix(".part")
            partial.write_text(json.dumps(asdict(shown)), encoding="utf-8")
            partial.replace(kept)
            return shown
