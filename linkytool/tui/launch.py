"""Open the terminal UI and say how the session ended.

One function for both ways in: ``linkytool tui`` (click, :mod:`linkytool.cli.ui`) and the
entry point's fast path for a bare ``linkytool`` or ``linkytool --demo``
(:mod:`linkytool.__main__`), which opens the UI without importing click: those two
command lines have nothing to parse, and click's import is ~25 ms of CPU before the first
screen. No click here.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path


def _say(text: str) -> None:
    """A closing line on stderr (dropped if stderr is gone: the session is over)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


#: How long a thread may hold the GIL before another that waits gets it [s] (Python's
#: default is 0.005). The UI thread draws in long stretches of pure Python; the threads
#: that bring the photo readings, the TIC frames and the cache's answers each need the
#: GIL several times per item, and waited up to 5 ms each time. ``bench/gil_handoff.py``
#: (main thread busy, side by side): a 200 kB result of a worker process reached its
#: callback 19.4 ms (median; 39.2 max) after it was sent at 5 ms, 4.6 ms (12.0) at 1 ms;
#: a forkserver pool started from a thread in 0.52 s at 5 ms, 0.23 s at 1 ms.
SWITCH_INTERVAL_S = 0.001


def open_ui(
    dossier: Path | None = None,
    *,
    demo: bool = False,
    port: str | None = None,
    workdir: Path | None = None,
    intake_bind: str | None = None,
    intake_port: int = 0,
) -> int:
    """Run the UI until it quits; return its exit code (0 when it ended normally).

    Arguments as :func:`linkytool.tui.app.make_app`'s; the last dossier is reopened when
    none is given. Raises the :class:`~linkytool.errors.LinkytoolError` of a session that
    cannot start (e.g. the demo's folder cannot be written).
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    from linkytool.tui.app import make_app

    app = make_app(
        dossier,
        demo=demo,
        port=port,
        workdir=workdir,
        reopen_last=True,
        intake_bind=intake_bind,
        intake_port=intake_port,
    )
    try:
        app.run()
    finally:  # Ctrl+C from outside (SIGINT), a crash: the session is closed all the same
        app.session.close()
    if demo and not app.session.temporary_workdir:
        _say(f"Fichiers de la démonstration : {app.session.workdir}")
    elif demo:
        _say(
            "Démonstration terminée ; son dossier temporaire est supprimé "
            "(--workdir DOSSIER pour garder ce qu'elle produit)."
        )
    return int(app.return_code or 0)


__all__ = ["open_ui"]
