"""The phone intake as the Photos screen runs it: one :class:`~linkytool.intake.IntakeServer`
at a time for the open dossier, its photos read by the UI's photo workers.

The server stores each upload and records its value through the intake's one adapter
(``linkytool.intake.recording.record_photo`` → ``linkytool.mes.service.record_photo``);
only the reading is done differently from ``linkytool mes intake``: here it goes through
:class:`~linkytool.tui.photo_jobs.PhotoJobs`, so the OCR runs in the worker processes
(never on the UI's GIL) and the Photos screen receives the full reading (value, LCD
preview, alternatives) exactly as for a photo picked from a file.

No Textual here: events are handed to ``on_event`` with their server, in the server's
thread; the screen posts them as messages and ignores those of a server it no longer
shows. Stopping never blocks the UI thread (:meth:`PhoneIntake.stop`); the session's
closer (:meth:`PhoneIntake.shutdown`) waits until every server is down, so quitting
leaves no thread and no listening port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkytool.errors import LinkytoolError

if TYPE_CHECKING:
    from linkytool.intake import IntakeEvent, IntakeServer, IntakeSettings, Slot
    from linkytool.intake.recording import PhotoOutcome
    from linkytool.tui.photo_jobs import PhotoJobs

#: Longest wait for one photo's reading before the phone is told to retry [s] (the CLI
#: takes about 2.5 s per photo on a loaded 2-core laptop).
READ_TIMEOUT_S = 120.0

#: Called in the server's thread for each event, with the server it comes from.
EventHandler = Callable[["IntakeServer", "IntakeEvent"], None]


class IntakeClosedError(LinkytoolError):
    """The intake was asked to start while linkytool is closing."""


class PhoneIntake:
    """Start, follow and stop the phone intake of one dossier (one server at a time)."""

    def __init__(
        self, jobs: PhotoJobs, on_event: EventHandler, closers: list[Callable[[], None]]
    ) -> None:
        self.jobs = jobs
        self.on_event = on_event
        self.server: IntakeServer | None = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._shut = False
        #: Every server started and not yet known to be down (the current one included).
        self._servers: list[IntakeServer] = []
        # One closer for the session's life: a server started while the app closes is
        # stopped too (start() sees _shut), and the stops in flight are waited for.
        closers.append(self.shutdown)

    @property
    def running(self) -> bool:
        server = self.server
        return server is not None and not server.wait_closed(0)

    def start(
        self,
        dossier: Path,
        *,
        bind: str | None,
        port: int = 0,
        settings: IntakeSettings | None = None,
    ) -> IntakeServer:
        """Serve the upload page for ``dossier`` on ``bind``:``port`` (default: the
        address of the default route's interface, a free port); raises a French
        :class:`LinkytoolError` when it cannot (no network, address not on this computer,
        port taken)."""
        from linkytool.intake import IntakeServer, default_bind_address

        self.stop("Réception remplacée.", wait=True)
        with self._lock:
            if self._shut:
                raise IntakeClosedError("linkytool se ferme : réception non démarrée.")
            self._cancel = threading.Event()
            cancel = self._cancel

        def on_event(event: IntakeEvent) -> None:
            self.on_event(server, event)

        server = IntakeServer(
            dossier,
            bind=bind or default_bind_address(),
            port=port,
            settings=settings,
            on_event=on_event,
            recorder=lambda path, slot, photo: self._record(path, slot, photo, cancel),
        )
        server.start()  # raises IntakeError: nothing listens, nothing to stop
        with self._lock:
            shut = self._shut
            if not shut:
                self.server = server
                self._servers.append(server)
        if shut:  # the app closed while the server was binding
            cancel.set()
            server.stop("linkytool est fermé.")
            raise IntakeClosedError("linkytool se ferme : réception non démarrée.")
        return server

    def stop(self, reason: str = "Réception fermée.", *, wait: bool = False) -> None:
        """Stop the current server (if any). A photo being read is abandoned at once;
        without ``wait`` the server finishes stopping in a thread (the UI never waits)."""
        with self._lock:
            server, self.server = self.server, None
            self._cancel.set()
        if server is None:
            return
        if wait:
            self._stop(server, reason)
        else:
            threading.Thread(
                target=self._stop, args=(server, reason), name="intake-stop", daemon=True
            ).start()

    def shutdown(self) -> None:
        """The session's closer: stop every server and wait until each one is down."""
        with self._lock:
            self._shut = True
            self.server = None
            self._cancel.set()
            servers = list(self._servers)
        for server in servers:
            self._stop(server, "linkytool est fermé.")

    def _stop(self, server: IntakeServer, reason: str) -> None:
        server.stop(reason)  # idempotent; returns once its thread ended
        with self._lock:
            if server in self._servers:
                self._servers.remove(server)

    def _record(self, dossier: Path, slot: Slot, photo: Path, cancel: threading.Event) -> Any:
        """The server's recorder: the intake's one adapter, read by the photo workers."""
        from linkytool.intake.recording import record_photo

        def read(path: Path) -> Any:
            return self._read(slot.field.value, path, cancel)

        outcome: PhotoOutcome = record_photo(dossier, slot, photo, reader=read)
        return outcome

    def _read(self, field: str, path: Path, cancel: threading.Event) -> Any:
        from linkytool.tui.photo_jobs import PhotoReadError

        try:
            return self.jobs.read_and_wait(field, path, cancel=cancel, timeout=READ_TIMEOUT_S)
        except LinkytoolError:
            raise
        except Exception as error:  # a bug in the reader: the phone says to retake it
            raise PhotoReadError(f"Lecture impossible ({type(error).__name__}).") from error


__all__ = ["READ_TIMEOUT_S", "EventHandler", "IntakeClosedError", "PhoneIntake"]
