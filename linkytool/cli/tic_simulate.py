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
from linkytool.tic.horodate import PARIS
from linkytool.tic.sim_serve import SimulatorServer, serve_port, serve_pty, serve_stream
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
    if port_url and to_stdout:
        raise click.UsageError("--port et --stdout s'excluent : choisissez une sortie.")
    if unplug_every is not None and (port_url or to_stdout):
        raise click.UsageError("--unplug-every ne s'applique qu'au pseudo-terminal.")
    if not (len(prm) == 14 and prm.isdigit()):
        raise click.BadParameter("le PRM compte 14 chiffres.", param_hint="--prm")
    if adsc is not None and not (len(adsc) == 12 and adsc.isdigit()):
        raise click.BadParameter("l'adresse du compteur compte 12 chiffres.", param_hint="--adsc")
    begin = start.replace(tzinfo=PARIS) if isinstance(start, datetime) else None
    simulator = MeterSimulator(
        mode,
        profile,
        int(phases),
        prm=prm,
        adsc=adsc,
        tariff=tariff,
        start=begin,
        clock_drift_s=drift,
        error_rate=error_rate,
        garbage_rate=garbage_rate,
        seed=seed,
    )
    limits = {"fast": fast, "max_frames": max_frames, "duration_s": duration}
    server: SimulatorServer
    if to_stdout:
        server = serve_stream(simulator, **limits)  # type: ignore[arg-type]
    elif port_url:
        server = serve_port(simulator, port_url, **limits)  # type: ignore[arg-type]
        warn(f"Simulateur : écriture sur {port_url} à {simulator.baud} bauds (7E1).")
    else:
        server = serve_pty(simulator, link=link, **limits)  # type: ignore[arg-type]
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
        warn(f"Simulateur : adaptateur débranché pour {unplug_for:g} s.")
        time.sleep(unplug_for)
        server.replug()
        announce(server, simulator)
