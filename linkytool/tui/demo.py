"""``linkytool --demo``: the bundled meter simulator, sample photos and sample dossier.

The sample dossier and photos are copied to a writable working directory (a temporary
one by default, removed when the demo ends, whatever ends it) so the demo never modifies
the bundled files; the simulated meter is served on a pseudo-terminal by
``linkytool.tic.simulator`` and the Compteur screen connects to it as it would to a USB
adapter.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import linkytool
from linkytool.errors import LinkytoolError
from linkytool.tui.session import PARIS, Session

#: Demo meter identity (see the team contracts: coherent with the demo photos and dossier).
DEMO_PRM = "30002345678901"
DEMO_ADSC = "041864123456"
#: The demo takes place on commissioning day, as the sample dossier and photos tell
#: (photos taken at 14:32-14:33, TIC read at 14:25): the simulated meter's clock and the
#: session's clock start here and run in real time, so every cross-check agrees.
DEMO_START = datetime(2026, 11, 20, 14, 25, 0, tzinfo=PARIS)


class DemoUnavailableError(LinkytoolError):
    """The bundled samples needed by the demo are missing."""


def samples_dir() -> Path:
    """The bundled samples (``linkytool/samples``: package data, installed with the wheel)."""
    candidate = Path(linkytool.__file__).resolve().parent / "samples"
    if not (candidate / "dossier").is_dir():
        raise DemoUnavailableError(
            f"Les exemples de démonstration sont introuvables ({candidate}).",
            hint="Lancez la démo depuis le dépôt linkytool (./dev demo).",
        )
    return candidate


#: The sample folders whose ``demo-*`` files the demo dossier reads (its three screen
#: photos and its TIC capture), copied beside the dossier's folder as in ``samples/``.
DEMO_FILE_FOLDERS = ("photos", "tic")


def copy_samples(workdir: Path) -> Path:
    """Copy the sample dossier and the files it reads (photos, TIC capture) into
    ``workdir``; return the dossier's path."""
    source = samples_dir()
    shutil.copytree(source / "dossier", workdir / "dossier", dirs_exist_ok=True)
    for folder in DEMO_FILE_FOLDERS:
        target = workdir / folder
        target.mkdir(parents=True, exist_ok=True)
        for sample in sorted((source / folder).glob("demo-*")):
            shutil.copy2(sample, target / sample.name)
    dossier = workdir / "dossier" / "demo.toml"
    if not dossier.is_file():
        raise DemoUnavailableError(
            f"Le dossier de démonstration {source / 'dossier' / 'demo.toml'} manque.",
            hint="Mettez le dépôt à jour (git pull).",
        )
    return dossier


#: Name of the link to the demo meter's pty, in the demo's folder [file name].
DEMO_PORT_LINK = "compteur-demo"


def start_simulator(session: Session) -> str:
    """Serve the demo meter on a pty; return the link to it and register its shutdown.

    The reader opens the link, never the pty's own name (``/dev/pts/N``): when the demo
    ends (the terminal closed, SIGHUP) the simulator may stop before the reader, and a
    reader retrying ``/dev/pts/N`` could open the next pty given that number, someone
    else's terminal. The link goes with the simulator.
    """
    from linkytool.tic.simulator import serve_pty

    server = serve_pty(
        link=session.workdir / DEMO_PORT_LINK,
        profile="consumer",
        mode="standard",
        prm=DEMO_PRM,
        adsc=DEMO_ADSC,
        start=DEMO_START,
    )
    session.closers.append(server.close)
    return str(server.path)


def prepare_demo(workdir: Path | None = None) -> Session:
    """A session on a fresh copy of the samples and a simulated meter (started by the
    Compteur screen once the first screen is drawn, to keep start-up fast)."""
    temporary = workdir is None
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="linkytool-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        dossier = copy_samples(workdir)
    except BaseException:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
        raise
    session = Session(
        dossier_path=dossier,
        demo=True,
        autoconnect=True,
        workdir=workdir,
        clock=demo_clock(DEMO_START),
    )
    if temporary:
        # First registered, so closed last (after the simulator and the photo workers).
        session.closers.append(lambda: shutil.rmtree(workdir, ignore_errors=True))
        session.temporary_workdir = True
    session.start_simulator = lambda: start_simulator(session)
    return session


def demo_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that reads ``start`` now and runs in real time from there."""
    origin = time.monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - origin)

    return now
