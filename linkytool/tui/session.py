"""What one UI session works on: the dossier file, the TIC source, the clock.

No Textual here: this is plain state the panes share, kept small so tests can build it
directly (with a frozen clock for stable snapshots).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from linkytool.tui.state import UiState

PARIS = ZoneInfo("Europe/Paris")


def paris_now() -> datetime:
    """The host clock in Europe/Paris (the meter's time zone)."""
    return datetime.now(tz=PARIS)


@dataclass
class Session:
    """Shared state of one UI session."""

    #: The auto-MES dossier (TOML) being edited; ``None`` until one is opened or created.
    dossier_path: Path | None = None
    #: Port or pyserial URL to preselect on the Compteur screen (the simulator in demo).
    tic_url: str | None = None
    #: Starts the demo's simulated meter and returns its port (run after the first screen).
    start_simulator: Callable[[], str] | None = None
    #: Connect to ``tic_url`` as soon as the app starts (demo).
    autoconnect: bool = False
    #: Demo mode (simulated meter, sample photos and dossier copied to ``workdir``).
    demo: bool = False
    #: Writable working directory (demo copy, recordings, ACC outputs by default).
    workdir: Path = field(default_factory=Path.cwd)
    #: The workdir is the demo's temporary copy, removed when the session closes.
    temporary_workdir: bool = False
    #: Host clock, replaceable by a frozen one in tests.
    clock: Callable[[], datetime] = paris_now
    #: Objects to close when the app exits (demo simulator...).
    closers: list[Callable[[], None]] = field(default_factory=list)
    #: Latest TIC summary (``linkytool.tic.MeterReading``), shared by the panes.
    tic_reading: Any = None
    #: Lists the serial ports (``linkytool.tic.ports.list_ports``; replaceable in tests).
    port_lister: Callable[[], list[Any]] | None = None
    #: Reads one photo (``linkytool.ocr.read_photo`` when None; tests not about OCR inject
    #: readings computed once, since OCR takes seconds per photo).
    photo_reader: Callable[[Path], Any] | None = None
    #: Recent apparent power samples: ``(host time [s], SINSTS [VA], SINSTI [VA] or None)``.
    power_history: list[tuple[float, int | None, int | None]] = field(default_factory=list)
    #: What is remembered between sessions (last dossier, adapter, folder); None in demo.
    state: UiState | None = None
    #: French notices to show once the first screen is drawn (e.g. state file ignored).
    notices: list[str] = field(default_factory=list)
    #: The adapter of the previous session, offered for reconnection (bare ``linkytool``).
    offered_port: str | None = None
    #: Address the phone intake listens on (None: the default route's interface).
    intake_bind: str | None = None
    #: Port the phone intake listens on (0: a free one).
    intake_port: int = 0

    def reopen_last(self) -> None:
        """Reopen the last dossier (if it still exists) and offer the last adapter."""
        if self.state is None:
            return
        values = self.state.values
        if self.dossier_path is None and values.last_dossier:
            last = Path(values.last_dossier)
            if last.is_file():
                self.dossier_path = last
            else:
                self.notices.append(f"Le dernier dossier ouvert n'existe plus : {last}.")
        if self.tic_url is None and values.last_port:
            self.tic_url = values.last_port
            self.offered_port = values.last_port

    def last_folder(self) -> Path:
        """Where file pickers start: the last folder used, else the dossier's, else workdir."""
        if self.state is not None and self.state.values.last_folder:
            folder = Path(self.state.values.last_folder)
            if folder.is_dir():
                return folder
        if self.dossier_path is not None and self.dossier_path.parent.is_dir():
            return self.dossier_path.parent
        return self.workdir

    def close(self) -> None:
        """Release what the session opened (simulator, temporary files)."""
        while self.closers:
            closer = self.closers.pop()
            with contextlib.suppress(Exception):  # best effort at exit
                closer()

    @property
    def draft_path(self) -> Path:
        """Where typed-but-unsaved fields are kept (next to the dossier, or in workdir)."""
        if self.dossier_path is not None:
            return self.dossier_path.with_name(f".{self.dossier_path.name}.saisie.json")
        if self.demo:
            return self.workdir / ".linkytool-saisie.json"
        state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        return Path(state) / "linkytool" / "saisie.json"
