"""``linkytool tic simulate``: build the simulated meter, serve it, report on stderr.

Kept out of the click module so the command stays a thin declaration. stdout carries the
raw TIC bytes only with ``--stdout``; every message goes to stderr.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import datetime
from typing import Any

import click

from linkytool.cli.output import warn
from linkytool.textfmt import french_number
from linkytool.tic.service import SimulatorOptionError, SimulatorRequest, start_simulator
from linkytool.tic.sim_serve import SimulatorServer
from linkytool.tic.simulator import MeterSimulator


def run_simulator(
    *,
    mode: str,
    profile: str,
    phases: str,
    tariff: str,
    prm: str,
    adsc: str | None,
    port_url: str | None,
    to_stdout: bool,
    link: str | os.PathLike[str] | None,
    max_frames: int | None,
    duration: float | None,
    fast: bool,
    error_rate: float,
    garbage_rate: float,
    start: object,
    drift: float,
    seed: int | None,
    unplug_every: float | None,
    unplug_for: float,
) -> None:
    """Run the simulator until its frame/duration limit or Ctrl+C (see the command).

    Keyword arguments are the options of ``tic simulate`` as click passes them."""
    if unplug_every is not None and (port_url or to_stdout):
        raise click.UsageError("--unplug-every ne s'applique qu'au pseudo-terminal.")
    request = SimulatorRequest(
        mode=mode,
        profile=profile,
        phases=int(phases),
        tariff=tariff,
        prm=prm,
        adsc=adsc,
        start=start if isinstance(start, datetime) else None,
        drift_s=drift,
        error_rate=error_rate,
        garbage_rate=garbage_rate,
        seed=seed,
        port_url=port_url,
        to_stdout=to_stdout,
        link=link,
        fast=fast,
        max_frames=max_frames,
        duration_s=duration,
    )
    try:
        simulator, server = start_simulator(request)
    except SimulatorOptionError as error:
        raise click.BadParameter(
            error.message, param_hint=_FLAGS.get(error.option or "")
        ) from error
    if port_url:
        warn(f"Simulateur : écriture sur {port_url} à {simulator.baud} bauds (7E1).")
    elif not to_stdout:
        announce(server, simulator)
    previous = _stop_on_sigterm()
    try:
        _wait(server, unplug_every, unplug_for, simulator)
    except KeyboardInterrupt:
        warn("Simulateur arrêté.")
    finally:
        server.stop()  # closes the pty and removes the --link symlink
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if server.error is not None and not isinstance(server.error, BrokenPipeError):
        raise server.error
    warn(f"{server.frames_sent} trame(s) émise(s), {server.bytes_sent} octets.")


#: Command-line flag of each simulator option a core error names.
_FLAGS = {"prm": "--prm", "adsc": "--adsc", "stdout": "--port / --stdout"}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm() -> Any:
    """Treat SIGTERM like Ctrl+C so the link is removed (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupt)


def announce(server: SimulatorServer, simulator: MeterSimulator) -> None:
    """Tell the user (stderr) where to read the simulated meter."""
    path = server.path
    where = f"{path} → {server.slave_path}" if server.link is not None else path
    warn(
        f"Simulateur de compteur prêt : {where} (mode {simulator.mode.value}, "
        f"{simulator.baud} bauds, profil {simulator.profile.value})."
    )
    warn(f"Lisez-le avec : linkytool tic read --port {path}")


def _wait(
    server: SimulatorServer,
    unplug_every: float | None,
    unplug_for: float,
    simulator: MeterSimulator,
) -> None:
    if unplug_every is None:
        while not server.wait(0.5):
            pass
        return
    while True:
        if server.wait(unplug_every):
            return
        server.unplug()
        warn(f"Simulateur : adaptateur débranché pour {french_number(unplug_for)} s.")
        time.sleep(unplug_for)
        server.replug()
        announce(server, simulator)
