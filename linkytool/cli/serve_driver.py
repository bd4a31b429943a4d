"""The Textual driver of a ``linkytool serve`` session (runs in the UI's child process).

textual-serve's :class:`~textual.drivers.web_driver.WebDriver` ends its input thread when
stdin reaches end of file and never tells the app, so a session whose server died keeps
running for ever. And Textual 8.2 can hang in its shutdown (``App._process_messages``
awaits ``Timer._stop_all`` while the screen keeps repainting, ~100 % of a core) when the
quit request arrives while the app is still starting, e.g. a browser tab closed right after
opening; its SIGTERM handler only posts another exit request, so nothing ends it.

This driver asks the app to exit when stdin closes, and once an exit was asked (quit from
the server, stdin closed), ends the process itself if the app has not finished within
:data:`EXIT_GRACE_S`: a session never outlives its browser tab or its server.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

from textual import messages
from textual.drivers.web_driver import WebDriver

#: How long a session may take to close cleanly after it was asked to [s].
EXIT_GRACE_S = 5.0


class SessionWebDriver(WebDriver):
    """:class:`WebDriver` that always ends (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watchdog: threading.Timer | None = None

    def arm_exit_watchdog(self) -> None:
        """End the process in :data:`EXIT_GRACE_S` unless it has exited by then."""
        if self._watchdog is None:
            self._watchdog = threading.Timer(EXIT_GRACE_S, _force_exit)
            self._watchdog.daemon = True
            self._watchdog.start()

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # stdin closed: the server is gone
            self.arm_exit_watchdog()
            self._app.post_message(messages.ExitApp())

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":
            self.arm_exit_watchdog()
        super().on_meta(packet_type, payload)


def _force_exit() -> None:
    sys.stderr.write(
        f"Session arrêtée d'office : l'interface ne s'est pas fermée en {EXIT_GRACE_S:.0f} s.\n"
    )
    sys.stderr.flush()
    os._exit(1)


__all__ = ["EXIT_GRACE_S", "SessionWebDriver"]
