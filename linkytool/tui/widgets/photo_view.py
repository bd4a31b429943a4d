"""The photo itself, where the terminal can show pictures, and in the system viewer.

Terminals that speak an image protocol (kitty's graphics protocol, sixel) show the
screen crop as a picture next to its braille drawing, through ``textual-image``. That
library must ask the terminal what it supports *before* Textual takes the terminal over,
and asking a terminal that does not answer costs timeouts: it is only loaded when the
environment says the terminal is one that does (never inside tmux or screen, which pass
no pictures through), so ordinary terminals start as fast as before.

:func:`open_in_viewer` hands a photo to the desktop's viewer (``xdg-open``, ``open``)
without waiting for it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

#: ``TERM`` / ``TERM_PROGRAM`` values of terminals known to show pictures.
KITTY_TERMS = ("xterm-kitty", "xterm-ghostty")
PICTURE_PROGRAMS = ("WezTerm", "iTerm.app", "ghostty", "mintty", "contour", "konsole")
SIXEL_TERMS = ("foot", "foot-extra", "mlterm", "yaft-256color", "contour")

_loaded: dict[str, Any] = {}


def picture_terminal(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment names a terminal that shows pictures (not via tmux)."""
    env = os.environ if environ is None else environ
    if env.get("TMUX") or env.get("STY"):
        return False
    term = env.get("TERM", "")
    return (
        term in KITTY_TERMS
        or term in SIXEL_TERMS
        or "KITTY_WINDOW_ID" in env
        or env.get("TERM_PROGRAM", "") in PICTURE_PROGRAMS
    )


def prepare_pictures() -> bool:
    """Load ``textual-image`` (it queries the terminal) if the terminal shows pictures.

    Call before the app runs; returns whether pictures will be shown.
    """
    if "widget" in _loaded:
        return _loaded["widget"] is not None
    widget = None
    if picture_terminal() and sys.__stdout__ is not None and sys.__stdout__.isatty():
        try:
            from textual_image import widget as image_widget

            widget = image_widget if _is_picture() else None
        except Exception:  # a terminal that answers oddly: braille only
            widget = None
    _loaded["widget"] = widget
    return widget is not None


def _is_picture() -> bool:
    """Whether textual-image chose a picture protocol (not its half-block fallback)."""
    from textual_image import renderable

    return renderable.Image.__module__.rsplit(".", 1)[-1] in ("tgp", "sixel")


def picture_widget(crop_png: bytes, **kwargs: Any) -> Any | None:
    """A widget showing ``crop_png`` as a picture, or None when pictures are off."""
    image_widget = _loaded.get("widget")
    if image_widget is None:
        return None
    from PIL import Image

    return image_widget.Image(Image.open(io.BytesIO(crop_png)), **kwargs)


def viewer_command(path: Path) -> list[str] | None:
    """The command opening ``path`` in the desktop's viewer, or None when there is none."""
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(opener)
    return [found, str(path)] if found else None


def open_in_viewer(path: Path, on_error: Callable[[str], None]) -> bool:
    """Start the system viewer on ``path`` without waiting; ``on_error`` gets a French
    message (from a background thread) if it cannot start or reports a failure."""
    command = viewer_command(path)
    if command is None:
        on_error(
            "Aucune visionneuse d'images trouvée (xdg-open absent) : ouvrez la photo "
            f"{path} avec votre gestionnaire de fichiers."
        )
        return False
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # never tied to the UI's terminal
        )
    except OSError as error:
        on_error(f"La visionneuse n'a pas pu démarrer ({error.strerror}) : {path}.")
        return False

    def reap() -> None:
        if process.wait() != 0:
            on_error(f"La visionneuse n'a pas pu ouvrir {path}.")

    threading.Thread(target=reap, name="viewer", daemon=True).start()
    return True


__all__ = ["open_in_viewer", "picture_terminal", "picture_widget", "prepare_pictures"]
